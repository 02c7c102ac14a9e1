// SPDX-License-Identifier: MIT
/* The parts of report delivery that need no HTTP stack: ids, classes, backoff, Retry-After. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_server_init(struct report_server *srv)
{
	memset(srv, 0, sizeof(*srv));
}

const char *report_class_name(enum report_class cls)
{
	static const char *const names[] = { "delivered", "temporary", "permanent", "tls",
					     "local", "set_aside", "config" };

	return (unsigned)cls < sizeof(names) / sizeof(names[0]) ? names[cls] : "unknown";
}

int report_id_valid(const char *id)
{
	size_t n;

	if (!id || id[0] == '.' || id[0] == 0)
		return 0;
	for (n = 0; id[n]; n++) {
		unsigned char c = (unsigned char)id[n];

		if (n >= 64 || !(isalnum(c) || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

enum report_class report_classify_http(long http_status)
{
	if (http_status >= 200 && http_status < 300)
		return REPORT_DELIVERED;
	if (http_status == 408 || http_status == 429 || (http_status >= 500 && http_status < 600))
		return REPORT_TEMPORARY;
	if ((http_status >= 300 && http_status < 400) || http_status == 401 || http_status == 403)
		return REPORT_CONFIG;
	if (http_status >= 400 && http_status < 500)
		return REPORT_PERMANENT;
	/* 1xx as final status or garbage: a broken middlebox, worth another try later. */
	return REPORT_TEMPORARY;
}

long report_backoff_ceiling_ms(const struct report_server *srv, unsigned n)
{
	long base = srv->backoff_base_ms > 0 ? srv->backoff_base_ms : 500;
	long cap = srv->backoff_max_ms > 0 ? srv->backoff_max_ms : 30000;
	long v = base;

	while (n-- && v < cap)
		v *= 2;
	return v < cap ? v : cap;
}

long report_parse_retry_after_ms(const char *value)
{
	char *end;
	long v;

	if (!value)
		return -1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (!isdigit((unsigned char)*value))
		return -1;
	errno = 0;
	v = strtol(value, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (errno || *end || v < 0 || v > 86400)
		return -1;
	return v * 1000;
}
