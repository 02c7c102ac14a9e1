/* SPDX-License-Identifier: MIT */
/*
 * The table the HTTPS module (report.c, built as amtact-http.so) hands the agent
 * (report_load.c). Private to those two files. Bump REPORT_HTTP_ABI on any change to this
 * table or to the meaning of the structs in report.h; the loader also compares the sizes.
 */
#ifndef AMTACT_REPORT_HTTP_H
#define AMTACT_REPORT_HTTP_H

#include <stddef.h>

#include "report.h"

#define REPORT_HTTP_ABI 3u
/* The exported symbol's name, also named in report.map. */
#define REPORT_HTTP_SYMBOL "amtact_report_http_1"

struct report_http {
	unsigned abi;
	size_t size;        /* sizeof(struct report_http) */
	size_t server_size; /* sizeof(struct report_server) */
	size_t result_size; /* sizeof(struct report_result) */
	int (*global_init)(void);
	void (*global_cleanup)(void);
	struct report_session *(*session_open)(const struct report_server *srv);
	int (*session_send)(struct report_session *s, const char *report_id, const void *body,
			    size_t len, struct report_result *res);
	void (*session_close)(struct report_session *s);
	int (*fetch_otp)(const struct report_server *srv, const char *uuid, struct secret *otp,
			 struct report_result *res);
	int (*check)(const struct report_server *srv, struct report_result *res);
};

extern const struct report_http amtact_report_http_1;

#endif
