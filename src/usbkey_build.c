// SPDX-License-Identifier: MIT
/* The records of a USB key (doc/setup-bin.md 4): PSK pairs one each, then the PKI record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "usbkey.h"

static int pick_version(const struct usbkey_spec *s, unsigned *type, uint8_t *minor,
			struct amt_err *e)
{
	if (s->type) {
		*type = s->type;
		*minor = s->minor;
		return 0;
	}
	if (!s->amt_major)
		return err_set(e, -EINVAL, "give the target AMT version (--amt) or the file "
			       "version (--file-version)");
	if (usbkey_version_for_amt(s->amt_major, type, minor) < 0)
		return err_set(e, -EINVAL, "AMT %u: USB keys start with AMT 2.0", s->amt_major);
	return 0;
}

/* What the chosen version cannot carry, said before any record is built. */
static int check_spec(const struct usbkey_spec *s, unsigned vcode, struct amt_err *e)
{
	struct setupbin_err se = { 0, "" };

	if (!s->psk_count && !s->pki)
		return err_set(e, -EINVAL, "nothing to write: give PID/PPS pairs (--psk) or a PKI "
			       "record (--suffix, --server)");
	if (s->psk_count + (s->pki ? 1 : 0) > USBKEY_RECORDS_MAX)
		return err_set(e, -E2BIG, "more than %u records", USBKEY_RECORDS_MAX);
	if (!s->password.len)
		return err_set(e, -EINVAL, "a new MEBx password is required (--mebx-password FILE): "
			       "a BIOS applies a key only while the password is the factory one, "
			       "and it must be changed");
	if (setupbin_password_check(s->password.buf, s->password.len, &se) < 0)
		return err_set(e, -EINVAL, "%s", se.msg);
	if (s->pki && vcode < 20)
		return err_set(e, -EINVAL, "a PKI record needs file version 2.0 or later (AMT 3.0 "
			       "or later); version 1 carries PID/PPS only");
	if (s->pki && (s->have_address || s->port) && vcode < 21)
		return err_set(e, -EINVAL, "a provisioning-server address or port needs file "
			       "version 2.1 or later (AMT 4.0 or later); give a server name instead");
	for (size_t i = 0; i < s->hash_count; i++)
		if (s->hashes[i].algo > 1 && vcode < 30)
			return err_set(e, -EINVAL, "certificate hash \"%s\": SHA-256 and SHA-384 "
				       "need file version 3 (AMT 6.0 or later)", s->hashes[i].name);
	return 0;
}

static int add(struct setupbin_record *r, uint16_t module, uint16_t var, const void *val,
	       size_t len, struct setupbin_err *se)
{
	return setupbin_record_add(r, module, var, val, len, se);
}

/* 1/1 factory password, 1/2 the new one, 1/3 AMT on when asked. */
static int add_mebx(const struct usbkey_spec *s, struct setupbin_record *r,
		    struct setupbin_err *se)
{
	static const uint8_t on = 1;
	int ret;

	ret = add(r, SETUPBIN_MOD_ME, SETUPBIN_ME_CURRENT_PASSWORD, SETUPBIN_FACTORY_PASSWORD,
		  strlen(SETUPBIN_FACTORY_PASSWORD), se);
	if (ret == 0)
		ret = add(r, SETUPBIN_MOD_ME, SETUPBIN_ME_NEW_PASSWORD, s->password.buf,
			  s->password.len, se);
	if (ret == 0 && s->enable_amt)
		ret = add(r, SETUPBIN_MOD_ME, SETUPBIN_ME_MANAGEABILITY, &on, 1, se);
	return ret;
}

static int add_pki(const struct usbkey_spec *s, struct setupbin_record *r, unsigned vcode,
		   struct setupbin_err *se)
{
	static const uint8_t on = 1;
	uint8_t val[2 + 48 + SETUPBIN_CERT_NAME_MAX], ip[4], port[2];
	int ret = 0, n;

	if (s->suffix[0])
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_PKI_SUFFIX, s->suffix, strlen(s->suffix),
			  se);
	if (ret == 0 && s->server_fqdn[0])
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_SERVER_FQDN, s->server_fqdn,
			  strlen(s->server_fqdn), se);
	if (ret == 0)
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_RCFG, &on, 1, se);
	if (ret == 0 && s->hash_count)
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_USER_CERTS, &on, 1, se);
	for (size_t i = 0; ret == 0 && i < s->hash_count; i++) {
		n = setupbin_hash_encode(val, sizeof(val), s->hashes[i].algo, s->hashes[i].hash,
					 s->hashes[i].len, s->hashes[i].name, se);
		ret = n < 0 ? n : add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_USER_CERT_ADD, val,
				      (size_t)n, se);
	}
	/* doc/remote-config.md 6.5: the address is stored a.b.c.d reversed */
	for (int i = 0; i < 4; i++)
		ip[i] = s->address[3 - i];
	if (ret == 0 && s->have_address)
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_SERVER_ADDRESS, ip, 4, se);
	port[0] = (uint8_t)s->port;
	port[1] = (uint8_t)(s->port >> 8);
	if (ret == 0 && s->port)
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_SERVER_PORT, port, 2, se);
	if (ret == 0 && vcode >= 30)
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_PROVISION_START, &on, 1, se);
	return ret;
}

/* Record `index` (0-based): a PSK pair while there are, then the PKI record. */
static int build_record(const struct usbkey_spec *s, size_t index, unsigned vcode,
			struct setupbin_record *r, struct setupbin_err *se)
{
	const struct usbkey_psk *p = index < s->psk_count ? &s->psk[index] : NULL;
	uint32_t flags = SETUPBIN_REC_VALID | (s->scramble ? SETUPBIN_REC_SCRAMBLED : 0);
	int ret;

	setupbin_record_init(r, (uint32_t)index + 1, flags);
	ret = add_mebx(s, r, se);
	if (ret == 0 && p) {
		ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_PID, p->pid, SETUPBIN_PID_LEN, se);
		if (ret == 0)
			ret = add(r, SETUPBIN_MOD_CM, SETUPBIN_CM_PPS, p->pps, SETUPBIN_PPS_LEN, se);
	} else if (ret == 0) {
		ret = add_pki(s, r, vcode, se);
	}
	if (ret == 0)
		ret = setupbin_record_check(r, vcode, se);
	return ret;
}

int usbkey_build(const struct usbkey_spec *s, uint8_t **out, size_t *len, struct amt_err *e)
{
	struct setupbin_err se = { 0, "" };
	struct setupbin_record *r = NULL;
	struct setupbin_header h;
	size_t count, size = 0, i = 0;
	uint8_t *file = NULL, minor;
	unsigned type, vcode;
	int ret;

	*out = NULL;
	*len = 0;
	ret = pick_version(s, &type, &minor, e);
	if (ret < 0)
		return ret;
	vcode = setupbin_version_code(type, minor);
	ret = check_spec(s, vcode, e);
	if (ret < 0)
		return ret;
	count = s->psk_count + (s->pki ? 1 : 0);
	size = setupbin_file_len((uint32_t)count, 1);
	file = calloc(1, size);
	r = malloc(sizeof(*r));
	if (!file || !r) {
		ret = err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	setupbin_header_init(&h, type, minor, s->no_consume ? SETUPBIN_FILE_NO_CONSUME : 0);
	h.record_count = (uint32_t)count;
	for (i = 0; i < count; i++) {
		ret = build_record(s, i, vcode, r, &se);
		if (ret == 0)
			ret = setupbin_header_add_modules(&h, r);
		if (ret == 0)
			ret = setupbin_record_encode(file + setupbin_record_offset(&h, (uint32_t)i),
						     SETUPBIN_CHUNK, r, &se);
		if (ret < 0) {
			err_set(e, ret, "record %zu: %s", i + 1, se.msg);
			goto out;
		}
	}
	ret = setupbin_header_encode(file, SETUPBIN_CHUNK, &h, &se);
	if (ret < 0)
		err_set(e, ret, "header: %s", se.msg);
out:
	if (r) {
		secret_cleanse(r, sizeof(*r));
		free(r);
	}
	if (ret < 0 && file) {
		secret_cleanse(file, size);
		free(file);
		file = NULL;
	}
	*out = file;
	*len = file ? size : 0;
	return ret;
}
