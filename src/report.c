// SPDX-License-Identifier: MIT
/*
 * HTTPS delivery of reports to the interim server with libcurl (include/report.h), and the
 * module's table (report_http.h). Built with report_curl.c and report_fetch.c as the
 * module amtact-http.so, loaded by report_load.c only when a command reports, so that
 * the commands that do not never load libcurl and its dependencies (README, "Start-up").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509_vfy.h>

#include "report_curl.h"
#include "report_http.h"

static int http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -ENOMEM;
}

static void http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* What a 401, 403 or redirect asks the administrator to fix. */
static const char *config_text(long http_status)
{
	if (http_status == 401)
		return "the server did not accept this agent's credentials (check "
		       "server.token_file and server.client_cert against what the server expects)";
	if (http_status == 403)
		return "the server does not let this agent report (check the token and the "
		       "client certificate the server allows)";
	return "a redirect, which amtact never follows (set server.url to the https address "
	       "the server redirects to)";
}

static long info_us(CURL *c, CURLINFO what)
{
	curl_off_t v = 0;

	return curl_easy_getinfo(c, what, &v) == CURLE_OK ? (long)v : 0;
}

static void phases(CURL *c, struct report_result *res)
{
	long tcp = info_us(c, CURLINFO_CONNECT_TIME_T), tls = info_us(c, CURLINFO_APPCONNECT_TIME_T);
	long pre = info_us(c, CURLINFO_PRETRANSFER_TIME_T);
	long first = info_us(c, CURLINFO_STARTTRANSFER_TIME_T);

	res->tcp_us = tcp;
	res->tls_us = tls > tcp ? tls - tcp : 0;
	res->server_us = first > pre ? first - pre : 0;
	res->total_us = info_us(c, CURLINFO_TOTAL_TIME_T);
}

/*
 * A transfer that failed after the server's status line came in: libcurl refused what the
 * server sent (e.g. a folded first header line, which it reports as a bad argument). The
 * server's fault, to be tried again later, never a fault of ours.
 */
static void server_garbled(CURL *c, struct report_result *res)
{
	long code = 0;

	if (res->cls != REPORT_LOCAL || curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) !=
	    CURLE_OK || code == 0)
		return;
	res->cls = REPORT_TEMPORARY;
	snprintf(res->message, sizeof(res->message), "the server's answer (HTTP %ld) could not "
		 "be read: its headers are malformed", code);
}

static void attempt_once(CURL *c, const struct report_server *srv, const void *body,
			 size_t len, struct attempt *a, struct report_result *res)
{
	long verify = X509_V_OK;
	CURLcode rc;

	a->retry_after_ms = -1;
	a->creds_accepted = false;
	a->response_len = 0;
	a->response[0] = 0;
	a->errbuf[0] = 0;
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	rc = curl_easy_perform(c);
	res->attempts++;
	phases(c, res);
	res->retry_after_ms = a->retry_after_ms;
	res->http_status = 0;
	if (rc != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &verify);
		report_classify_transport((int)rc, verify, a->errbuf, res);
		report_curl_hint_client_cert((int)rc, srv, res);
		server_garbled(c, res);
		return;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->http_status);
	res->cls = report_classify_http(res->http_status);
	res->tls = REPORT_TLS_NONE;
	if (res->cls == REPORT_DELIVERED)
		snprintf(res->message, sizeof(res->message), "delivered (HTTP %ld)",
			 res->http_status);
	else if (res->cls == REPORT_CONFIG)
		snprintf(res->message, sizeof(res->message), "server answered HTTP %ld: %s",
			 res->http_status, config_text(res->http_status));
	else
		snprintf(res->message, sizeof(res->message), "server answered HTTP %ld%s%s",
			 res->http_status, a->response_len ? ": " : "", a->response);
}

/*
 * A session shares its connections, TLS sessions and DNS answers between transfers (one
 * share handle), and each attempt has a fresh easy handle: libcurl 7.88 (Debian 12) keeps
 * a pointer to the previous transfer's last header in the easy handle after freeing it, and
 * a server answer whose first header line is folded (starts with a space) then reads freed
 * memory. A fresh handle per attempt has no previous transfer.
 */
struct report_session {
	const struct report_server *srv;
	CURLSH *share;
	int started; /* the first attempt was made (first_delay_ms is behind us) */
	bool creds_accepted; /* the last answer said the server would take our token */
};

static struct report_session *http_session_open(const struct report_server *srv)
{
	struct report_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->srv = srv;
	s->share = curl_share_init();
	if (!s->share ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK) {
		curl_share_cleanup(s->share);
		free(s);
		return NULL;
	}
	return s;
}

static void http_session_close(struct report_session *s)
{
	if (!s)
		return;
	curl_share_cleanup(s->share);
	free(s);
}

/* A fresh easy handle for one attempt, on the session's shared connections; NULL if out of
 * memory or an option is refused. */
static CURL *attempt_handle(struct report_session *s, const char *pin,
			    struct curl_slist *headers, struct attempt *a)
{
	CURL *c = curl_easy_init();

	if (c && (report_curl_setup(c, s->srv, pin, headers, a) < 0 ||
		  curl_easy_setopt(c, CURLOPT_SHARE, s->share) != CURLE_OK)) {
		curl_easy_cleanup(c);
		c = NULL;
	}
	return c;
}

static int http_session_send(struct report_session *s, const char *report_id, const void *body,
			     size_t len, struct report_result *res)
{
	const struct report_server *srv = s->srv;
	struct curl_slist *headers = NULL;
	struct attempt a;
	char pin[512];
	int ret;

	ret = report_curl_check_config(srv, report_id, pin, sizeof(pin), res);
	if (ret < 0)
		goto out;
	ret = report_curl_headers(srv, report_id, &headers, res);
	if (ret < 0)
		goto out;
	if (!s->started && srv->first_delay_ms > 0)
		report_curl_sleep_ms(srv->first_delay_ms);
	s->started = 1;
	do {
		CURL *c = attempt_handle(s, srv->pin_sha256 ? pin : NULL, headers, &a);

		if (!c) {
			ret = -ENOMEM;
			goto out;
		}
		attempt_once(c, srv, body, len, &a, res);
		curl_easy_cleanup(c);
		s->creds_accepted = a.creds_accepted;
	} while (report_curl_wait_retry(srv, res));
	ret = report_curl_errno(res->cls);
out:
	report_curl_free_headers(headers);
	return ret;
}

/* report_check: one GET on the report URL, no first delay, no retry, no body. */
static int http_check(const struct report_server *srv, struct report_result *res)
{
	struct report_server one = *srv;
	struct report_session *s;
	int ret;

	one.first_delay_ms = 0;
	one.max_attempts = 1;
	s = http_session_open(&one);
	if (!s) {
		memset(res, 0, sizeof(*res));
		res->cls = REPORT_LOCAL;
		snprintf(res->message, sizeof(res->message), "out of memory");
		return -ENOMEM;
	}
	ret = http_session_send(s, "connect-check", NULL, 0, res);
	if (res->http_status == 401 || res->http_status == 403) {
		/* res->message already carries the server's answer */
		snprintf(res->message, sizeof(res->message), "the server refused the credentials "
			 "(HTTP %ld)", res->http_status);
		ret = -EACCES;
	} else if (res->http_status) {
		/* Any other answer came over a verified TLS connection; amtact-interim also says
		 * whether it would take the token. */
		res->cls = REPORT_DELIVERED;
		snprintf(res->message, sizeof(res->message), "TLS verified; the server answered "
			 "HTTP %ld%s", res->http_status, s->creds_accepted ?
			 " (credentials accepted)" : " (credentials not checked by this server)");
		ret = 0;
	}
	http_session_close(s);
	return ret;
}

/* The module's one exported symbol (report.map): what the agent calls, checked by size. */
const struct report_http amtact_report_http_1 = {
	.abi = REPORT_HTTP_ABI,
	.size = sizeof(struct report_http),
	.server_size = sizeof(struct report_server),
	.result_size = sizeof(struct report_result),
	.global_init = http_global_init,
	.global_cleanup = http_global_cleanup,
	.session_open = http_session_open,
	.session_send = http_session_send,
	.session_close = http_session_close,
	.fetch_otp = report_fetch_http,
	.check = http_check,
};
