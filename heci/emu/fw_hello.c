// SPDX-License-Identifier: MIT
/* The remote-configuration hello: packet built from the model, retry schedule, counters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fw_int.h"

#define HELLO_ADMIN_CREDS_SET 1u
#define HELLO_VERSION_PSK 2u
#define HELLO_VERSION_PKI 3u
#define HELLO_PSK_LEN 32u
#define HELLO_PID_LEN 8u
/* Hash type codes of the hello (MeshCentral hello server, Realtek DASH): 1 SHA-1 (20 bytes), 2 SHA-256 (32). */
#define HELLO_TYPE_SHA1 1u
#define HELLO_TYPE_SHA256 2u
#define STEP_COUNT_MAX 1000u
#define STEP_DELAY_MAX 86400u

/*
 * Realtek's DASH sender (doc/remote-config.md 2.5, Realtek DASH): 5 attempts 12 s apart, 5 x 120 s, 5 x 20 min,
 * then 36 min until attempt 40. Intel's own schedule is UNCONFIRMED (doc/remote-config.md 10).
 */
static const struct fw_hello_sched rtk_sched = {
	4, { { 5, 12 }, { 5, 120 }, { 5, 1200 }, { 25, 2160 } }
};

const struct fw_hello_sched *fw_hello_sched_default(void)
{
	return &rtk_sched;
}

/* PSK (version 2) only before ME 11, which removed PSK (remote-config.md 2.2, 5). */
bool fw_hello_psk(const struct fw *fw)
{
	return fw->gen->major < 11 && fw->tls_mode == 1;
}

static void put_header(struct wbuf *w, const struct fw *fw, unsigned version, unsigned retry)
{
	/* "Admin credentials set": 1 in both captures and in Realtek DASH; meaning UNCONFIRMED */
	wbuf_u16(w, HELLO_ADMIN_CREDS_SET);
	wbuf_u16(w, (uint16_t)version);
	wbuf_u32(w, retry);
	/* same byte order as the GET_UUID payload (doc/remote-config.md 2.2: UNCONFIRMED cross-check) */
	wbuf_bytes(w, fw->uuid, 16);
}

/*
 * Which hashes go in: the ACTIVE entries of the model's table, in table order (the
 * captures list §4.2 rows in table order; doc/remote-config.md 2.2 leaves "active only? defaults +
 * custom?" UNCONFIRMED; Intel's prerequisite "at least one active root hash" (HP p. 40)
 * suggests inactive ones are not offered). SHA-256 as type 2; SHA-1 entries of the pre-11
 * tables as type 1, the layout Realtek DASH sends and MeshCentral accepts; MD5 has no hello type.
 */
static unsigned hello_type(const struct fw_hash *h)
{
	if (!h->active)
		return 0;
	if (h->algorithm == 2)
		return HELLO_TYPE_SHA256;
	if (h->algorithm == 1)
		return HELLO_TYPE_SHA1;
	return 0;
}

int fw_hello_build(const struct fw *fw, unsigned retry, uint8_t *out, size_t cap,
		   size_t *len)
{
	struct wbuf w;
	size_t i, count = 0;
	unsigned type;

	*len = 0;
	wbuf_init(&w, out, cap);
	if (fw_hello_psk(fw)) {
		put_header(&w, fw, HELLO_VERSION_PSK, retry);
		/* a box without PID sends 8 zero bytes, as its GET_PID answers (UNCONFIRMED) */
		wbuf_bytes(&w, fw->pid, strnlen(fw->pid, HELLO_PID_LEN));
		wbuf_zeros(&w, HELLO_PID_LEN - strnlen(fw->pid, HELLO_PID_LEN));
	} else {
		put_header(&w, fw, HELLO_VERSION_PKI, retry);
		for (i = 0; i < fw->hash_count; i++)
			count += hello_type(&fw->hashes[i]) != 0;
		wbuf_u8(&w, (uint8_t)count); /* the table holds at most 40 */
		for (i = 0; i < fw->hash_count; i++) {
			type = hello_type(&fw->hashes[i]);
			if (!type)
				continue;
			wbuf_u8(&w, (uint8_t)type);
			wbuf_u8(&w, (uint8_t)fw_hash_len(fw->hashes[i].algorithm));
			wbuf_bytes(&w, fw->hashes[i].hash, fw_hash_len(fw->hashes[i].algorithm));
		}
	}
	if (!wbuf_ok(&w))
		return -ENOSPC;
	*len = w.len;
	return 0;
}

static int parse_uint(const char *s, const char **end, unsigned max, unsigned *out)
{
	unsigned long v;
	char *e;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || v > max)
		return -1;
	*out = (unsigned)v;
	*end = e;
	return 0;
}

int fw_hello_sched_parse(const char *spec, struct fw_hello_sched *s, char *err,
			 size_t errlen)
{
	struct fw_hello_sched tmp = { 0 };
	const char *p = spec ? spec : "";
	struct fw_hello_step *st;

	while (*p) {
		if (tmp.steps == FW_HELLO_SCHED_MAX) {
			snprintf(err, errlen, "more than %u steps", FW_HELLO_SCHED_MAX);
			return -EINVAL;
		}
		st = &tmp.step[tmp.steps];
		if (parse_uint(p, &p, STEP_COUNT_MAX, &st->count) || st->count == 0 ||
		    *p++ != 'x' || parse_uint(p, &p, STEP_DELAY_MAX, &st->delay_s) ||
		    (*p && *p != ',') || (*p == ',' && !p[1])) {
			snprintf(err, errlen, "bad schedule \"%s\": expected COUNTxSECONDS[,...] "
				 "(count 1-%u, seconds 0-%u)", spec ? spec : "", STEP_COUNT_MAX,
				 STEP_DELAY_MAX);
			return -EINVAL;
		}
		tmp.steps++;
		if (*p == ',')
			p++;
	}
	if (!tmp.steps) {
		snprintf(err, errlen, "empty schedule");
		return -EINVAL;
	}
	*s = tmp;
	return 0;
}

void fw_hello_sched_format(const struct fw_hello_sched *s, char *out, size_t cap)
{
	size_t used = 0;
	unsigned i;
	int n;

	if (cap)
		out[0] = '\0';
	for (i = 0; i < s->steps && used < cap; i++) {
		n = snprintf(out + used, cap - used, "%s%ux%u", i ? "," : "", s->step[i].count,
			     s->step[i].delay_s);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/*
 * Zero touch (remote configuration) off: no PKI hello at all, whatever the window
 * (remote-config.md 11.2; SDK "CFG_SetZeroTouchEnabled"). PSK hellos do not depend on it
 * (UNCONFIRMED).
 */
const char *fw_hello_silent(const struct fw *fw)
{
	if (!fw_hello_psk(fw) && !fw->zero_touch_enabled)
		return "remote configuration (zero touch) is disabled: no hellos";
	return NULL;
}

int fw_hello_open(const struct fw *fw, int64_t now)
{
	return fw->hello_until != 0 && now < fw->hello_until && !fw_hello_silent(fw);
}

void fw_hello_arm(struct fw *fw, int64_t now, int64_t seconds)
{
	fw->hello_started_at = now;
	fw->hello_until = now + seconds;
	fw->hello_starts++;
	fw->provisioning_state = 1; /* PRE -> IN, as START_CONFIGURATION (UNCONFIRMED) */
	fw->dirty = 1;
}

/* Windows are numbered by hello.starts: each START_CONFIGURATION begins a new one. */
int64_t fw_hello_window(const struct fw *fw)
{
	return fw->hello_starts;
}

unsigned fw_hello_retry(const struct fw *fw)
{
	/* counters of an older window do not count */
	return fw->hello_attempts_window == fw_hello_window(fw) ? fw->hello_attempts : 0;
}

/* Delay before attempt number `n` (0-based), or -1 past the schedule's end. */
static int64_t delay_before(const struct fw_hello_sched *s, unsigned n)
{
	unsigned i;

	for (i = 0; i < s->steps; i++) {
		if (n < s->step[i].count)
			return s->step[i].delay_s;
		n -= s->step[i].count;
	}
	return -1;
}

int fw_hello_next(const struct fw *fw, const struct fw_hello_sched *s, int64_t now,
		  int64_t *due_at)
{
	unsigned n = fw_hello_retry(fw);
	int64_t delay, due;

	if (!s)
		s = &rtk_sched;
	if (!fw_hello_open(fw, now))
		return -ENOENT;
	delay = delay_before(s, n);
	if (delay < 0)
		return -ENOENT;
	due = (n ? fw->hello_last_at : fw->hello_started_at) + delay;
	/* the hello invites the server's TLS connection, which needs the key pair
	 * (doc/remote-config.md 2.3): none before cert_ready_at (UNCONFIRMED), none while
	 * it is discarded */
	if (fw->key_discarded)
		return -ENOENT;
	if (due < fw->cert_ready_at)
		due = fw->cert_ready_at;
	if (due >= fw->hello_until)
		return -ENOENT; /* clamped to the window */
	*due_at = due;
	return 0;
}

void fw_hello_mark(struct fw *fw, int64_t window, int64_t at, int delivered)
{
	if (window == fw_hello_window(fw) && fw->hello_until != 0) {
		if (fw->hello_attempts_window != window) {
			fw->hello_attempts_window = window;
			fw->hello_attempts = 0;
		}
		if (fw->hello_attempts < UINT32_MAX)
			fw->hello_attempts++;
		fw->hello_last_at = at;
	}
	if (delivered && fw->hello_delivered < UINT32_MAX)
		fw->hello_delivered++;
	else if (!delivered && fw->hello_failed < UINT32_MAX)
		fw->hello_failed++;
	fw->dirty = 1;
}

/*
 * SDK "Setup Mode Hello Messages": "ProvisionServer" + the domain entered in MEBx (the model's PKI suffix);
 * with no suffix at all the firmware asks for the bare name (SDK "Entering the PID-PPS pair using a USB storage device"). The fallback
 * to the DHCP option-15 suffix is not modelled: the model has no DHCP suffix.
 */
void fw_hello_server_name(const struct fw *fw, char *out, size_t cap)
{
	/* a USB key may name the server itself (doc/setup-bin.md 6) */
	if (fw->prov_server[0]) {
		snprintf(out, cap, "%s", fw->prov_server);
		return;
	}
	snprintf(out, cap, "ProvisionServer%s%s", fw->pki_dns_suffix[0] ? "." : "",
		 fw->pki_dns_suffix);
}
