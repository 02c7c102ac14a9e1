// SPDX-License-Identifier: MIT
/*
 * The Windows toolchain check: a static .exe linked with the cross-built OpenSSL and
 * libcurl, run under wine by tests/windows/smoke.sh.
 *
 *   wincheck versions               the OpenSSL and libcurl versions linked in
 *   wincheck sha256 FILE            the file's SHA-256 in hex (OpenSSL EVP)
 *   wincheck get URL --cacert FILE  HTTPS GET verified against FILE, body to stdout
 *   wincheck get URL --native       HTTPS GET verified against the Windows ROOT store
 *   wincheck addroot FILE           add a PEM certificate to the user's ROOT store
 *
 * Exit status: 0 done, 1 usage or local error, 2 the transfer failed (curl's code printed).
 */
#include <stdio.h>
#include <string.h>

/* curl.h brings winsock2.h, which must come before windows.h. */
#include <curl/curl.h>
#include <windows.h>
#include <wincrypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static int usage(void)
{
	fprintf(stderr, "usage: wincheck versions | sha256 FILE | get URL (--cacert FILE | "
		"--native) | addroot FILE\n");
	return 1;
}

static int versions(void)
{
	curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

	printf("openssl %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("curl %s\n", curl_version());
	printf("curl-ssl %s\n", v->ssl_version ? v->ssl_version : "(none)");
	printf("curl-https %s\n", (v->features & CURL_VERSION_SSL) ? "yes" : "no");
	return 0;
}

static int sha256(const char *path)
{
	unsigned char buf[4096], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t n;
	int ret = 1;

	if (!f || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		fprintf(stderr, "wincheck: sha256: cannot read %s\n", path);
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
	if (ferror(f) || !EVP_DigestFinal_ex(ctx, md, &mdlen))
		goto out;
	for (i = 0; i < mdlen; i++)
		printf("%02x", md[i]);
	printf("\n");
	ret = 0;
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* TLS 1.2 or later, peer and host always verified: the agent's settings. */
static int get(const char *url, const char *cafile)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (!c)
		return 1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	if (cafile)
		curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
	else
		curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_NATIVE_CA);
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	fprintf(stderr, "wincheck: get: curl error %d: %s\n", (int)rc,
		errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return 2;
}

static int addroot(const char *path)
{
	unsigned char *der = NULL;
	HCERTSTORE store = NULL;
	X509 *x = NULL;
	FILE *f = fopen(path, "rb");
	int len, ret = 1;

	if (f)
		x = PEM_read_X509(f, NULL, NULL, NULL);
	if (!x || (len = i2d_X509(x, &der)) <= 0) {
		fprintf(stderr, "wincheck: addroot: no PEM certificate in %s\n", path);
		goto out;
	}
	store = CertOpenSystemStoreA(0, "ROOT");
	if (!store || !CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der,
							(DWORD)len,
							CERT_STORE_ADD_REPLACE_EXISTING, NULL)) {
		fprintf(stderr, "wincheck: addroot: cannot add to the ROOT store (error %lu)\n",
			(unsigned long)GetLastError());
		goto out;
	}
	ret = 0;
out:
	if (store)
		CertCloseStore(store, 0);
	OPENSSL_free(der);
	X509_free(x);
	if (f)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 2 && !strcmp(argv[1], "versions"))
		return versions();
	if (argc == 3 && !strcmp(argv[1], "sha256"))
		return sha256(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "addroot"))
		return addroot(argv[2]);
	if (argc < 4 || strcmp(argv[1], "get"))
		return usage();
	if (!strcmp(argv[3], "--cacert") && argc == 5)
		ret = 0;
	else if (!strcmp(argv[3], "--native") && argc == 4)
		ret = 0;
	else
		return usage();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	ret = get(argv[2], argc == 5 ? argv[4] : NULL);
	curl_global_cleanup();
	return ret;
}
