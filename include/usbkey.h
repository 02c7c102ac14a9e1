/* SPDX-License-Identifier: MIT */
/* USB provisioning keys: what goes into a setup.bin (doc/setup-bin.md 4), built in memory. */
#ifndef AMTACT_USBKEY_H
#define AMTACT_USBKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "secret.h"
#include "setupbin.h"

/* Most records in one key file (a BIOS takes minutes to parse 20 000 records). */
#define USBKEY_RECORDS_MAX 5000u
#define USBKEY_HASHES_MAX 3u

struct usbkey_psk {
	char pid[SETUPBIN_PID_LEN + 1];
	char pps[SETUPBIN_PPS_LEN + 1]; /* secret */
};

struct usbkey_hash {
	unsigned algo;                  /* 1 SHA-1, 2 SHA-256, 3 SHA-384 */
	uint8_t hash[48];
	size_t len;
	char name[SETUPBIN_CERT_NAME_MAX + 1];
};

/*
 * What to write. Secrets: `password` and every psk[].pps; usbkey_spec_clear() wipes them and
 * frees psk. A spec is filled from options and/or a JSON spec file (usbkey_spec_load).
 */
struct usbkey_spec {
	unsigned type;          /* file type 1-4; 0: from amt_major */
	uint8_t minor;
	unsigned amt_major;     /* target AMT major version; 0: not given */
	bool no_consume, scramble, enable_amt;
	struct secret password; /* the new MEBx password */
	struct usbkey_psk *psk;
	size_t psk_count, psk_cap;
	bool pki;
	char suffix[256];
	char server_fqdn[256];
	bool have_address;
	uint8_t address[4];     /* a.b.c.d in this order */
	uint16_t port;          /* 0: not given */
	struct usbkey_hash hashes[USBKEY_HASHES_MAX];
	size_t hash_count;
	/* file names a JSON spec gives (read by the command, like the options) */
	char psk_file[512];
	char password_file[512];
};

void usbkey_spec_init(struct usbkey_spec *s);
void usbkey_spec_clear(struct usbkey_spec *s);

/* The file version for a target AMT major version (doc/setup-bin.md 1); -EINVAL if < 2. */
int usbkey_version_for_amt(unsigned amt_major, unsigned *type, uint8_t *minor);

/* "1", "2", "2.0", "2.1", "3", "4" -> type/minor; -EINVAL otherwise. */
int usbkey_version_parse(const char *s, unsigned *type, uint8_t *minor);

/*
 * PID/PPS pairs, one per line: PID and PPS separated by spaces, a tab, a comma or a
 * semicolon, dashes allowed; blank lines and lines starting with '#' skipped. Appends to
 * s->psk. Errors name the line (the PPS itself never). Returns 0 or -EINVAL/-ENOMEM/-E2BIG.
 */
int usbkey_psk_parse(struct usbkey_spec *s, const char *text, size_t len, struct amt_err *e);

/* "sha256:HEX:NAME" (sha1, sha256, sha384) into h. Returns 0 or -EINVAL with e filled. */
int usbkey_hash_parse(const char *arg, struct usbkey_hash *h, struct amt_err *e);

/* A dotted IPv4 address into a[4]; 0 or -EINVAL. */
int usbkey_ipv4_parse(const char *s, uint8_t a[4]);

/*
 * Read a JSON spec (doc/setup-bin.md 4, man amtact(8) USB KEYS) into s: keys "amt",
 * "file_version", "consume", "scramble", "enable_amt", "psk_file", "mebx_password_file",
 * "pki": { "suffix", "server", "address", "port", "hashes": [ { "algorithm", "hash",
 * "name" } ] }. Unknown keys are refused. Returns 0 or a negative errno with e filled.
 */
int usbkey_spec_load(const char *path, struct usbkey_spec *s, struct amt_err *e);

/*
 * Build the whole file: every PSK pair one record, then the PKI record (if s->pki), each
 * checked with setupbin_record_check. *out is malloc'd (*len bytes); the caller wipes it
 * (secret_cleanse) and frees it. Returns 0 or a negative errno with e filled.
 */
int usbkey_build(const struct usbkey_spec *s, uint8_t **out, size_t *len, struct amt_err *e);

#endif
