/* SPDX-License-Identifier: MIT */
/* Sealing a secret (the OTP) to the interim server's report certificate with CMS. */
#ifndef AMTACT_SEAL_H
#define AMTACT_SEAL_H

#include <stddef.h>

#include "secret.h"

/*
 * The sealed form is a CMS EnvelopedData (RFC 5652) with AES-256-CBC content encryption,
 * the content-encryption key wrapped to the recipient certificate's public key (RSA-OAEP
 * for RSA keys, ECDH for EC keys), encoded as PEM ("-----BEGIN CMS-----"). Any CMS tool
 * opens it, e.g. `openssl cms -decrypt -inform PEM -inkey key.pem -recip cert.pem`.
 *
 * Report convention (for the report builder and the interim server): the sealed OTP goes
 * in the report JSON as the string member "otp_cms"; the plaintext "otp" member is then
 * left out, so neither the spool nor the wire ever holds the OTP in clear.
 *
 * None of these functions print; all return 0 or a negative errno:
 *   -ENOENT/-EACCES...  the certificate/key file could not be opened
 *   -EBADMSG            the file is not a usable PEM certificate/key, or the CMS is malformed
 *   -EKEYREJECTED       the certificate is not valid now (expired or not yet valid) or its
 *                       key cannot be used for key transport/agreement
 *   -EPROTO             OpenSSL failed to encrypt/decrypt
 *   -EMSGSIZE           the output does not fit (seal_open: the plaintext > SECRET_MAX)
 * They run in the crypto module (include/module.h): when it cannot be loaded they return
 * the loader's error and crypto_module_error() says why.
 */

/*
 * Seal `len` bytes of `plain` to the PEM certificate in `cert_path`. On success *pem is a
 * malloc'd NUL-terminated PEM string (not secret: free() it) and *pem_len its length.
 * The plaintext is only read; the caller still wipes it.
 */
int seal_to_cert_file(const char *cert_path, const void *plain, size_t len,
		      char **pem, size_t *pem_len);

/* The same with the certificate given as PEM text in memory. */
int seal_to_cert_pem(const char *cert_pem, size_t cert_len, const void *plain, size_t len,
		     char **pem, size_t *pem_len);

/*
 * Open a sealed PEM with the recipient's private key (PEM, unencrypted) and certificate.
 * For tests and administrators; the agent itself never holds the key. The plaintext goes
 * into `out` (wiped on failure).
 */
int seal_open(const char *key_path, const char *cert_path, const char *pem, size_t pem_len,
	      struct secret *out);

#endif
