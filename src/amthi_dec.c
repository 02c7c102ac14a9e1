// SPDX-License-Identifier: MIT
/* Decoders for validated AMTHI reply payloads: exact sizes, string and field ranges. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "amthi.h"
#include "amthi_int.h"
#include "buf.h"

/* doc/firmware.md 4.5.1: fixed parts of GET_CODE_VERSIONS */
#define BIOS_LEN 65u
#define VSTR_LEN 20u
#define ENTRY_LEN (2u + VSTR_LEN + 2u + VSTR_LEN)
/* 4.5.10: IsDefault, IsActive, hash[64], algorithm, name length */
#define CERTHASH_FIXED (4u + 4u + 64u + 1u + 2u)

static int usable(const struct amthi_reply *r)
{
	return r && r->status == 0 && (r->payload || r->payload_len == 0);
}

static void start(struct amthi_reply *r, struct rbuf *b)
{
	r->fault = AMTHI_FAULT_NONE;
	err_clear(&r->err);
	rbuf_init(b, r->payload, r->payload_len);
}

static int exact(struct amthi_reply *r, size_t want)
{
	if (r->payload_len == want)
		return 0;
	return amthi_fail(r, AMTHI_FAULT_SIZE, "%zu bytes of payload, expected exactly %zu",
			  r->payload_len, want);
}

/* After the fixed part of a variable reply: exactly `want` bytes must remain. */
static int remaining(struct amthi_reply *r, const struct rbuf *b, size_t want,
		     const char *what)
{
	size_t left = rbuf_left(b);

	if (!rbuf_ok(b))
		return amthi_fail(r, AMTHI_FAULT_SIZE, "%zu bytes of payload, too short for %s",
				  r->payload_len, what);
	if (left < want)
		return amthi_fail(r, AMTHI_FAULT_SIZE, "%s needs %zu bytes, only %zu present",
				  what, want, left);
	if (left > want)
		return amthi_fail(r, AMTHI_FAULT_TRAILING, "%zu trailing bytes after %s",
				  left - want, what);
	return 0;
}

static int boolean(struct amthi_reply *r, uint32_t v, const char *field, bool *out)
{
	if (v > 1)
		return amthi_fail(r, AMTHI_FAULT_FIELD,
				  "%s is %u, not an AMT_BOOLEAN (0 or 1)", field, v);
	*out = v == 1;
	return 0;
}

/*
 * n wire bytes into out[cap]: printable ASCII, one trailing NUL allowed and stripped,
 * refused if it does not fit with its terminator.
 */
static int text(struct amthi_reply *r, const char *field, const uint8_t *p, size_t n,
		char *out, size_t cap)
{
	size_t i;

	if (n && p[n - 1] == 0)
		n--;
	for (i = 0; i < n; i++) {
		if (p[i] == 0)
			return amthi_fail(r, AMTHI_FAULT_FIELD, "%s has an embedded NUL at %zu",
					  field, i);
		if (p[i] < 0x20 || p[i] > 0x7e)
			return amthi_fail(r, AMTHI_FAULT_FIELD,
					  "%s has non-printable byte 0x%02X at %zu", field, p[i],
					  i);
	}
	if (n >= cap)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "%s is %zu characters, at most %zu fit",
				  field, n, cap ? cap - 1 : 0);
	if (n)
		memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* An AMT_ANSI_STRING that ends the payload: u16 length, then exactly that many bytes. */
static int ansi_tail(struct amthi_reply *r, struct rbuf *b, const char *field, char *out,
		     size_t cap)
{
	uint16_t n = rbuf_u16(b);
	int ret = remaining(r, b, n, field);

	if (ret)
		return ret;
	return text(r, field, rbuf_ptr(b, n), n, out, cap);
}

int amthi_dec_empty(struct amthi_reply *r)
{
	if (!usable(r))
		return -EINVAL;
	r->fault = AMTHI_FAULT_NONE;
	err_clear(&r->err);
	return exact(r, 0);
}

/* BiosVersion: NUL-padded; what follows the first NUL is padding and not inspected */
static int bios(struct amthi_reply *r, const uint8_t *p, char out[BIOS_LEN + 1])
{
	const uint8_t *nul = memchr(p, 0, BIOS_LEN);

	return text(r, "BiosVersion", p, nul ? (size_t)(nul - p) : BIOS_LEN, out,
		    BIOS_LEN + 1);
}

/* doc/firmware.md 4.5.1: DescLen <= 20; Ver NUL-terminated in its 20 bytes, VerLen == strlen */
static int version_entry(struct amthi_reply *r, struct rbuf *b, uint32_t i,
			 struct amt_code_versions *out)
{
	uint16_t dlen = rbuf_u16(b);
	const uint8_t *desc = rbuf_ptr(b, VSTR_LEN);
	uint16_t vlen = rbuf_u16(b);
	const uint8_t *ver = rbuf_ptr(b, VSTR_LEN);
	const uint8_t *nul;
	char field[32];

	if (!desc || !ver)
		return amthi_fail(r, AMTHI_FAULT_SIZE, "entry %u is truncated", i);
	if (dlen > VSTR_LEN)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "entry %u: DescLen %u exceeds %u", i,
				  dlen, VSTR_LEN);
	snprintf(field, sizeof(field), "entry %u description", i);
	if (text(r, field, desc, dlen, out->v[i].desc, sizeof(out->v[i].desc)))
		return -EBADMSG;
	nul = memchr(ver, 0, VSTR_LEN);
	if (!nul)
		return amthi_fail(r, AMTHI_FAULT_FIELD,
				  "entry %u (%s): version not NUL-terminated within %u bytes", i,
				  out->v[i].desc, VSTR_LEN);
	if (vlen != nul - ver)
		return amthi_fail(r, AMTHI_FAULT_FIELD,
				  "entry %u (%s): VerLen %u but the version has %td characters", i,
				  out->v[i].desc, vlen, nul - ver);
	snprintf(field, sizeof(field), "entry %u version", i);
	return text(r, field, ver, vlen, out->v[i].ver, sizeof(out->v[i].ver));
}

int amthi_dec_code_versions(struct amthi_reply *r, struct amt_code_versions *out)
{
	struct rbuf b;
	const uint8_t *bios_p;
	uint32_t count, i;
	int ret;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	memset(out, 0, sizeof(*out));
	bios_p = rbuf_ptr(&b, BIOS_LEN);
	count = rbuf_u32(&b);
	if (!rbuf_ok(&b))
		return amthi_fail(r, AMTHI_FAULT_SIZE,
				  "%zu bytes of payload, fewer than the %u of BiosVersion and count",
				  r->payload_len, BIOS_LEN + 4);
	if (count > AMT_VERSIONS_MAX)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "VersionsCount %u exceeds %u", count,
				  AMT_VERSIONS_MAX);
	ret = remaining(r, &b, (size_t)count * ENTRY_LEN, "the version entries");
	if (ret)
		return ret;
	if (bios(r, bios_p, out->bios))
		return -EBADMSG;
	for (i = 0; i < count; i++)
		if (version_entry(r, &b, i, out))
			return -EBADMSG;
	out->count = count;
	return 0;
}

int amthi_dec_uuid(struct amthi_reply *r, uint8_t uuid[16])
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	if (exact(r, 16))
		return -EBADMSG;
	rbuf_bytes(&b, uuid, 16);
	return 0;
}

int amthi_dec_u32(struct amthi_reply *r, uint32_t *out)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	if (exact(r, 4))
		return -EBADMSG;
	*out = rbuf_u32(&b);
	return 0;
}

int amthi_dec_bool(struct amthi_reply *r, bool *out)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	if (exact(r, 4))
		return -EBADMSG;
	return boolean(r, rbuf_u32(&b), "value", out);
}

int amthi_dec_prov_mode(struct amthi_reply *r, uint32_t *mode, bool *legacy)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	if (exact(r, 8))
		return -EBADMSG;
	*mode = rbuf_u32(&b);
	return boolean(r, rbuf_u32(&b), "LegacyMode", legacy);
}

int amthi_dec_ansi(struct amthi_reply *r, char *out, size_t cap)
{
	struct rbuf b;

	if (!usable(r) || !out || cap == 0)
		return -EINVAL;
	start(r, &b);
	out[0] = '\0';
	return ansi_tail(r, &b, "string", out, cap);
}

int amthi_dec_pid(struct amthi_reply *r, char pid[9])
{
	struct rbuf b;
	const uint8_t *p;
	size_t n;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	if (exact(r, 8))
		return -EBADMSG;
	p = rbuf_ptr(&b, 8);
	/* an unset PID may come as NUL padding: the string ends at the first NUL */
	for (n = 0; n < 8 && p[n]; n++)
		;
	for (size_t i = n; i < 8; i++)
		if (p[i])
			return amthi_fail(r, AMTHI_FAULT_FIELD,
					  "PID has a byte after its terminating NUL at %zu", i);
	return text(r, "PID", p, n, pid, 9);
}

int amthi_dec_lan(struct amthi_reply *r, struct amt_lan *out)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	memset(out, 0, sizeof(*out));
	if (exact(r, 20))
		return -EBADMSG;
	if (boolean(r, rbuf_u32(&b), "Enabled", &out->enabled))
		return -EBADMSG;
	out->ipv4 = rbuf_u32(&b);
	if (boolean(r, rbuf_u32(&b), "DhcpEnabled", &out->dhcp_enabled))
		return -EBADMSG;
	out->dhcp_mode = rbuf_u8(&b);
	out->link_up = rbuf_u8(&b);
	rbuf_bytes(&b, out->mac, sizeof(out->mac));
	return 0;
}

int amthi_dec_hash_handles(struct amthi_reply *r, uint32_t *handles, size_t cap,
			   size_t *count)
{
	struct rbuf b;
	uint32_t n, i;
	int ret;

	if (!usable(r) || (cap && !handles))
		return -EINVAL;
	start(r, &b);
	*count = 0;
	n = rbuf_u32(&b);
	if (!rbuf_ok(&b))
		return amthi_fail(r, AMTHI_FAULT_SIZE, "%zu bytes of payload, no handle count",
				  r->payload_len);
	if (n > AMT_HASH_HANDLES_MAX || n > cap)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "%u hash handles, at most %zu accepted",
				  n, cap < AMT_HASH_HANDLES_MAX ? cap : AMT_HASH_HANDLES_MAX);
	ret = remaining(r, &b, 4 * (size_t)n, "the hash handles");
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		handles[i] = rbuf_u32(&b);
	*count = n;
	return 0;
}

int amthi_dec_certhash(struct amthi_reply *r, struct amt_certhash *out)
{
	struct rbuf b;
	uint16_t n;
	int ret;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	memset(out, 0, sizeof(*out));
	if (r->payload_len < CERTHASH_FIXED)
		return amthi_fail(r, AMTHI_FAULT_SIZE, "%zu bytes of payload, fewer than %u",
				  r->payload_len, CERTHASH_FIXED);
	if (boolean(r, rbuf_u32(&b), "IsDefault", &out->is_default) ||
	    boolean(r, rbuf_u32(&b), "IsActive", &out->is_active))
		return -EBADMSG;
	rbuf_bytes(&b, out->hash, sizeof(out->hash));
	out->algorithm = rbuf_u8(&b);
	n = rbuf_u16(&b);
	if (n > AMT_HASH_NAME_MAX)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "name length %u exceeds %u", n,
				  AMT_HASH_NAME_MAX);
	ret = remaining(r, &b, n, "the name");
	if (ret)
		return ret;
	return text(r, "name", rbuf_ptr(&b, n), n, out->name, sizeof(out->name));
}

int amthi_dec_fqdn(struct amthi_reply *r, struct amt_fqdn *out)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	memset(out, 0, sizeof(*out));
	if (r->payload_len < 22)
		return amthi_fail(r, AMTHI_FAULT_SIZE, "%zu bytes of payload, fewer than 22",
				  r->payload_len);
	if (boolean(r, rbuf_u32(&b), "SharedFQDN", &out->shared) ||
	    boolean(r, rbuf_u32(&b), "DDNSUpdateEnabled", &out->ddns_update_enabled))
		return -EBADMSG;
	out->ddns_interval = rbuf_u32(&b);
	out->ddns_ttl = rbuf_u32(&b);
	out->hostname_len = rbuf_u32(&b);
	if (out->hostname_len > AMT_FQDN_MAX)
		return amthi_fail(r, AMTHI_FAULT_FIELD, "HostNameLength %u exceeds %u",
				  out->hostname_len, AMT_FQDN_MAX);
	return ansi_tail(r, &b, "FQDN", out->fqdn, sizeof(out->fqdn));
}

int amthi_dec_remote_access(struct amthi_reply *r, struct amt_remote_access *out)
{
	struct rbuf b;

	if (!usable(r))
		return -EINVAL;
	start(r, &b);
	memset(out, 0, sizeof(*out));
	out->network_status = rbuf_u32(&b);
	out->connection_status = rbuf_u32(&b);
	out->trigger = rbuf_u32(&b);
	return ansi_tail(r, &b, "MpsHostname", out->mps_hostname,
			 sizeof(out->mps_hostname));
}

size_t amthi_hash_len(uint8_t algorithm)
{
	static const size_t len[] = { 16, 20, 32, 64 };

	return algorithm < 4 ? len[algorithm] : 0;
}

const char *amthi_hash_name(uint8_t algorithm)
{
	static const char *const name[] = { "md5", "sha1", "sha256", "sha512" };

	return algorithm < 4 ? name[algorithm] : NULL;
}
