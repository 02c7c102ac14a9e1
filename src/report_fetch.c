// SPDX-License-Identifier: MIT
/*
 * The transfer that fetches the OTP the interim server assigned to this box (otp.policy
 * "server"): GET /otp/UUID, the reply only ever in a wipeable buffer. Part of the module
 * amtact-http.so; what the answer means is report_otp.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/x509_vfy.h>

#include "report_curl.h"
#include "secret.h"

/* The reply body goes only into a wipeable buffer: on success it holds the OTP. */
static size_t on_secret_body(char *p, size_t size, size_t n, void *arg)
{
	struct secret *s = arg;
	size_t len = size * n;

	if (len > SECRET_MAX - s->len)
		return 0; /* too long for any OTP reply: the transfer fails */
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return len;
}

/* One GET; a's Retry-After goes into res, so that a 429 or 503 waits as the server asks. */
static int fetch_once(CURL *c, const struct report_server *srv, struct attempt *a,
		      struct secret *body, struct secret *otp, struct report_result *res)
{
	long verify = X509_V_OK;
	CURLcode rc;
	int ret;

	secret_wipe(body);
	a->retry_after_ms = -1;
	a->errbuf[0] = 0;
	rc = curl_easy_perform(c);
	res->attempts++;
	res->retry_after_ms = a->retry_after_ms;
	res->http_status = 0;
	if (rc != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &verify);
		report_classify_transport((int)rc, verify, rc == CURLE_WRITE_ERROR ?
					  "the reply is too long" : a->errbuf, res);
		report_curl_hint_client_cert((int)rc, srv, res);
		return report_curl_errno(res->cls);
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->http_status);
	if (res->http_status != 200)
		return report_otp_status(res->http_status, body, res);
	ret = report_otp_parse(body, otp);
	res->cls = ret == 0 ? REPORT_DELIVERED : REPORT_PERMANENT;
	snprintf(res->message, sizeof(res->message), "%s", ret == 0 ? "OTP received (HTTP 200)" :
		 "the server's reply (HTTP 200) holds no usable OTP");
	return ret;
}

int report_fetch_http(const struct report_server *srv, const char *uuid,
		      struct secret *otp, struct report_result *res)
{
	struct curl_slist *headers = NULL;
	struct secret body;
	struct attempt a;
	char pin[512], url[2048];
	CURL *c = NULL;
	int ret;

	secret_init(&body);
	secret_wipe(otp);
	ret = report_curl_check_config(srv, uuid, pin, sizeof(pin), res);
	if (ret == 0 && (ret = report_otp_url(srv->url, uuid, url, sizeof(url))) < 0)
		snprintf(res->message, sizeof(res->message), "the server URL is too long");
	if (ret == 0)
		ret = report_curl_headers(srv, uuid, &headers, res);
	if (ret < 0)
		goto out;
	ret = -ENOMEM;
	c = curl_easy_init();
	if (!c || report_curl_setup(c, srv, srv->pin_sha256 ? pin : NULL, headers, &a) < 0 ||
	    curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_secret_body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) != CURLE_OK)
		goto out;
	do {
		ret = fetch_once(c, srv, &a, &body, otp, res);
	} while (report_curl_wait_retry(srv, res));
out:
	curl_easy_cleanup(c);
	report_curl_free_headers(headers);
	secret_wipe(&body);
	if (ret < 0)
		secret_wipe(otp);
	return ret;
}
