// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: certificate-chain checking (certcheck_load_mem: PEM blocks, X.509
 * parsing, ordering leaf to root, signature checks, names, SANs, EKU/OU, key and hash
 * facts) and the rules `diagnose` applies to the result (validity, hash-table lookup).
 * Input: PEM text, or DER bytes (anything not starting with '-'), each run both as one
 * CERTIFICATE block and after the fixed test chain's root so path building has an issuer
 * to try. Invariants: documented returns, a message on failure, counts within bounds,
 * a path inside the chain, C strings everywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "certcheck.h"
#include "fuzzlib.h"

static void check_cert(const struct certcheck_cert *c, size_t count)
{
	struct amt_certhash table[3];
	size_t idx = 99;

	FUZZ_CHECK(c->file_index >= 1 && (size_t)c->file_index <= count);
	FUZZ_CHECK(fuzz_terminated(c->subject, sizeof(c->subject)));
	FUZZ_CHECK(fuzz_terminated(c->cn, sizeof(c->cn)));
	FUZZ_CHECK(fuzz_terminated(c->sig_alg, sizeof(c->sig_alg)));
	FUZZ_CHECK(fuzz_terminated(c->key_type, sizeof(c->key_type)));
	FUZZ_CHECK(c->san_count <= CERTCHECK_MAX_SANS);
	for (size_t i = 0; i < c->san_count; i++)
		FUZZ_CHECK(fuzz_terminated(c->san[i], sizeof(c->san[i])));
	certcheck_validity(c, 1795000000, 30);
	memset(table, 0, sizeof(table));
	table[0].algorithm = 1;
	memcpy(table[0].hash, c->sha1, sizeof(c->sha1));
	table[1].algorithm = 2;
	memcpy(table[1].hash, c->sha256, sizeof(c->sha256));
	table[1].is_active = true;
	table[2].algorithm = 3;
	memcpy(table[2].hash, c->sha384, sizeof(c->sha384));
	FUZZ_CHECK(certcheck_hash_lookup(c, table, 3, &idx) == CERTCHECK_HASH_ACTIVE);
	FUZZ_CHECK(idx == 1);
}

static void check_chain(const void *pem, size_t len)
{
	static struct certcheck_chain ch;
	char err[512];
	int ret;

	memset(err, 'x', sizeof(err));
	ret = certcheck_load_mem(pem, len, "fuzz.pem", &ch, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EBADMSG || ret == -E2BIG || ret == -ENODATA ||
		   ret == -ENOMEM);
	if (ret) {
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)) && err[0] != '\0');
		return;
	}
	FUZZ_CHECK(ch.count >= 1 && ch.count <= CERTCHECK_MAX_CERTS);
	FUZZ_CHECK(ch.path_len >= 1 && ch.path_len <= ch.count);
	FUZZ_CHECK(!ch.verified || ch.has_root);
	FUZZ_CHECK(fuzz_terminated(ch.verify_error, sizeof(ch.verify_error)));
	for (size_t i = 0; i < ch.count; i++)
		check_cert(&ch.cert[i], ch.count);
}

/* The test chain's root (tests/fuzz/keys/), so a mutated leaf may name a present issuer. */
static char root_pem[4096];
static size_t root_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("AMTACT_FUZZ_KEYS");
	char path[512];
	FILE *f;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/chain-root.pem", dir && *dir ? dir : "tests/fuzz/keys");
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		abort();
	}
	root_len = fread(root_pem, 1, sizeof(root_pem) - 1, f);
	fclose(f);
	return 0;
}

static char *der_block(const uint8_t *der, size_t len, size_t *out_len)
{
	static const char head[] = "-----BEGIN CERTIFICATE-----\n",
			  tail[] = "\n-----END CERTIFICATE-----\n";
	size_t cap = sizeof(head) + sizeof(tail) + (len + 2) / 3 * 4 + 1;
	char *pem = malloc(cap), *p = pem;

	FUZZ_CHECK(pem != NULL);
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	p += EVP_EncodeBlock((unsigned char *)p, der, (int)len);
	memcpy(p, tail, sizeof(tail) - 1);
	p += sizeof(tail) - 1;
	*out_len = (size_t)(p - pem);
	return pem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pem, *both;
	size_t len;

	if (size > 65536)
		return 0;
	if (size && data[0] == '-') {
		pem = fuzz_strndup(data, size);
		len = size;
	} else {
		pem = der_block(data, size, &len);
	}
	check_chain(pem, len);
	both = malloc(len + root_len);
	FUZZ_CHECK(both != NULL);
	memcpy(both, pem, len);
	memcpy(both + len, root_pem, root_len);
	check_chain(both, len + root_len);
	free(both);
	free(pem);
	return 0;
}
