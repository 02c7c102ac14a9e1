/* SPDX-License-Identifier: MIT */
/*
 * The table the crypto module (seal.c and certcheck.c with OpenSSL's libcrypto, built as
 * amtact-crypto.so) hands the agent (crypto_load.c). Private to those files. Bump
 * CRYPTO_MODULE_ABI on any change to this table or to the meaning of the structs it shares
 * (include/secret.h, include/certcheck.h); the loader also compares their sizes.
 */
#ifndef AMTACT_CRYPTO_MODULE_H
#define AMTACT_CRYPTO_MODULE_H

#include <stddef.h>

#include "certcheck.h"
#include "secret.h"

#define CRYPTO_MODULE_ABI 1u
/* The exported symbol's name, also named in crypto.map. */
#define CRYPTO_MODULE_SYMBOL "amtact_crypto_1"

struct crypto_module {
	unsigned abi;
	size_t size;        /* sizeof(struct crypto_module) */
	size_t secret_size; /* sizeof(struct secret) */
	size_t chain_size;  /* sizeof(struct certcheck_chain) */
	/* As seal_to_cert_pem, seal_to_cert_file and seal_open (include/seal.h). */
	int (*seal_pem)(const char *cert_pem, size_t cert_len, const void *plain, size_t len,
			char **pem, size_t *pem_len);
	int (*seal_file)(const char *cert_path, const void *plain, size_t len, char **pem,
			 size_t *pem_len);
	int (*seal_open)(const char *key_path, const char *cert_path, const char *pem,
			 size_t pem_len, struct secret *out);
	/* As certcheck_load_mem and certcheck_load (include/certcheck.h). */
	int (*chain_mem)(const void *pem, size_t len, const char *label,
			 struct certcheck_chain *out, char *err, size_t errlen);
	int (*chain_file)(const char *path, struct certcheck_chain *out, char *err,
			  size_t errlen);
};

extern const struct crypto_module amtact_crypto_1;

/* The implementations behind the table (seal.c, certcheck.c), reached only through it. */
int seal_cms_to_cert_pem(const char *cert_pem, size_t cert_len, const void *plain, size_t len,
			 char **pem, size_t *pem_len);
int seal_cms_to_cert_file(const char *cert_path, const void *plain, size_t len,
			  char **pem, size_t *pem_len);
int seal_cms_open(const char *key_path, const char *cert_path, const char *pem, size_t pem_len,
		  struct secret *out);
int certcheck_read_mem(const void *pem, size_t len, const char *label,
		       struct certcheck_chain *out, char *err, size_t errlen);
int certcheck_read_file(const char *path, struct certcheck_chain *out, char *err,
			size_t errlen);

#endif
