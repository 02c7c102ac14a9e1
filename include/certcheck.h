/* SPDX-License-Identifier: MIT */
/* A provisioning certificate chain, parsed into our own types for the firmware's rules. */
#ifndef AMTACT_CERTCHECK_H
#define AMTACT_CERTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "amthi.h"

#define CERTCHECK_MAX_CERTS 10
#define CERTCHECK_MAX_SANS 8
#define CERTCHECK_NAME_MAX 256

/* The OU the firmware accepts instead of the OID (doc/remote-config.md 3.1 rule 2), case-sensitive. */
#define CERTCHECK_AMT_OU "Intel(R) Client Setup Certificate"
/* The AMT provisioning extended key usage (doc/remote-config.md 3.1 rule 2). */
#define CERTCHECK_AMT_OID "2.16.840.1.113741.1.2.3"

struct certcheck_cert {
	int file_index;                 /* 1-based position in the input */
	char subject[CERTCHECK_NAME_MAX]; /* one line, RFC 2253 */
	char cn[CERTCHECK_NAME_MAX];    /* subject CN, "" if none */
	size_t san_count;
	char san[CERTCHECK_MAX_SANS][CERTCHECK_NAME_MAX]; /* DNS subjectAltNames */
	time_t not_before, not_after;
	bool self_signed;               /* issuer == subject and its own key verifies it */
	bool is_ca;                     /* basicConstraints CA:TRUE */
	bool has_eku;
	bool eku_server_auth;
	bool eku_amt_oid;
	bool ou_amt;                    /* an OU exactly CERTCHECK_AMT_OU */
	char sig_alg[64];               /* "sha256WithRSAEncryption", ... */
	bool sig_sha1_or_weaker;        /* signed with SHA-1, MD5 or MD2 */
	char key_type[16];              /* "RSA", "EC", ... */
	int key_bits;
	uint8_t sha1[20], sha256[32], sha384[48], sha512[64]; /* over the DER */
};

struct certcheck_chain {
	size_t count;                   /* certificates in the file */
	struct certcheck_cert cert[CERTCHECK_MAX_CERTS]; /* leaf first, then issuers in order */
	size_t path_len;                /* cert[0..path_len-1] is the leaf-to-top issuer path */
	bool has_root;                  /* the path ends in a self-signed certificate */
	bool verified;                  /* signatures verify from the leaf to that root */
	char verify_error[CERTCHECK_NAME_MAX]; /* why not, naming the certificate */
};

/*
 * Load a PEM file of certificates in any order and order it leaf -> root (the leaf is the
 * certificate that issued none of the others). Verifies the signatures along the path
 * (not the validity times: see certcheck_validity). Returns 0, a negative errno from
 * reading the file, -EBADMSG (not PEM certificates; err names the file and which
 * certificate), -E2BIG (more than CERTCHECK_MAX_CERTS), -ENODATA (no certificate) or
 * -ENOMEM. err (errlen > 0) always gets a message on failure. Runs in the crypto module
 * (include/module.h): when it cannot be loaded, the loader's error, and err says why.
 */
int certcheck_load(const char *path, struct certcheck_chain *out, char *err, size_t errlen);

/* The same from a buffer; `label` names it in messages. */
int certcheck_load_mem(const void *pem, size_t len, const char *label,
		       struct certcheck_chain *out, char *err, size_t errlen);

enum certcheck_validity {
	CERTCHECK_VALID = 0,
	CERTCHECK_EXPIRED,
	CERTCHECK_NOT_YET_VALID,
	CERTCHECK_EXPIRING,             /* valid now, expires within warn_days */
};

enum certcheck_validity certcheck_validity(const struct certcheck_cert *c, time_t now,
					   int warn_days);

enum certcheck_hash_state {
	CERTCHECK_HASH_MISSING = 0,     /* no entry for this certificate */
	CERTCHECK_HASH_INACTIVE,        /* present, IsActive false */
	CERTCHECK_HASH_ACTIVE,
};

/*
 * Look the certificate up in the firmware's hash table (GET_CERTHASH_ENTRY entries;
 * algorithm per amthi_hash_name; value 3 is also compared as SHA-384 when its last 16
 * bytes are zero, doc/firmware.md 10.4). An active entry wins over an inactive one. *index
 * (may be NULL) gets the matching entry, or is left alone.
 */
enum certcheck_hash_state certcheck_hash_lookup(const struct certcheck_cert *c,
						const struct amt_certhash *table, size_t count,
						size_t *index);

#endif
