// SPDX-License-Identifier: MIT
/*
 * What the HTTPS module's transfers share (report_curl.h): a libcurl handle set up with
 * verification on, the request headers (the bearer token wiped), the failure classes and
 * their words, and the wait between attempts. Part of the module amtact-http.so.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509_vfy.h>

#include "os.h"
#include "report_curl.h"
#include "secret.h"

static enum report_tls_failure tls_failure_of(long verify_result)
{
	switch (verify_result) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return REPORT_TLS_EXPIRED;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		return REPORT_TLS_UNKNOWN_CA;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
	/*
	 * libcurl checks the name itself after OpenSSL accepted the chain and then reports
	 * X509_V_OK or X509_V_ERR_UNSPECIFIED as the verify result.
	 */
	case X509_V_OK:
	case X509_V_ERR_UNSPECIFIED:
		return REPORT_TLS_HOSTNAME;
	default:
		return REPORT_TLS_OTHER;
	}
}

static const char *tls_text(enum report_tls_failure f)
{
	switch (f) {
	case REPORT_TLS_EXPIRED:
		return "server certificate expired or not yet valid (check the server's "
		       "certificate dates and this machine's clock)";
	case REPORT_TLS_UNKNOWN_CA:
		return "server certificate not signed by a trusted CA (check the profile's CA "
		       "file)";
	case REPORT_TLS_HOSTNAME:
		return "server certificate does not match the host name in the URL (use the "
		       "name the certificate was issued for)";
	case REPORT_TLS_PIN:
		return "server public key does not match the pinned sha256 (update the pin "
		       "if the server key was renewed)";
	default:
		return "server certificate verification failed";
	}
}

static void set_message(struct report_result *res, const char *detail, const char *text)
{
	if (detail && detail[0])
		snprintf(res->message, sizeof(res->message), "%s: %s", text, detail);
	else
		snprintf(res->message, sizeof(res->message), "%s", text);
}

static enum report_class class_of_curl(int code)
{
	switch (code) {
	/*
	 * CURLE_UNSUPPORTED_PROTOCOL is not ours here: the URL's scheme was checked before
	 * (https only), so it is the server's answer that is not HTTP (e.g. "HTTP/0.9"):
	 * temporary, like any other garbled answer.
	 */
	case CURLE_URL_MALFORMAT:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_NOT_BUILT_IN:
	case CURLE_BAD_FUNCTION_ARGUMENT:
	case CURLE_OUT_OF_MEMORY:
		return REPORT_LOCAL;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return REPORT_TLS;
	default:
		return REPORT_TEMPORARY;
	}
}

void report_classify_transport(int code, long verify_result, const char *detail,
			       struct report_result *res)
{
	res->tls = REPORT_TLS_NONE;
	res->cls = class_of_curl(code);
	if (code == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		res->tls = REPORT_TLS_PIN;
	else if (res->cls == REPORT_TLS)
		res->tls = tls_failure_of(verify_result);
	if (res->cls == REPORT_TLS)
		set_message(res, detail, tls_text(res->tls));
	else if (code == CURLE_OPERATION_TIMEDOUT)
		set_message(res, detail, "timed out");
	else if (code == CURLE_COULDNT_CONNECT)
		set_message(res, detail, "cannot connect to the server");
	else if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_WEIRD_SERVER_REPLY)
		set_message(res, detail, "the server's answer is not HTTP (is the URL's port "
			    "the interim server's?)");
	else if (code == CURLE_SSL_CACERT_BADFILE)
		set_message(res, detail, "CA file unusable");
	else if (code == CURLE_SSL_CERTPROBLEM)
		set_message(res, detail, "client certificate or key unusable");
	else
		set_message(res, detail, curl_easy_strerror((CURLcode)code));
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct attempt *a = arg;
	size_t len = size * n;
	char line[128];

	if (len > 12 && len < sizeof(line) && strncasecmp(p, "Retry-After:", 12) == 0) {
		memcpy(line, p + 12, len - 12);
		line[len - 12] = 0;
		a->retry_after_ms = report_parse_retry_after_ms(line);
	}
	if (len >= 30 && strncasecmp(p, "X-Amtact-Credentials: accepted", 30) == 0)
		a->creds_accepted = true;
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct attempt *a = arg;
	size_t len = size * n;

	for (size_t i = 0; i < len && a->response_len < RESPONSE_KEEP; i++) {
		unsigned char c = (unsigned char)p[i];

		a->response[a->response_len++] = isprint(c) ? (char)c : ' ';
	}
	a->response[a->response_len] = 0;
	return len;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Turn base64, hex or "sha256//..." into libcurl's pinned public key string. */
static int pin_to_curl(const char *pin, char *out, size_t cap)
{
	unsigned char raw[32];
	char b64[45];
	size_t n = strlen(pin);

	if (strncmp(pin, "sha256//", 8) == 0)
		return (size_t)snprintf(out, cap, "%s", pin) < cap ? 0 : -EINVAL;
	if (n == 44 && pin[43] == '=')
		return (size_t)snprintf(out, cap, "sha256//%s", pin) < cap ? 0 : -EINVAL;
	if (n != 64)
		return -EINVAL;
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval(pin[2 * i]), lo = hexval(pin[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	EVP_EncodeBlock((unsigned char *)b64, raw, 32);
	return (size_t)snprintf(out, cap, "sha256//%s", b64) < cap ? 0 : -EINVAL;
}

/* Wipe header values before libcurl frees them: one of them is the bearer token. */
void report_curl_free_headers(struct curl_slist *h)
{
	for (struct curl_slist *p = h; p; p = p->next)
		secret_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(h);
}

int report_curl_headers(const struct report_server *srv, const char *report_id,
			struct curl_slist **out, struct report_result *res)
{
	struct curl_slist *h = NULL, *t;
	struct secret line;
	int ret = -ENOMEM, loose = 0;
	size_t n;

	secret_init(&line);
	n = (size_t)snprintf(line.buf, sizeof(line.buf), "Idempotency-Key: %s", report_id);
	if (!(t = curl_slist_append(h, "Content-Type: application/json")) || !(h = t) ||
	    !(t = curl_slist_append(h, "Expect:")) || !(h = t) ||
	    n >= sizeof(line.buf) || !(t = curl_slist_append(h, line.buf)) || !(h = t))
		goto out;
	if (srv->token_file) {
		struct secret tok;

		ret = secret_read_file(&tok, srv->token_file, &loose);
		if (loose)
			res->warnings |= REPORT_WARN_TOKEN_MODE;
		if (ret == 0) {
			n = (size_t)snprintf(line.buf, sizeof(line.buf), "Authorization: Bearer %s",
					     tok.buf);
			ret = n < sizeof(line.buf) ? 0 : -EMSGSIZE;
		}
		secret_wipe(&tok);
		if (ret < 0) {
			snprintf(res->message, sizeof(res->message),
				 "cannot read the token file %s: %s", srv->token_file,
				 strerror(-ret));
			goto out;
		}
		ret = -ENOMEM;
		if (!(t = curl_slist_append(h, line.buf)))
			goto out;
		h = t;
	}
	ret = 0;
out:
	secret_wipe(&line);
	if (ret < 0)
		report_curl_free_headers(h);
	else
		*out = h;
	return ret;
}

static int is_https(const char *url)
{
	return url && strncasecmp(url, "https://", 8) == 0 && url[8];
}

/* Everything that stays the same between attempts. */
int report_curl_setup(CURL *c, const struct report_server *srv, const char *pin,
		      struct curl_slist *headers, struct attempt *a)
{
	long ct = srv->connect_timeout_ms > 0 ? srv->connect_timeout_ms : 10000;
	long tt = srv->total_timeout_ms > 0 ? srv->total_timeout_ms : 90000;
	int bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, srv->url);
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ct);
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, tt);
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, "amtact/" AMTACT_VERSION);
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, a->errbuf);
	if (srv->ca_file) {
		/* Only the profile's CA: not the system store as well. */
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, srv->ca_file);
		bad |= curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	if (pin)
		bad |= curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin);
	if (srv->client_cert)
		bad |= curl_easy_setopt(c, CURLOPT_SSLCERT, srv->client_cert);
	if (srv->client_key)
		bad |= curl_easy_setopt(c, CURLOPT_SSLKEY, srv->client_key);
	if (srv->proxy)
		bad |= curl_easy_setopt(c, CURLOPT_PROXY, srv->proxy);
	return bad ? -EINVAL : 0;
}

/* A server that demands a client certificate drops us right after the handshake. */
void report_curl_hint_client_cert(int code, const struct report_server *srv,
				  struct report_result *res)
{
	size_t n = strlen(res->message);

	if (srv->client_cert || (code != CURLE_SSL_CONNECT_ERROR && code != CURLE_SEND_ERROR &&
				 code != CURLE_RECV_ERROR))
		return;
	snprintf(res->message + n, sizeof(res->message) - n,
		 "; the server may require a client certificate (none is configured)");
}

static unsigned long random_below(unsigned long n)
{
	unsigned long r = 0;

	if (n == 0)
		return 0;
	if (os_random(&r, sizeof(r), OS_RANDOM_NOWAIT) < 0)
		r = (unsigned long)time(NULL) ^ (unsigned long)clock();
	return r % n;
}

void report_curl_sleep_ms(long ms)
{
	os_sleep_ms(ms > 0 ? (unsigned long)ms : 0);
}

/* The wait before retry n, or -1 when the server asked for longer than we wait. */
static long next_wait_ms(const struct report_server *srv, unsigned n,
			 const struct report_result *res)
{
	long ra_max = srv->retry_after_max_ms > 0 ? srv->retry_after_max_ms : 60000;
	long ceiling = report_backoff_ceiling_ms(srv, n);
	/* Equal jitter: spread, yet never less than half the ceiling, so that the retries
	   of a run are sure to cover a known span (a server down for a few seconds). */
	long wait = ceiling / 2 + (long)random_below((unsigned long)(ceiling - ceiling / 2) + 1);

	if ((res->http_status == 429 || res->http_status == 503) && res->retry_after_ms >= 0) {
		if (res->retry_after_ms > ra_max)
			return -1;
		if (res->retry_after_ms > wait)
			wait = res->retry_after_ms;
	}
	return wait;
}

bool report_curl_wait_retry(const struct report_server *srv, const struct report_result *res)
{
	unsigned max = srv->max_attempts ? srv->max_attempts : 4;
	long wait;

	if (res->cls != REPORT_TEMPORARY || res->attempts >= max)
		return false;
	wait = next_wait_ms(srv, res->attempts - 1, res);
	if (wait < 0)
		return false;
	report_curl_sleep_ms(wait);
	return true;
}

int report_curl_errno(enum report_class cls)
{
	switch (cls) {
	case REPORT_DELIVERED:
		return 0;
	case REPORT_TEMPORARY:
		return -EAGAIN;
	case REPORT_PERMANENT:
		return -EREMOTEIO;
	case REPORT_TLS:
	case REPORT_CONFIG:
		return -EKEYREJECTED;
	default:
		return -EINVAL;
	}
}

int report_curl_check_config(const struct report_server *srv, const char *report_id,
			     char *pin, size_t pin_cap, struct report_result *res)
{
	memset(res, 0, sizeof(*res));
	res->cls = REPORT_LOCAL;
	res->retry_after_ms = -1;
	if (!is_https(srv->url)) {
		snprintf(res->message, sizeof(res->message),
			 "the server URL must start with https:// (got %s)",
			 srv->url ? srv->url : "none");
		return -EPROTONOSUPPORT;
	}
	if (!report_id_valid(report_id)) {
		snprintf(res->message, sizeof(res->message), "invalid report id");
		return -EINVAL;
	}
	if (srv->pin_sha256 && pin_to_curl(srv->pin_sha256, pin, pin_cap) < 0) {
		snprintf(res->message, sizeof(res->message),
			 "the pin must be a sha256 of the server key in base64 or hex");
		return -EINVAL;
	}
	return 0;
}
