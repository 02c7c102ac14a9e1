// SPDX-License-Identifier: MIT
/* Unit tests for certcheck.c and diagnose's certificate rules, on chains made here with OpenSSL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certcheck.h"
#include "diag_int.h"

#define AMT_EKU "serverAuth,2.16.840.1.113741.1.2.3"

struct spec {
	const char *cn;
	const char *ou;       /* NULL: none */
	const char *san;      /* "DNS:a,DNS:b" or NULL */
	const char *eku;      /* NULL: no extendedKeyUsage */
	int ca;
	long from_days, to_days;
	const EVP_MD *md;     /* NULL: SHA-256 */
};

struct made {
	EVP_PKEY *key;
	X509 *cert;
};

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *e;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* A certificate per spec with key `key`, signed by `by` (NULL: self-signed). */
static X509 *make(const struct spec *s, EVP_PKEY *key, const struct made *by)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), s->from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), s->to_days * 86400);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	if (s->ou)
		X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC, (const unsigned char *)s->ou, -1,
					   -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)s->cn, -1, -1, 0);
	X509_set_issuer_name(x, by ? X509_get_subject_name(by->cert) : n);
	if (s->ca) {
		add_ext(x, by ? by->cert : x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, by ? by->cert : x, NID_key_usage, "critical,keyCertSign,cRLSign");
	}
	if (s->san)
		add_ext(x, by ? by->cert : x, NID_subject_alt_name, s->san);
	if (s->eku)
		add_ext(x, by ? by->cert : x, NID_ext_key_usage, s->eku);
	assert_true(X509_sign(x, by ? by->key : key, s->md ? s->md : EVP_sha256()) > 0);
	return x;
}

static struct made made_new(const struct spec *s, const struct made *by, int rsa_bits)
{
	struct made m;

	m.key = rsa_bits ? EVP_RSA_gen((unsigned)rsa_bits) : EVP_EC_gen("P-256");
	assert_non_null(m.key);
	m.cert = make(s, m.key, by);
	return m;
}

static void made_free(struct made *m)
{
	X509_free(m->cert);
	EVP_PKEY_free(m->key);
}

/* Load certificates (in the order given) through the PEM reader. */
static int load(struct certcheck_chain *ch, char *err, size_t errlen, int count, ...)
{
	BIO *b = BIO_new(BIO_s_mem());
	BUF_MEM *mem;
	va_list ap;
	int rc;

	va_start(ap, count);
	for (int i = 0; i < count; i++)
		assert_int_equal(PEM_write_bio_X509(b, va_arg(ap, X509 *)), 1);
	va_end(ap);
	BIO_get_mem_ptr(b, &mem);
	rc = certcheck_load_mem(mem->data, mem->length, "chain.pem", ch, err, errlen);
	BIO_free(b);
	return rc;
}

struct chain3 {
	struct made root, inter, leaf;
};

static void chain3_make(struct chain3 *c, const struct spec *leaf, const EVP_MD *md,
			int rsa_bits)
{
	struct spec root = { "Test Root CA", NULL, NULL, NULL, 1, -10, 3650, md };
	struct spec inter = { "Test Issuing CA", NULL, NULL, NULL, 1, -10, 1825, md };
	struct spec l = *leaf;

	if (md)
		l.md = md;
	c->root = made_new(&root, NULL, rsa_bits);
	c->inter = made_new(&inter, &c->root, rsa_bits);
	c->leaf = made_new(&l, &c->inter, rsa_bits);
}

static void chain3_free(struct chain3 *c)
{
	made_free(&c->leaf);
	made_free(&c->inter);
	made_free(&c->root);
}

static const struct spec leaf_oid = { "prov.corp.example.com", NULL, NULL, AMT_EKU, 0, -1, 365,
				      NULL };

/* diagnose's certificate checks on a chain; the caller frees the result. */
static struct diag_ctx *judge(const struct certcheck_chain *ch, int major, const char *used,
			      const struct amt_certhash *table, size_t n)
{
	struct diag_ctx *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->major = major;
	d->now = time(NULL);
	snprintf(d->used, sizeof(d->used), "%s", used);
	d->chain = ch;
	d->hashes = table;
	d->hash_count = n;
	d->hashes_known = true;
	diag_check_chain(d);
	return d;
}

/* The result of the first check with this id, or -1 if none. */
static int result_of(const struct diag_ctx *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->c[i].id, id) == 0)
			return (int)d->c[i].result;
	return -1;
}

static int fails(const struct diag_ctx *d)
{
	int n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->c[i].result == DIAG_FAIL;
	return n;
}

static struct amt_certhash entry(const uint8_t *hash, size_t len, uint8_t alg, bool active)
{
	struct amt_certhash h;

	memset(&h, 0, sizeof(h));
	memcpy(h.hash, hash, len);
	h.algorithm = alg;
	h.is_active = active;
	snprintf(h.name, sizeof(h.name), "Test Root CA");
	return h;
}

static void test_valid_chain_any_order(void **state)
{
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct chain3 c;
	struct amt_certhash t[2];
	unsigned char md[32];
	unsigned int mdlen;
	struct diag_ctx *d;
	char err[256];

	(void)state;
	chain3_make(&c, &leaf_oid, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.root.cert, c.leaf.cert, c.inter.cert), 0);
	assert_int_equal(ch->count, 3);
	assert_int_equal(ch->path_len, 3);
	assert_string_equal(ch->cert[0].cn, "prov.corp.example.com");
	assert_int_equal(ch->cert[0].file_index, 2);
	assert_string_equal(ch->cert[1].cn, "Test Issuing CA");
	assert_string_equal(ch->cert[2].cn, "Test Root CA");
	assert_true(ch->has_root);
	assert_true(ch->verified);
	assert_true(ch->cert[0].eku_server_auth);
	assert_true(ch->cert[0].eku_amt_oid);
	assert_false(ch->cert[0].ou_amt);
	assert_true(ch->cert[2].self_signed && ch->cert[2].is_ca);
	assert_false(ch->cert[0].sig_sha1_or_weaker);
	X509_digest(c.root.cert, EVP_sha256(), md, &mdlen);
	assert_memory_equal(ch->cert[2].sha256, md, 32);
	/* A firmware table with the root's SHA-256, active, and an unrelated entry. */
	t[0] = entry((const uint8_t *)"0123456789abcdef0123456789abcdef", 32, 2, true);
	t[1] = entry(md, 32, 2, true);
	d = judge(ch, 16, "corp.example.com", t, 2);
	assert_int_equal(fails(d), 0);
	assert_int_equal(result_of(d, "root_hash"), DIAG_OK);
	assert_int_equal(result_of(d, "cert_domain"), DIAG_OK);
	assert_int_equal(result_of(d, "cert_amt_oid_or_ou"), DIAG_OK);
	assert_int_equal(result_of(d, "cert_chain"), DIAG_OK);
	free(d);
	/* The same chain for another domain. */
	d = judge(ch, 16, "evilcorp-example.com", t, 2);
	assert_int_equal(result_of(d, "cert_domain_mismatch"), DIAG_FAIL);
	free(d);
	chain3_free(&c);
	free(ch);
}

static void test_ou_variant(void **state)
{
	static const char *const bad_ou[] = { "Intel(R) Client Setup Certificate.",
					      "intel(r) client setup certificate" };
	struct spec s = { "prov.corp.example.com", CERTCHECK_AMT_OU, NULL, "serverAuth", 0, -1, 365,
			  NULL };
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct chain3 c;
	char err[256];

	(void)state;
	chain3_make(&c, &s, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_true(ch->cert[0].ou_amt);
	assert_false(ch->cert[0].eku_amt_oid);
	chain3_free(&c);
	for (size_t i = 0; i < 2; i++) {
		s.ou = bad_ou[i];
		chain3_make(&c, &s, NULL, 0);
		assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert,
				      c.root.cert), 0);
		assert_false(ch->cert[0].ou_amt);
		chain3_free(&c);
	}
	free(ch);
}

static void test_no_oid_no_ou(void **state)
{
	struct spec s = { "prov.corp.example.com", "Servers", NULL, "serverAuth", 0, -1, 365, NULL };
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct diag_ctx *d;
	struct chain3 c;
	char err[256];

	(void)state;
	chain3_make(&c, &s, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_no_amt_oid_or_ou"), DIAG_FAIL);
	assert_int_equal(result_of(d, "cert_server_auth"), DIAG_OK);
	free(d);
	chain3_free(&c);
	/* No extended key usage at all: neither serverAuth nor the OID. */
	s.eku = NULL;
	chain3_make(&c, &s, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_false(ch->cert[0].has_eku);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_no_server_auth"), DIAG_FAIL);
	assert_int_equal(result_of(d, "cert_no_amt_oid_or_ou"), DIAG_FAIL);
	free(d);
	chain3_free(&c);
	free(ch);
}

static void test_validity(void **state)
{
	struct spec inter = { "Expired CA", NULL, NULL, NULL, 1, -400, -10, NULL };
	struct spec root = { "Test Root CA", NULL, NULL, NULL, 1, -500, 3650, NULL };
	struct spec future = { "prov.corp.example.com", NULL, NULL, AMT_EKU, 0, 5, 400, NULL };
	struct spec soon = { "prov.corp.example.com", NULL, NULL, AMT_EKU, 0, -1, 10, NULL };
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct made r, i, l1, l2;
	struct diag_ctx *d;
	time_t now = time(NULL);
	char err[256];

	(void)state;
	r = made_new(&root, NULL, 0);
	i = made_new(&inter, &r, 0);
	l1 = made_new(&future, &i, 0);
	l2 = made_new(&soon, &i, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, l1.cert, i.cert, r.cert), 0);
	/* Signatures still verify: the times are judged per certificate. */
	assert_true(ch->verified);
	assert_int_equal(certcheck_validity(&ch->cert[0], now, 30), CERTCHECK_NOT_YET_VALID);
	assert_int_equal(certcheck_validity(&ch->cert[1], now, 30), CERTCHECK_EXPIRED);
	assert_int_equal(certcheck_validity(&ch->cert[2], now, 30), CERTCHECK_VALID);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_expired"), DIAG_FAIL);
	assert_int_equal(result_of(d, "cert_not_yet_valid"), DIAG_FAIL);
	free(d);
	assert_int_equal(load(ch, err, sizeof(err), 3, l2.cert, i.cert, r.cert), 0);
	assert_int_equal(certcheck_validity(&ch->cert[0], now, 30), CERTCHECK_EXPIRING);
	assert_int_equal(certcheck_validity(&ch->cert[0], now, 5), CERTCHECK_VALID);
	made_free(&l2);
	made_free(&l1);
	made_free(&i);
	made_free(&r);
	free(ch);
}

static void test_sha1_by_generation(void **state)
{
	struct spec leaf_sha1 = leaf_oid;
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct diag_ctx *d;
	struct chain3 c;
	char err[256];

	(void)state;
	leaf_sha1.md = EVP_sha1();
	chain3_make(&c, &leaf_oid, EVP_sha1(), 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_true(ch->verified);
	for (size_t i = 0; i < 3; i++)
		assert_true(ch->cert[i].sig_sha1_or_weaker);
	assert_string_equal(ch->cert[2].sig_alg, "ecdsa-with-SHA1");
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_sha1_on_me16"), DIAG_FAIL);
	free(d);
	d = judge(ch, 11, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_sha1_on_me16"), DIAG_WARN);
	free(d);
	chain3_free(&c);
	/* Only the leaf signed with SHA-1 by a SHA-256 chain: still refused on 16. */
	chain3_make(&c, &leaf_sha1, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_true(ch->cert[0].sig_sha1_or_weaker);
	assert_false(ch->cert[1].sig_sha1_or_weaker);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_sha1_on_me16"), DIAG_FAIL);
	free(d);
	/* Unknown generation: said, not failed. */
	d = judge(ch, -1, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_sha1_on_me16"), DIAG_WARN);
	free(d);
	chain3_free(&c);
	free(ch);
}

static void test_rsa_1024(void **state)
{
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct diag_ctx *d;
	struct chain3 c;
	char err[256];

	(void)state;
	chain3_make(&c, &leaf_oid, NULL, 1024);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_string_equal(ch->cert[0].key_type, "RSA");
	assert_int_equal(ch->cert[0].key_bits, 1024);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_rsa_too_short"), DIAG_FAIL);
	assert_int_equal(result_of(d, "cert_signature"), DIAG_OK);
	free(d);
	d = judge(ch, 11, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_rsa_too_short"), DIAG_WARN);
	free(d);
	chain3_free(&c);
	chain3_make(&c, &leaf_oid, NULL, 2048);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_int_equal(ch->cert[2].key_bits, 2048);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_key_size"), DIAG_OK);
	assert_int_equal(result_of(d, "cert_rsa_too_short"), -1);
	free(d);
	chain3_free(&c);
	free(ch);
}

static void test_root_hash_states(void **state)
{
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	const struct certcheck_cert *root;
	struct amt_certhash t[3];
	struct diag_ctx *d;
	struct chain3 c;
	uint8_t other[32] = { 1, 2, 3 };
	size_t idx = 99;
	char err[256];

	(void)state;
	chain3_make(&c, &leaf_oid, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	root = &ch->cert[2];
	t[0] = entry(other, 32, 2, true);
	t[1] = entry(root->sha256, 32, 2, false);
	assert_int_equal(certcheck_hash_lookup(root, t, 2, &idx), CERTCHECK_HASH_INACTIVE);
	assert_int_equal(idx, 1);
	d = judge(ch, 16, "corp.example.com", t, 2);
	assert_int_equal(result_of(d, "root_hash_inactive"), DIAG_FAIL);
	free(d);
	assert_int_equal(certcheck_hash_lookup(root, t, 1, NULL), CERTCHECK_HASH_MISSING);
	d = judge(ch, 16, "corp.example.com", t, 1);
	assert_int_equal(result_of(d, "root_hash_missing"), DIAG_FAIL);
	free(d);
	/* The intermediate's hash does not stand for the root. */
	t[0] = entry(ch->cert[1].sha256, 32, 2, true);
	assert_int_equal(certcheck_hash_lookup(root, t, 1, NULL), CERTCHECK_HASH_MISSING);
	/* An active SHA-1 entry for the root wins over the inactive SHA-256 one. */
	t[2] = entry(root->sha1, 20, 1, true);
	assert_int_equal(certcheck_hash_lookup(root, t, 3, &idx), CERTCHECK_HASH_ACTIVE);
	assert_int_equal(idx, 2);
	/* Algorithm 3 as SHA-512, and as rpc-go's SHA-384 (zero-padded). */
	t[0] = entry(root->sha512, 64, 3, true);
	assert_int_equal(certcheck_hash_lookup(root, t, 1, NULL), CERTCHECK_HASH_ACTIVE);
	t[0] = entry(root->sha384, 48, 3, true);
	assert_int_equal(certcheck_hash_lookup(root, t, 1, NULL), CERTCHECK_HASH_ACTIVE);
	/* The right bytes under the wrong algorithm do not match. */
	t[0] = entry(root->sha256, 32, 1, true);
	assert_int_equal(certcheck_hash_lookup(root, t, 1, NULL), CERTCHECK_HASH_MISSING);
	chain3_free(&c);
	free(ch);
}

static void test_broken_chains(void **state)
{
	struct spec fake = { "Test Issuing CA", NULL, NULL, NULL, 1, -10, 1825, NULL };
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct made impostor;
	struct diag_ctx *d;
	struct chain3 c;
	char err[256];

	(void)state;
	chain3_make(&c, &leaf_oid, NULL, 0);
	/* Root left out. */
	assert_int_equal(load(ch, err, sizeof(err), 2, c.inter.cert, c.leaf.cert), 0);
	assert_false(ch->has_root);
	assert_int_equal(ch->path_len, 2);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_chain_no_root"), DIAG_FAIL);
	free(d);
	/* A CA with the same name but another key: names chain, signatures do not. */
	impostor = made_new(&fake, &c.root, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, impostor.cert, c.root.cert), 0);
	assert_true(ch->has_root);
	assert_false(ch->verified);
	assert_non_null(strstr(ch->verify_error, "certificate"));
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_chain_broken"), DIAG_FAIL);
	free(d);
	/* An extra certificate off the path. */
	assert_int_equal(load(ch, err, sizeof(err), 4, c.leaf.cert, c.inter.cert, c.root.cert,
			      impostor.cert), 0);
	assert_true(ch->verified);
	assert_int_equal(ch->count, 4);
	assert_int_equal(ch->path_len, 3);
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_chain_extra"), DIAG_WARN);
	free(d);
	made_free(&impostor);
	chain3_free(&c);
	free(ch);
}

static void test_san_and_wildcard(void **state)
{
	struct spec s = { "Provisioning Server", NULL, "DNS:other.example.net,DNS:*.corp.example.com",
			  AMT_EKU, 0, -1, 365, NULL };
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct diag_ctx *d;
	struct chain3 c;
	char err[256];

	(void)state;
	chain3_make(&c, &s, NULL, 0);
	assert_int_equal(load(ch, err, sizeof(err), 3, c.leaf.cert, c.inter.cert, c.root.cert), 0);
	assert_int_equal(ch->cert[0].san_count, 2);
	assert_string_equal(ch->cert[0].san[1], "*.corp.example.com");
	d = judge(ch, 16, "corp.example.com", NULL, 0);
	assert_int_equal(result_of(d, "cert_domain"), DIAG_OK);
	free(d);
	d = judge(ch, 16, "corp.example.org", NULL, 0);
	assert_int_equal(result_of(d, "cert_domain_mismatch"), DIAG_FAIL);
	free(d);
	chain3_free(&c);
	free(ch);
}

static void test_bad_input(void **state)
{
	static const char garbage[] = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
				      "-----END CERTIFICATE-----\n";
	static const char bad_b64[] = "-----BEGIN CERTIFICATE-----\n!!!!\n"
				      "-----END CERTIFICATE-----\n";
	struct certcheck_chain *ch = calloc(1, sizeof(*ch));
	struct chain3 c;
	BIO *b = BIO_new(BIO_s_mem());
	BUF_MEM *mem;
	char err[256];

	(void)state;
	assert_int_equal(certcheck_load_mem(garbage, sizeof(garbage) - 1, "x.pem", ch, err,
					    sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "x.pem: certificate 1"));
	assert_int_equal(certcheck_load_mem(bad_b64, sizeof(bad_b64) - 1, "x.pem", ch, err,
					    sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "certificate 1"));
	assert_int_equal(certcheck_load_mem("hello\n", 6, "x.pem", ch, err, sizeof(err)),
			 -ENODATA);
	assert_non_null(strstr(err, "x.pem"));
	/* A good certificate, then a broken one: the second is named. */
	chain3_make(&c, &leaf_oid, NULL, 0);
	PEM_write_bio_X509(b, c.root.cert);
	BIO_write(b, garbage, (int)sizeof(garbage) - 1);
	BIO_get_mem_ptr(b, &mem);
	assert_int_equal(certcheck_load_mem(mem->data, mem->length, "y.pem", ch, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "y.pem: certificate 2"));
	BIO_free(b);
	chain3_free(&c);
	assert_int_equal(certcheck_load("/nonexistent/chain.pem", ch, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/chain.pem"));
	free(ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_chain_any_order),
		cmocka_unit_test(test_ou_variant),
		cmocka_unit_test(test_no_oid_no_ou),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_sha1_by_generation),
		cmocka_unit_test(test_rsa_1024),
		cmocka_unit_test(test_root_hash_states),
		cmocka_unit_test(test_broken_chains),
		cmocka_unit_test(test_san_and_wildcard),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
