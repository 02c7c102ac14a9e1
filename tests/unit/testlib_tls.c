// SPDX-License-Identifier: MIT
/* Test fixture: certificates made with the OpenSSL API and a scripted one-thread HTTPS server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "testlib.h"
#include "testlib_tls.h"

int testlib_tls_make_cert(int rsa, const char *cn, const char *san, long from_days,
			  long to_days, EVP_PKEY **key, X509 **cert)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	X509_NAME *name;

	*key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
	*cert = X509_new();
	if (!*key || !*cert)
		return -1;
	X509_set_version(*cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(*cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(*cert), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(*cert), to_days * 86400);
	X509_set_pubkey(*cert, *key);
	name = X509_get_subject_name(*cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
				   0);
	X509_set_issuer_name(*cert, name);
	if (san) {
		X509V3_set_ctx(&v3, *cert, *cert, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
		if (!ext)
			return -1;
		X509_add_ext(*cert, ext, -1);
		X509_EXTENSION_free(ext);
	}
	return X509_sign(*cert, *key, EVP_sha256()) > 0 ? 0 : -1;
}

int testlib_tls_write_pem(const char *path, EVP_PKEY *key, X509 *cert)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
		 : PEM_write_X509(f, cert);
	return fclose(f) == 0 && ok ? 0 : -1;
}

void testlib_tls_pin(EVP_PKEY *key, char out[64])
{
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 0;
	int n = i2d_PUBKEY(key, &der);

	EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, 32);
	OPENSSL_free(der);
}


static void serve_one(struct testlib_tls_server *s, int fd)
{
	char buf[32768], resp[512], *end, *cl;
	size_t len = 0, need;
	SSL *ssl = SSL_new(s->ctx);
	int st, n;

	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) <= 0) {
		s->handshakes_failed++;
		goto out;
	}
	while (len < sizeof(buf) - 1 && (n = SSL_read(ssl, buf + len, (int)(sizeof(buf) - 1 - len))) > 0) {
		len += (size_t)n;
		buf[len] = 0;
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		cl = strcasestr(buf, "content-length:");
		need = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		if (len < need)
			continue;
		snprintf(s->last_head, sizeof(s->last_head), "%.*s", (int)(end - buf), buf);
		snprintf(s->last_body, sizeof(s->last_body), "%s", end + 4);
		st = s->statuses[s->requests < s->nstatus ? s->requests : s->nstatus - 1];
		s->requests++;
		if (s->raw) {
			if (s->raw_len)
				SSL_write(ssl, s->raw, (int)s->raw_len);
			SSL_shutdown(ssl);
			break;
		}
		n = snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\n%sContent-Length: 7\r\n"
			     "Connection: close\r\n\r\nanswer!", st, s->extra ? s->extra : "");
		SSL_write(ssl, resp, n);
		break;
	}
out:
	SSL_free(ssl);
	close(fd);
}

void testlib_tls_set_raw(struct testlib_tls_server *s, const void *raw, size_t len)
{
	s->raw = raw;
	s->raw_len = len;
}

static void *serve_loop(void *arg)
{
	struct testlib_tls_server *s = arg;
	struct pollfd p = { .fd = s->lfd, .events = POLLIN };

	while (!s->stop) {
		if (poll(&p, 1, 50) == 1) {
			int fd = accept(s->lfd, NULL, NULL);

			if (fd >= 0)
				serve_one(s, fd);
		}
	}
	return NULL;
}

/* Listen on an ephemeral loopback port and serve from a thread. */
static int listen_and_serve(struct testlib_tls_server *s, EVP_PKEY *key, X509 *cert)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->ctx = SSL_CTX_new(TLS_server_method());
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (!s->ctx || s->lfd < 0 || SSL_CTX_use_certificate(s->ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(s->ctx, key) != 1 ||
	    bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s->lfd, 8) < 0 ||
	    getsockname(s->lfd, (struct sockaddr *)&a, &alen) < 0)
		return -1;
	s->port = ntohs(a.sin_port);
	return pthread_create(&s->thread, NULL, serve_loop, s) == 0 ? 0 : -1;
}

struct testlib_tls_server *testlib_tls_start(const struct testlib_tls_id *id,
					     const int *statuses, int n, const char *extra)
{
	struct testlib_tls_server *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_true(n >= 1 && (size_t)n <= sizeof(s->statuses) / sizeof(s->statuses[0]));
	memcpy(s->statuses, statuses, (size_t)n * sizeof(int));
	s->nstatus = n;
	s->extra = extra;
	assert_int_equal(listen_and_serve(s, id->key, id->cert), 0);
	return s;
}

void testlib_tls_stop(struct testlib_tls_server *s)
{
	s->stop = 1;
	pthread_join(s->thread, NULL);
	close(s->lfd);
	SSL_CTX_free(s->ctx);
	free(s);
}

int testlib_tls_id_make(struct testlib_tls_id *id, const char *cn, const char *file,
			long from_days, long to_days)
{
	memset(id, 0, sizeof(*id));
	if (testlib_tls_make_cert(0, cn, "IP:127.0.0.1", from_days, to_days, &id->key,
				  &id->cert) < 0)
		return -1;
	return testlib_tls_write_pem(testlib_tmp_path(id->pem, sizeof(id->pem), file), NULL,
				     id->cert);
}

void testlib_tls_id_free(struct testlib_tls_id *id)
{
	EVP_PKEY_free(id->key);
	X509_free(id->cert);
	memset(id, 0, sizeof(*id));
}
