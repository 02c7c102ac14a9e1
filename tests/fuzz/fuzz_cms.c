// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: opening a sealed OTP (seal_open: PEM, CMS EnvelopedData, key
 * agreement, AES-CBC, padding) with the fixed test-only recipient key and certificate in
 * tests/fuzz/keys/ ($AMTACT_FUZZ_KEYS overrides the folder). Input: PEM text, or DER
 * bytes (anything not starting with '-') that the target wraps in a CMS PEM block so the
 * mutations reach the ASN.1 inside. Invariants: 0, -EBADMSG, -EPROTO or -EMSGSIZE; an
 * opened secret fits SECRET_MAX; a failure leaves the secret empty and wiped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "fuzzlib.h"
#include "secret.h"
#include "seal.h"

static char key_path[512], cert_path[512];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("AMTACT_FUZZ_KEYS");

	(void)argc;
	(void)argv;
	if (!dir || !*dir)
		dir = "tests/fuzz/keys";
	snprintf(key_path, sizeof(key_path), "%s/cms-recipient.key", dir);
	snprintf(cert_path, sizeof(cert_path), "%s/cms-recipient.pem", dir);
	return 0;
}

/* DER as the PEM block PEM_read_bio_CMS takes (64-column base64). */
static char *wrap_der(const uint8_t *der, size_t len, size_t *out_len)
{
	static const char head[] = "-----BEGIN CMS-----\n", tail[] = "-----END CMS-----\n";
	size_t cap = sizeof(head) + sizeof(tail) + (len + 2) / 3 * 4 + len / 48 + 2;
	char *pem = malloc(cap), *p;

	FUZZ_CHECK(pem != NULL);
	p = pem + sizeof(head) - 1;
	memcpy(pem, head, sizeof(head) - 1);
	for (size_t off = 0; off < len; off += 48) {
		size_t n = len - off < 48 ? len - off : 48;

		p += EVP_EncodeBlock((unsigned char *)p, der + off, (int)n);
		*p++ = '\n';
	}
	memcpy(p, tail, sizeof(tail));
	*out_len = (size_t)(p - pem) + sizeof(tail) - 1;
	return pem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secret out;
	char *pem;
	size_t pem_len;
	int ret;

	if (size > 65536)
		return 0;
	if (size && data[0] == '-') {
		pem = malloc(size ? size : 1);
		FUZZ_CHECK(pem != NULL);
		memcpy(pem, data, size);
		pem_len = size;
	} else {
		pem = wrap_der(data, size, &pem_len);
	}
	memset(&out, 0x5a, sizeof(out));
	ret = seal_open(key_path, cert_path, pem, pem_len, &out);
	FUZZ_CHECK(ret == 0 || ret == -EBADMSG || ret == -EPROTO || ret == -EMSGSIZE);
	FUZZ_CHECK(out.len <= SECRET_MAX);
	if (ret) {
		FUZZ_CHECK(out.len == 0);
		for (size_t i = 0; i < sizeof(out.buf); i++)
			FUZZ_CHECK(out.buf[i] == 0);
	}
	secret_wipe(&out);
	free(pem);
	return 0;
}
