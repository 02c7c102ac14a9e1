/* SPDX-License-Identifier: MIT */
/*
 * What the transfers of the HTTPS module share (report_curl.c): private to the module's
 * files (report.c delivers reports, report_fetch.c fetches the server's OTP), the only
 * files besides it that see libcurl's types. None of these prints or logs anything.
 */
#ifndef AMTACT_REPORT_CURL_H
#define AMTACT_REPORT_CURL_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "report.h"

#define RESPONSE_KEEP 240

/* What one attempt learnt, beyond the classification. */
struct attempt {
	long retry_after_ms;
	bool creds_accepted;  /* amtact-interim's X-Amtact-Credentials: accepted */
	char response[RESPONSE_KEEP + 1];
	size_t response_len;
	char errbuf[CURL_ERROR_SIZE];
};

/*
 * Check srv's URL (https only), the report id and the pin (turned into libcurl's form in
 * `pin`); res starts afresh (class local, its message says what is wrong). 0 or -errno.
 */
int report_curl_check_config(const struct report_server *srv, const char *report_id,
			     char *pin, size_t pin_cap, struct report_result *res);

/*
 * The request headers: JSON, no "Expect:", the idempotency key, and the bearer token of
 * srv->token_file (a loose file mode is a warning in res). On failure res->message says
 * why. Free with report_curl_free_headers (it wipes them). 0 or -errno.
 */
int report_curl_headers(const struct report_server *srv, const char *report_id,
			struct curl_slist **out, struct report_result *res);
void report_curl_free_headers(struct curl_slist *h);

/*
 * Everything that stays the same between attempts on handle c: URL, https only, no
 * redirects, peer and host verification, timeouts, CA, pin, client certificate, proxy,
 * headers; what the answer says goes into a. 0, or -EINVAL when libcurl refused an option.
 */
int report_curl_setup(CURL *c, const struct report_server *srv, const char *pin,
		      struct curl_slist *headers, struct attempt *a);

/* Add to res->message that the server may want a client certificate, when it looks so. */
void report_curl_hint_client_cert(int code, const struct report_server *srv,
				  struct report_result *res);

/*
 * After an attempt whose outcome is in res: false when it was the last (not temporary,
 * srv's attempts used up, or the server asks for a longer wait than we wait); else true,
 * once the wait before the next one (jittered backoff, or Retry-After) is over.
 */
bool report_curl_wait_retry(const struct report_server *srv, const struct report_result *res);
void report_curl_sleep_ms(long ms);

/* The -errno of a class: 0 delivered, -EAGAIN temporary, -EREMOTEIO permanent, ... */
int report_curl_errno(enum report_class cls);

/* report_fetch.c: report_fetch_otp (report.h) over HTTPS; the table's fetch_otp. */
int report_fetch_http(const struct report_server *srv, const char *uuid, struct secret *otp,
		      struct report_result *res);

#endif
