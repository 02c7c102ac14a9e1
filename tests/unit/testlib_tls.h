/* SPDX-License-Identifier: MIT */
/* Test fixture: certificates made with the OpenSSL API and a scripted one-thread HTTPS server. */
#ifndef AMTACT_TESTLIB_TLS_H
#define AMTACT_TESTLIB_TLS_H

#include <pthread.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* A key (EC P-256, or RSA 2048 when rsa) and a self-signed certificate for cn (with the
 * subjectAltName san unless NULL) valid from..to days from now. 0 or -1. */
int testlib_tls_make_cert(int rsa, const char *cn, const char *san, long from_days,
			  long to_days, EVP_PKEY **key, X509 **cert);

/* The key (when key is not NULL) or the certificate as PEM into path. 0 or -1. */
int testlib_tls_write_pem(const char *path, EVP_PKEY *key, X509 *cert);

/* The base64 SHA-256 of the key's SubjectPublicKeyInfo, as a pin. */
void testlib_tls_pin(EVP_PKEY *key, char out[64]);

/* A server identity for 127.0.0.1: an EC key, its certificate, and the certificate as PEM
 * in the temporary folder (for CA files). */
struct testlib_tls_id {
	EVP_PKEY *key;
	X509 *cert;
	char pem[300];
};

/* Make id for cn, valid from..to days from now, its PEM at TMPDIR/file. 0 or -1. */
int testlib_tls_id_make(struct testlib_tls_id *id, const char *cn, const char *file,
			long from_days, long to_days);
void testlib_tls_id_free(struct testlib_tls_id *id);

/* A scripted HTTPS server on an ephemeral loopback port: one connection at a time, one
 * request per connection, answered with the next status of the script. */
struct testlib_tls_server {
	int lfd;
	int port;
	SSL_CTX *ctx;
	pthread_t thread;
	volatile int stop;
	int statuses[8];      /* status for request n; the last one repeats */
	int nstatus;
	const char *extra;    /* extra response header lines, "\r\n"-terminated */
	const void *raw;      /* testlib_tls_set_raw: the whole response instead, then close */
	size_t raw_len;
	int requests;         /* complete HTTP requests received */
	int handshakes_failed;
	char last_head[2048];
	char last_body[16384];
};

/* Start serving as id, answering statuses[0..n) (1 <= n <= 8) with the extra header lines
 * (NULL: none); a failure fails the test. Stop with testlib_tls_stop. */
struct testlib_tls_server *testlib_tls_start(const struct testlib_tls_id *id,
					     const int *statuses, int n, const char *extra);

/* Answer every later request with exactly these bytes and close (TLS close_notify) instead
 * of the scripted status; the caller keeps them alive. For the fuzz targets. */
void testlib_tls_set_raw(struct testlib_tls_server *s, const void *raw, size_t len);

/* Stop the server, join its thread, free it. */
void testlib_tls_stop(struct testlib_tls_server *s);

#endif
