// SPDX-License-Identifier: MIT
/*
 * CMS EnvelopedData sealing of secrets to a recipient certificate (include/seal.h); part of
 * the crypto module (src/crypto_module.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
/* pem.h before cms.h: cms.h declares PEM_{read,write}_bio_CMS only when pem.h is in. */
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "os.h"
#include "crypto_module.h"
#include "seal.h"

static int load_cert_bio(BIO *bio, X509 **cert)
{
	*cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!*cert)
		return -EBADMSG;
	/* A sealed OTP to an expired key would sit in the spool unreadable by a renewed server. */
	if (X509_cmp_time(X509_get0_notAfter(*cert), NULL) <= 0 ||
	    X509_cmp_time(X509_get0_notBefore(*cert), NULL) >= 0) {
		X509_free(*cert);
		*cert = NULL;
		return -EKEYREJECTED;
	}
	return 0;
}

/* Use RSA-OAEP rather than PKCS#1 v1.5 for RSA recipients. */
static int add_recipient(CMS_ContentInfo *cms, X509 *cert)
{
	CMS_RecipientInfo *ri;
	EVP_PKEY_CTX *pctx;
	EVP_PKEY *pub = X509_get0_pubkey(cert);

	if (!pub)
		return -EKEYREJECTED;
	if (EVP_PKEY_is_a(pub, "RSA")) {
		ri = CMS_add1_recipient_cert(cms, cert, CMS_KEY_PARAM);
		if (!ri)
			return -EKEYREJECTED;
		pctx = CMS_RecipientInfo_get0_pkey_ctx(ri);
		if (!pctx || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING) <= 0)
			return -EPROTO;
		return 0;
	}
	return CMS_add1_recipient_cert(cms, cert, 0) ? 0 : -EKEYREJECTED;
}

static int bio_to_string(BIO *out, char **pem, size_t *pem_len)
{
	char *data = NULL;
	long n = BIO_get_mem_data(out, &data);

	if (n <= 0 || !data)
		return -EPROTO;
	*pem = malloc((size_t)n + 1);
	if (!*pem)
		return -ENOMEM;
	memcpy(*pem, data, (size_t)n);
	(*pem)[n] = 0;
	*pem_len = (size_t)n;
	return 0;
}

static int seal_with_cert(X509 *cert, const void *plain, size_t len, char **pem,
			  size_t *pem_len)
{
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL, *out = NULL;
	int ret = -EPROTO;

	if (len > (size_t)SECRET_MAX) {
		ret = -EMSGSIZE;
		goto out;
	}
	in = BIO_new_mem_buf(plain, (int)len);
	out = BIO_new(BIO_s_mem());
	cms = CMS_encrypt(NULL, NULL, EVP_aes_256_cbc(), CMS_BINARY | CMS_PARTIAL);
	if (!in || !out || !cms)
		goto out;
	ret = add_recipient(cms, cert);
	if (ret < 0)
		goto out;
	ret = -EPROTO;
	if (!CMS_final(cms, in, NULL, CMS_BINARY))
		goto out;
	if (!PEM_write_bio_CMS(out, cms))
		goto out;
	ret = bio_to_string(out, pem, pem_len);
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
	ERR_clear_error();
	return ret;
}

int seal_cms_to_cert_pem(const char *cert_pem, size_t cert_len, const void *plain, size_t len,
			 char **pem, size_t *pem_len)
{
	X509 *cert = NULL;
	BIO *bio = NULL;
	int ret = -EBADMSG;

	*pem = NULL;
	*pem_len = 0;
	if (!cert_pem || cert_len > 1u << 20)
		goto out;
	bio = BIO_new_mem_buf(cert_pem, (int)cert_len);
	if (!bio) {
		ret = -ENOMEM;
		goto out;
	}
	ret = load_cert_bio(bio, &cert);
	if (ret < 0)
		goto out;
	ret = seal_with_cert(cert, plain, len, pem, pem_len);
out:
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error();
	return ret;
}

static int open_file_bio(const char *path, BIO **bio)
{
	FILE *f = os_fopen(path, "re");

	if (!f)
		return -errno;
	*bio = BIO_new_fp(f, BIO_CLOSE);
	if (!*bio) {
		fclose(f);
		return -ENOMEM;
	}
	return 0;
}

int seal_cms_to_cert_file(const char *cert_path, const void *plain, size_t len,
			  char **pem, size_t *pem_len)
{
	X509 *cert = NULL;
	BIO *bio = NULL;
	int ret;

	*pem = NULL;
	*pem_len = 0;
	ret = open_file_bio(cert_path, &bio);
	if (ret < 0)
		goto out;
	ret = load_cert_bio(bio, &cert);
	if (ret < 0)
		goto out;
	ret = seal_with_cert(cert, plain, len, pem, pem_len);
out:
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error();
	return ret;
}

static int load_key_and_cert(const char *key_path, const char *cert_path, EVP_PKEY **key,
			     X509 **cert)
{
	BIO *bio = NULL;
	int ret;

	ret = open_file_bio(key_path, &bio);
	if (ret < 0)
		return ret;
	*key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!*key)
		return -EBADMSG;
	ret = open_file_bio(cert_path, &bio);
	if (ret < 0)
		return ret;
	*cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *cert ? 0 : -EBADMSG;
}

int seal_cms_open(const char *key_path, const char *cert_path, const char *pem, size_t pem_len,
		  struct secret *out)
{
	CMS_ContentInfo *cms = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *in = NULL, *plain = NULL;
	char *data = NULL;
	long n;
	int ret;

	secret_wipe(out);
	ret = load_key_and_cert(key_path, cert_path, &key, &cert);
	if (ret < 0)
		goto out;
	ret = -EBADMSG;
	in = BIO_new_mem_buf(pem, (int)pem_len);
	plain = BIO_new(BIO_s_secmem());
	if (!in || !plain || pem_len > 1u << 20)
		goto out;
	cms = PEM_read_bio_CMS(in, NULL, NULL, NULL);
	if (!cms)
		goto out;
	ret = -EPROTO;
	if (!CMS_decrypt(cms, key, cert, NULL, plain, CMS_BINARY))
		goto out;
	n = BIO_get_mem_data(plain, &data);
	ret = n < 0 ? -EPROTO : secret_set(out, data, (size_t)n);
out:
	CMS_ContentInfo_free(cms);
	EVP_PKEY_free(key);
	X509_free(cert);
	BIO_free(in);
	BIO_free(plain);
	ERR_clear_error();
	if (ret < 0)
		secret_wipe(out);
	return ret;
}
