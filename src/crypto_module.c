// SPDX-License-Identifier: MIT
/*
 * The crypto module's one exported symbol (src/crypto_module.h, src/crypto.map): sealing and
 * certificate chains, the agent's only uses of OpenSSL's libcrypto outside the HTTPS module.
 */
#include "crypto_module.h"

const struct crypto_module amtact_crypto_1 = {
	.abi = CRYPTO_MODULE_ABI,
	.size = sizeof(struct crypto_module),
	.secret_size = sizeof(struct secret),
	.chain_size = sizeof(struct certcheck_chain),
	.seal_pem = seal_cms_to_cert_pem,
	.seal_file = seal_cms_to_cert_file,
	.seal_open = seal_cms_open,
	.chain_mem = certcheck_read_mem,
	.chain_file = certcheck_read_file,
};
