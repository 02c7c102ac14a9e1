// SPDX-License-Identifier: MIT
/* The emulated MEBx reading a USB provisioning key (setup.bin) at power-on
 * (doc/setup-bin.md 6; the format: doc/remote-config.md 6). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw_int.h"
#include "setupbin.h"

enum { POST = 2, PSK = 1, PKI = 2 };

/* A key larger than this is not read (100 000 records, doc/remote-config.md 6.1). */
#define KEY_MAX (64u * 1024 * 1024)

/* The newest file version a generation's BIOS reads (doc/setup-bin.md 1). */
static unsigned max_version(const struct fw_gen *g)
{
	if (g->major < 3)
		return 10;
	if (g->major == 3)
		return 20;
	return g->major < 6 ? 21 : 40;
}

static int read_key(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, ret = -EINVAL;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > KEY_MAX)
		goto out;
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	ret = -ENOMEM;
	if (!buf)
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

/* SDK: each BIOS that consumes a record adds one to the header's count (6.3). */
static int mark_consumed(const char *path, uint32_t consumed)
{
	uint8_t v[4] = { (uint8_t)consumed, (uint8_t)(consumed >> 8), (uint8_t)(consumed >> 16),
			 (uint8_t)(consumed >> 24) };
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (pwrite(fd, v, sizeof(v), 32) != (ssize_t)sizeof(v) || fsync(fd) < 0)
		ret = -EIO;
	close(fd);
	return ret;
}

static int is_value(const struct setupbin_record *r, const struct setupbin_entry *en,
		    const char *s)
{
	return en && en->len == strlen(s) && memcmp(r->data + en->off, s, en->len) == 0;
}

static void add_hash(struct fw *fw, const uint8_t *val, size_t len)
{
	const uint8_t *hash;
	const char *name;
	size_t hl, nl;
	unsigned algo;
	struct fw_hash *h;
	uint32_t handle = 0;

	if (setupbin_hash_decode(val, len, &algo, &hash, &hl, &name, &nl, NULL) < 0 ||
	    hl > FW_HASH_MAX || fw->hash_count >= sizeof(fw->hashes) / sizeof(fw->hashes[0]))
		return;
	for (size_t i = 0; i < fw->hash_count; i++)
		if (fw->hashes[i].handle >= handle)
			handle = fw->hashes[i].handle + 1;
	h = &fw->hashes[fw->hash_count++];
	memset(h, 0, sizeof(*h));
	h->handle = handle;
	snprintf(h->name, sizeof(h->name), "%.*s", (int)nl, name);
	h->algorithm = (uint8_t)algo;
	memcpy(h->hash, hash, hl);
	h->active = true;
}

/* One checked record into the model; *start set when 2/28 asks to start provisioning. */
static void apply_entry(struct fw *fw, const struct setupbin_record *r,
			const struct setupbin_entry *en, bool *start)
{
	const uint8_t *v = r->data + en->off;
	char pid[SETUPBIN_PID_LEN + 1];

	if (en->module == SETUPBIN_MOD_ME) {
		if (en->var == SETUPBIN_ME_NEW_PASSWORD)
			fw->mebx_password_changed = true;
		else if (en->var == SETUPBIN_ME_MANAGEABILITY && v[0] == 1)
			fw->amt_enabled = true;
		return;
	}
	switch (en->var) {
	case SETUPBIN_CM_PID:
		if (setupbin_pid_parse((const char *)v, en->len, pid, NULL) == 0) {
			memcpy(fw->pid, pid, sizeof(fw->pid));
			fw->tls_mode = PSK;
		}
		break;
	case SETUPBIN_CM_PKI_SUFFIX:
		snprintf(fw->pki_dns_suffix, sizeof(fw->pki_dns_suffix), "%.*s", en->len, v);
		fw->tls_mode = PKI;
		break;
	case SETUPBIN_CM_SERVER_FQDN:
		snprintf(fw->prov_server, sizeof(fw->prov_server), "%.*s", en->len, v);
		break;
	case SETUPBIN_CM_SERVER_ADDRESS:
		/* a name given beside the address wins (it came first: 2/4 < 2/17) */
		if (!setupbin_record_find(r, SETUPBIN_MOD_CM, SETUPBIN_CM_SERVER_FQDN))
			snprintf(fw->prov_server, sizeof(fw->prov_server), "%u.%u.%u.%u", v[3], v[2],
				 v[1], v[0]);
		break;
	case SETUPBIN_CM_SERVER_PORT:
		fw->prov_port = (uint32_t)(v[0] | v[1] << 8);
		break;
	case SETUPBIN_CM_RCFG:
		fw->zero_touch_enabled = v[0] == 1;
		fw->tls_mode = PKI;
		break;
	case SETUPBIN_CM_USER_CERT_ADD:
		add_hash(fw, v, en->len);
		break;
	case SETUPBIN_CM_PROVISION_START:
		*start = v[0] == 1;
		break;
	}
}

/* Why the box refuses this record, or NULL (checked before anything is applied). */
static const char *refused(const struct fw *fw, const struct setupbin_header *h,
			   const struct setupbin_record *r, char *why, size_t cap)
{
	unsigned vcode = setupbin_version_code(h->type, h->minor);
	struct setupbin_err se;

	if (vcode > max_version(fw->gen)) {
		snprintf(why, cap, "file version %u.%u is newer than AMT %u.%u reads", h->type,
			 h->minor, fw->gen->major, fw->gen->minor);
		return why;
	}
	if (r->type != SETUPBIN_RECORD_DATA || !(r->flags & SETUPBIN_REC_VALID))
		return "the record is not a valid data record";
	if (!is_value(r, setupbin_record_find(r, SETUPBIN_MOD_ME, SETUPBIN_ME_CURRENT_PASSWORD),
		      SETUPBIN_FACTORY_PASSWORD))
		return "2209 - USB provisioning error: the record's current MEBx password is not "
		       "the factory one";
	if (setupbin_record_check(r, vcode, &se) < 0) {
		snprintf(why, cap, "the record breaks the file rules: %s", se.msg);
		return why;
	}
	return NULL;
}

/* What the box says of the key it finds; the model changes only when a record applies. */
static void use_record(struct fw *fw, const uint8_t *file, size_t len,
		       const struct setupbin_header *h, char *out, size_t cap)
{
	struct setupbin_record *r = malloc(sizeof(*r));
	uint32_t index = (h->flags & SETUPBIN_FILE_NO_CONSUME) ? 0 : h->consumed;
	struct setupbin_err se;
	bool start = false;
	const char *why;
	char buf[200];

	if (!r) {
		snprintf(out, cap, "usb key: out of memory");
		return;
	}
	if (setupbin_record_decode(file, len, h, index, r, &se) < 0) {
		snprintf(out, cap, "usb key refused: offset %zu: %s", se.offset, se.msg);
		goto out;
	}
	why = refused(fw, h, r, buf, sizeof(buf));
	if (why) {
		snprintf(out, cap, "usb key refused: record %u: %s", (unsigned)index + 1, why);
		goto out;
	}
	for (size_t i = 0; i < r->entry_count; i++)
		apply_entry(fw, r, &r->entries[i], &start);
	if (start)
		fw_hello_arm(fw, fw_now(fw), FW_HELLO_FIRST_S);
	fw->dirty = 1;
	if (!(h->flags & SETUPBIN_FILE_NO_CONSUME) && mark_consumed(fw->usb_key, h->consumed + 1) < 0) {
		snprintf(out, cap, "usb key: record %u applied, but the key could not be marked",
			 (unsigned)index + 1);
		goto out;
	}
	snprintf(out, cap, "usb key: record %u of %u applied (%s%s), %u left", (unsigned)index + 1,
		 (unsigned)h->record_count, fw->tls_mode == PSK ? "PSK, PID " : "PKI, suffix ",
		 fw->tls_mode == PSK ? fw->pid : fw->pki_dns_suffix,
		 (unsigned)(h->flags & SETUPBIN_FILE_NO_CONSUME ? h->record_count :
			    h->record_count - h->consumed - 1));
out:
	explicit_bzero(r, sizeof(*r));
	free(r);
}

void fw_usbkey_power_on(struct fw *fw, char *out, size_t cap)
{
	struct setupbin_header h;
	struct setupbin_err se;
	uint8_t *file = NULL;
	size_t len = 0;
	int ret;

	out[0] = 0;
	if (!fw->usb_key[0])
		return;
	if (fw->edition == FW_ED_NONE) {
		snprintf(out, cap, "usb key ignored: this box has no AMT");
		return;
	}
	if (fw->provisioning_state == POST) {
		snprintf(out, cap, "usb key refused: AMT is already provisioned");
		return;
	}
	if (fw->mebx_password_changed) {
		snprintf(out, cap, "usb key refused: 2209 - USB provisioning error: the MEBx "
			 "password is no longer the factory one");
		return;
	}
	ret = read_key(fw->usb_key, &file, &len);
	if (ret < 0) {
		snprintf(out, cap, "usb key unreadable: %s: %s", fw->usb_key, strerror(-ret));
		return;
	}
	if (setupbin_header_decode(file, len, &h, &se) < 0)
		snprintf(out, cap, "usb key refused: offset %zu: %s", se.offset, se.msg);
	else if (!setupbin_records_left(&h))
		snprintf(out, cap, "usb key: no records left (%u of %u used)", (unsigned)h.consumed,
			 (unsigned)h.record_count);
	else
		use_record(fw, file, len, &h, out, cap);
	explicit_bzero(file, len);
	free(file);
}

int fw_usbkey_insert(struct fw *fw, const char *path, char *out, size_t outlen)
{
	struct stat st;
	char *real;

	if (strcmp(path, "none") == 0) {
		fw->usb_key[0] = 0;
		fw->dirty = 1;
		snprintf(out, outlen, "ok: no USB key");
		return 0;
	}
	real = realpath(path, NULL);
	if (!real || stat(real, &st) < 0 || !S_ISREG(st.st_mode) ||
	    strlen(real) >= sizeof(fw->usb_key)) {
		snprintf(out, outlen, "usb-key: %s: not a readable file", path);
		free(real);
		return -EINVAL;
	}
	memcpy(fw->usb_key, real, strlen(real) + 1);
	free(real);
	fw->dirty = 1;
	snprintf(out, outlen, "ok: USB key %s inserted (read at the next power-cycle)",
		 fw->usb_key);
	return 0;
}
