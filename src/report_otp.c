// SPDX-License-Identifier: MIT
/*
 * The pure half of fetching the OTP the interim server assigned to this box (otp.policy
 * "server"): where to ask, what its answer means, and the OTP out of it (include/report.h).
 * The transfer itself is report_fetch.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define SERVER_WORDS_KEEP 240

int report_otp_url(const char *url, const char *uuid, char *out, size_t cap)
{
	const char *host = strstr(url, "://"), *end, *slash;

	host = host ? host + 3 : url;
	end = host + strcspn(host, "?#");
	slash = memchr(host, '/', (size_t)(end - host));
	if (slash)
		while (end > slash && end[-1] != '/')
			end--;
	if ((size_t)snprintf(out, cap, "%.*s%sotp/%s", (int)(end - url), url, slash ? "" : "/",
			     uuid) >= cap)
		return -ENAMETOOLONG;
	return 0;
}

static const char *blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

int report_otp_parse(const struct secret *body, struct secret *otp)
{
	const char *p = strstr(body->buf, "\"otp\"");

	secret_wipe(otp);
	if (!p)
		return -EBADMSG;
	p = blanks(p + 5);
	if (*p != ':')
		return -EBADMSG;
	p = blanks(p + 1);
	if (*p++ != '"')
		return -EBADMSG;
	for (; *p && *p != '"' && otp->len < SECRET_MAX; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '/'))
			p++;
		else if (*p == '\\' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			break;
		otp->buf[otp->len++] = *p;
	}
	if (*p != '"' || otp->len == 0) {
		secret_wipe(otp);
		return -EBADMSG;
	}
	otp->buf[otp->len] = '\0';
	return 0;
}

int report_otp_status(long status, const struct secret *body, struct report_result *res)
{
	/*
	 * A refusal's words are the server's reason. An answer that may hold the OTP all the
	 * same (any 2xx, or a body naming "otp") is not repeated: the message is shown and logged.
	 */
	bool words = body->len && status >= 300 && !strstr(body->buf, "\"otp\"");
	size_t n;

	res->cls = report_classify_http(status);
	snprintf(res->message, sizeof(res->message), "server answered HTTP %ld%s", status,
		 words ? ": " : "");
	n = strlen(res->message);
	for (size_t i = 0; words && i < body->len && i < SERVER_WORDS_KEEP &&
	     n + 1 < sizeof(res->message); i++)
		res->message[n++] = isprint((unsigned char)body->buf[i]) ? body->buf[i] : ' ';
	res->message[n] = '\0';
	switch (status) {
	case 404:
		return -ENOENT;
	case 410:
		return -ESTALE;
	case 401:
	case 403:
		return -EACCES;
	default:
		break;
	}
	if (res->cls == REPORT_TEMPORARY)
		return -EAGAIN;
	if (res->cls == REPORT_DELIVERED) {
		res->cls = REPORT_PERMANENT;
		return -EBADMSG;
	}
	return -EREMOTEIO;
}
