// SPDX-License-Identifier: MIT
/*
 * Loading the crypto module (src/crypto_module.h): sealing the OTP (include/seal.h) and
 * reading certificate chains (include/certcheck.h) are the agent's only uses of OpenSSL's
 * libcrypto outside the HTTPS module, and mapping it costs every command about 1.7 MiB; only
 * a run that seals an OTP and `diagnose --cert-chain` load it. AMTACT_CRYPTO_STATIC (and
 * Windows) links seal.c and certcheck.c in instead.
 */
#include <stdio.h>
#include <string.h>

#include "certcheck.h"
#include "crypto_module.h"
#include "module.h"
#include "seal.h"

#if defined(_WIN32) && !defined(AMTACT_CRYPTO_STATIC)
#define AMTACT_CRYPTO_STATIC 1
#endif

static int load_ret = 1; /* 1: not tried yet */
static char load_error[512];

#ifdef AMTACT_CRYPTO_STATIC
static const struct crypto_module *module(void)
{
	load_ret = 0;
	return &amtact_crypto_1;
}
#else
static int fits(const void *sym)
{
	const struct crypto_module *m = sym;

	return m->abi == CRYPTO_MODULE_ABI && m->size == sizeof(*m) &&
	       m->secret_size == sizeof(struct secret) &&
	       m->chain_size == sizeof(struct certcheck_chain);
}

/* Loaded once per process; later calls return the first outcome. */
static const struct crypto_module *module(void)
{
	static const struct crypto_module *loaded;
	const void *sym;

	if (load_ret == 1) {
		load_ret = module_load("amtact-crypto.so", "crypto module", CRYPTO_MODULE_SYMBOL,
				       fits, &sym, load_error, sizeof(load_error));
		if (load_ret == 0)
			loaded = sym;
	}
	return loaded;
}
#endif

const char *crypto_module_error(void)
{
	return load_ret < 0 ? load_error : NULL;
}

int seal_to_cert_pem(const char *cert_pem, size_t cert_len, const void *plain, size_t len,
		     char **pem, size_t *pem_len)
{
	const struct crypto_module *m = module();

	*pem = NULL;
	*pem_len = 0;
	return m ? m->seal_pem(cert_pem, cert_len, plain, len, pem, pem_len) : load_ret;
}

int seal_to_cert_file(const char *cert_path, const void *plain, size_t len,
		      char **pem, size_t *pem_len)
{
	const struct crypto_module *m = module();

	*pem = NULL;
	*pem_len = 0;
	return m ? m->seal_file(cert_path, plain, len, pem, pem_len) : load_ret;
}

int seal_open(const char *key_path, const char *cert_path, const char *pem, size_t pem_len,
	      struct secret *out)
{
	const struct crypto_module *m = module();

	secret_wipe(out);
	return m ? m->seal_open(key_path, cert_path, pem, pem_len, out) : load_ret;
}

/* Without the module a chain cannot be read: err says why. */
static int no_chain(struct certcheck_chain *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "%s", load_error);
	return load_ret;
}

int certcheck_load_mem(const void *pem, size_t len, const char *label,
		       struct certcheck_chain *out, char *err, size_t errlen)
{
	const struct crypto_module *m = module();

	if (!m)
		return no_chain(out, err, errlen);
	return m->chain_mem(pem, len, label, out, err, errlen);
}

int certcheck_load(const char *path, struct certcheck_chain *out, char *err, size_t errlen)
{
	const struct crypto_module *m = module();

	if (!m)
		return no_chain(out, err, errlen);
	return m->chain_file(path, out, err, errlen);
}
