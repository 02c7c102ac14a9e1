// SPDX-License-Identifier: MIT
/*
 * Reads a provisioning certificate chain with OpenSSL and describes it in our own types
 * (include/certcheck.h); part of the crypto module (src/crypto_module.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "certcheck.h"
#include "crypto_module.h"

/* The certificates of one file while it is being described. */
struct loaded {
	X509 *x[CERTCHECK_MAX_CERTS];
	size_t count;
	size_t path[CERTCHECK_MAX_CERTS];  /* indexes into x, leaf first */
	size_t path_len;
};

static void loaded_free(struct loaded *l)
{
	for (size_t i = 0; i < l->count; i++)
		X509_free(l->x[i]);
}

static int is_cert_block(const char *name)
{
	return strcmp(name, PEM_STRING_X509) == 0 || strcmp(name, PEM_STRING_X509_OLD) == 0 ||
	       strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

/* One PEM block: 1 a certificate was added, 0 another block was skipped, < 0 an error. */
static int read_block(BIO *bio, struct loaded *l, const char *label, char *err, size_t errlen)
{
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	const unsigned char *p;
	long len = 0;
	int ret = -EBADMSG;
	X509 *x;

	if (!PEM_read_bio(bio, &name, &header, &data, &len)) {
		unsigned long e = ERR_peek_last_error();

		ERR_clear_error();
		if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
			return -ENOENT;  /* end of input */
		snprintf(err, errlen, "%s: certificate %zu: not valid PEM (bad base64 or no END line)",
			 label, l->count + 1);
		return -EBADMSG;
	}
	if (!is_cert_block(name)) {
		ret = 0;
		goto out;
	}
	if (l->count == CERTCHECK_MAX_CERTS) {
		snprintf(err, errlen, "%s: more than %d certificates", label, CERTCHECK_MAX_CERTS);
		ret = -E2BIG;
		goto out;
	}
	p = data;
	x = strcmp(name, PEM_STRING_X509_TRUSTED) == 0 ? d2i_X509_AUX(NULL, &p, len)
						       : d2i_X509(NULL, &p, len);
	if (!x) {
		ERR_clear_error();
		snprintf(err, errlen, "%s: certificate %zu: not a parsable X.509 certificate",
			 label, l->count + 1);
		goto out;
	}
	l->x[l->count++] = x;
	ret = 1;
out:
	OPENSSL_free(name);
	OPENSSL_free(header);
	/* A private key in the same file is not ours to keep in memory. */
	OPENSSL_clear_free(data, len > 0 ? (size_t)len : 0);
	return ret;
}

static int read_all(const void *pem, size_t len, const char *label, struct loaded *l,
		    char *err, size_t errlen)
{
	BIO *bio = BIO_new_mem_buf(pem, len > INT32_MAX ? -1 : (int)len);
	int rc;

	if (!bio) {
		snprintf(err, errlen, "%s: out of memory", label);
		return -ENOMEM;
	}
	while ((rc = read_block(bio, l, label, err, errlen)) >= 0)
		;
	BIO_free(bio);
	if (rc != -ENOENT)
		return rc;
	if (l->count == 0) {
		snprintf(err, errlen, "%s: no PEM certificate (\"-----BEGIN CERTIFICATE-----\") found",
			 label);
		return -ENODATA;
	}
	return 0;
}

static bool self_signed(X509 *x)
{
	bool ok = X509_self_signed(x, 1) == 1;

	ERR_clear_error();
	return ok;
}

static bool issued_by(X509 *issuer, X509 *subject)
{
	return X509_check_issued(issuer, subject) == X509_V_OK;
}

/* The leaf: a certificate that issued none of the others (prefer a non-CA one). */
static size_t find_leaf(const struct loaded *l)
{
	size_t best = 0;
	bool found = false;

	for (size_t i = 0; i < l->count; i++) {
		bool issuer = false;

		for (size_t j = 0; j < l->count && !issuer; j++)
			issuer = j != i && issued_by(l->x[i], l->x[j]);
		if (issuer)
			continue;
		if (!found || (!X509_check_ca(l->x[i]) && X509_check_ca(l->x[best]))) {
			best = i;
			found = true;
		}
	}
	return best;
}

static void build_path(struct loaded *l)
{
	bool used[CERTCHECK_MAX_CERTS] = { false };
	size_t cur = find_leaf(l);

	l->path_len = 0;
	for (;;) {
		size_t next = l->count;

		l->path[l->path_len++] = cur;
		used[cur] = true;
		if (self_signed(l->x[cur]))
			return;
		for (size_t j = 0; j < l->count && next == l->count; j++)
			if (!used[j] && issued_by(l->x[j], l->x[cur]))
				next = j;
		if (next == l->count)
			return;
		cur = next;
	}
}

static void name_string(const X509_NAME *n, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len = 0;

	out[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		len = BIO_read(b, out, (int)cap - 1);
	out[len > 0 ? len : 0] = '\0';
	BIO_free(b);
}

static void entry_utf8(const X509_NAME_ENTRY *e, char *out, size_t cap)
{
	unsigned char *s = NULL;
	int len = ASN1_STRING_to_UTF8(&s, X509_NAME_ENTRY_get_data(e));

	out[0] = '\0';
	if (len >= 0 && (size_t)len < cap && memchr(s, 0, (size_t)len) == NULL) {
		memcpy(out, s, (size_t)len);
		out[len] = '\0';
	}
	OPENSSL_free(s);
}

static void describe_names(X509 *x, struct certcheck_cert *c)
{
	const X509_NAME *n = X509_get_subject_name(x);
	GENERAL_NAMES *sans;
	char ou[CERTCHECK_NAME_MAX];
	int i = -1;

	name_string(n, c->subject, sizeof(c->subject));
	i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	if (i >= 0)
		entry_utf8(X509_NAME_get_entry(n, i), c->cn, sizeof(c->cn));
	for (i = -1; (i = X509_NAME_get_index_by_NID(n, NID_organizationalUnitName, i)) >= 0;) {
		entry_utf8(X509_NAME_get_entry(n, i), ou, sizeof(ou));
		if (strcmp(ou, CERTCHECK_AMT_OU) == 0)
			c->ou_amt = true;
	}
	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; sans && i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
		const ASN1_IA5STRING *d = g->d.dNSName;
		int len;

		if (g->type != GEN_DNS || c->san_count == CERTCHECK_MAX_SANS)
			continue;
		len = ASN1_STRING_length(d);
		if (len <= 0 || len >= CERTCHECK_NAME_MAX ||
		    memchr(ASN1_STRING_get0_data(d), 0, (size_t)len))
			continue;
		memcpy(c->san[c->san_count], ASN1_STRING_get0_data(d), (size_t)len);
		c->san[c->san_count++][len] = '\0';
	}
	GENERAL_NAMES_free(sans);
}

static void describe_eku(X509 *x, struct certcheck_cert *c)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	char oid[80];

	c->has_eku = eku != NULL;
	for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++) {
		const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);

		if (OBJ_obj2nid(o) == NID_server_auth)
			c->eku_server_auth = true;
		if (OBJ_obj2txt(oid, sizeof(oid), o, 1) > 0 && strcmp(oid, CERTCHECK_AMT_OID) == 0)
			c->eku_amt_oid = true;
	}
	EXTENDED_KEY_USAGE_free(eku);
}

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

static void describe_crypto(X509 *x, struct certcheck_cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int sig = X509_get_signature_nid(x), md = NID_undef, pkey = NID_undef;
	unsigned int n;

	snprintf(c->sig_alg, sizeof(c->sig_alg), "%s", sig != NID_undef ? OBJ_nid2ln(sig) : "?");
	if (OBJ_find_sigid_algs(sig, &md, &pkey))
		c->sig_sha1_or_weaker = md == NID_sha1 || md == NID_md5 || md == NID_md2 ||
					md == NID_md4 || md == NID_md5_sha1;
	if (pk) {
		int id = EVP_PKEY_get_base_id(pk);
		const char *t = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS ? "RSA" :
				id == EVP_PKEY_EC ? "EC" : EVP_PKEY_get0_type_name(pk);

		snprintf(c->key_type, sizeof(c->key_type), "%s", t ? t : "?");
		c->key_bits = EVP_PKEY_get_bits(pk);
	}
	X509_digest(x, EVP_sha1(), c->sha1, &n);
	X509_digest(x, EVP_sha256(), c->sha256, &n);
	X509_digest(x, EVP_sha384(), c->sha384, &n);
	X509_digest(x, EVP_sha512(), c->sha512, &n);
	ERR_clear_error();
}

static void describe(X509 *x, int file_index, struct certcheck_cert *c)
{
	memset(c, 0, sizeof(*c));
	c->file_index = file_index;
	describe_names(x, c);
	describe_eku(x, c);
	describe_crypto(x, c);
	c->not_before = asn1_time(X509_get0_notBefore(x));
	c->not_after = asn1_time(X509_get0_notAfter(x));
	c->self_signed = self_signed(x);
	c->is_ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
	ERR_clear_error();
}

/* Signatures from the leaf to the self-signed root; validity times are judged elsewhere. */
static void verify_path(const struct loaded *l, struct certcheck_chain *out)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *mid = sk_X509_new_null();
	X509_VERIFY_PARAM *param;
	int depth;

	if (!store || !ctx || !mid) {
		snprintf(out->verify_error, sizeof(out->verify_error), "out of memory");
		goto out;
	}
	X509_STORE_add_cert(store, l->x[l->path[l->path_len - 1]]);
	for (size_t i = 1; i + 1 < l->path_len; i++)
		sk_X509_push(mid, l->x[l->path[i]]);
	if (!X509_STORE_CTX_init(ctx, store, l->x[l->path[0]], mid))
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	/* SHA-1 and short keys are the firmware rules' business, reported per generation. */
	X509_VERIFY_PARAM_set_auth_level(param, 0);
	out->verified = X509_verify_cert(ctx) == 1;
	if (!out->verified) {
		depth = X509_STORE_CTX_get_error_depth(ctx);
		if (depth < 0 || (size_t)depth >= l->path_len)
			depth = 0;
		snprintf(out->verify_error, sizeof(out->verify_error), "certificate %d (%s): %s",
			 out->cert[depth].file_index, out->cert[depth].subject,
			 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	}
out:
	ERR_clear_error();
	sk_X509_free(mid);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
}

int certcheck_read_mem(const void *pem, size_t len, const char *label,
		       struct certcheck_chain *out, char *err, size_t errlen)
{
	struct loaded l;
	bool placed[CERTCHECK_MAX_CERTS] = { false };
	size_t k;
	int ret;

	memset(&l, 0, sizeof(l));
	memset(out, 0, sizeof(*out));
	ret = read_all(pem, len, label, &l, err, errlen);
	if (ret)
		goto out;
	build_path(&l);
	out->count = l.count;
	out->path_len = l.path_len;
	for (k = 0; k < l.path_len; k++) {
		describe(l.x[l.path[k]], (int)l.path[k] + 1, &out->cert[k]);
		placed[l.path[k]] = true;
	}
	for (size_t i = 0; i < l.count; i++)
		if (!placed[i])
			describe(l.x[i], (int)i + 1, &out->cert[k++]);
	out->has_root = out->cert[l.path_len - 1].self_signed;
	if (out->has_root)
		verify_path(&l, out);
	else
		snprintf(out->verify_error, sizeof(out->verify_error),
			 "certificate %d (%s) is not self-signed and its issuer is not in the file",
			 out->cert[l.path_len - 1].file_index, out->cert[l.path_len - 1].subject);
out:
	loaded_free(&l);
	ERR_clear_error();
	return ret;
}

int certcheck_read_file(const char *path, struct certcheck_chain *out, char *err,
			size_t errlen)
{
	BIO *b = BIO_new_file(path, "rb");
	BUF_MEM *mem = NULL;
	BIO *m = NULL;
	char buf[4096];
	int n, ret;

	memset(out, 0, sizeof(*out));
	if (!b) {
		ret = errno ? -errno : -ENOENT;
		ERR_clear_error();
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-ret));
		return ret;
	}
	m = BIO_new(BIO_s_mem());
	ret = -ENOMEM;
	if (!m)
		goto out;
	while ((n = BIO_read(b, buf, sizeof(buf))) > 0)
		if (BIO_write(m, buf, n) != n)
			goto out;
	BIO_get_mem_ptr(m, &mem);
	ret = certcheck_read_mem(mem->data, mem->length, path, out, err, errlen);
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	BIO_free(m);
	BIO_free(b);
	ERR_clear_error();
	return ret;
}
