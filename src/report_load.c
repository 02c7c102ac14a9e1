// SPDX-License-Identifier: MIT
/*
 * Finding and loading the HTTPS module (include/report.h, src/report_http.h). Only a
 * command that reports pays for libcurl and its thirty-odd libraries; status, info and
 * diagnose start without them. AMTACT_HTTP_STATIC (Windows) links the module in instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "report.h"
#include "report_http.h"

#if defined(_WIN32) && !defined(AMTACT_HTTP_STATIC)
#define AMTACT_HTTP_STATIC 1
#endif

static const struct report_http *loaded;
static int load_ret = 1; /* 1: not tried yet */
/* As long as a result message, which it is copied to. */
static char load_error[sizeof(((struct report_result *)0)->message)];

#ifdef AMTACT_HTTP_STATIC
static int load_module(void)
{
	loaded = &amtact_report_http_1;
	return 0;
}
#else
static int fits(const void *sym)
{
	const struct report_http *t = sym;

	return t->abi == REPORT_HTTP_ABI && t->size == sizeof(*t) &&
	       t->server_size == sizeof(struct report_server) &&
	       t->result_size == sizeof(struct report_result);
}

static int load_module(void)
{
	const void *sym;
	int ret = module_load("amtact-http.so", "HTTPS module", REPORT_HTTP_SYMBOL, fits, &sym,
			      load_error, sizeof(load_error));

	if (ret == 0)
		loaded = sym;
	return ret;
}
#endif

/* Load once per process; later calls return the first outcome. */
static int module(void)
{
	if (load_ret == 1) {
		load_error[0] = 0;
		load_ret = load_module();
	}
	return load_ret;
}

const char *report_http_error(void)
{
	return load_error;
}

int report_global_init(void)
{
	int ret = module();

	return ret < 0 ? ret : loaded->global_init();
}

void report_global_cleanup(void)
{
	if (loaded)
		loaded->global_cleanup();
}

struct report_session *report_session_open(const struct report_server *srv)
{
	/* Without the module a session is a token whose sends say why. */
	static char none;

	if (module() < 0)
		return (struct report_session *)&none;
	return loaded->session_open(srv);
}

static int missing(struct report_result *res)
{
	memset(res, 0, sizeof(*res));
	res->cls = REPORT_LOCAL;
	res->retry_after_ms = -1;
	memcpy(res->message, load_error, sizeof(res->message));
	return load_ret;
}

int report_session_send(struct report_session *s, const char *report_id, const void *body,
			size_t len, struct report_result *res)
{
	if (module() < 0)
		return missing(res);
	return loaded->session_send(s, report_id, body, len, res);
}

int report_check(const struct report_server *srv, struct report_result *res)
{
	if (module() < 0)
		return missing(res);
	return loaded->check(srv, res);
}

void report_session_close(struct report_session *s)
{
	if (loaded)
		loaded->session_close(s);
}

int report_send(const struct report_server *srv, const char *report_id, const void *body,
		size_t len, struct report_result *res)
{
	struct report_session *s = report_session_open(srv);
	int ret;

	if (!s) {
		memset(res, 0, sizeof(*res));
		res->cls = REPORT_LOCAL;
		res->retry_after_ms = -1;
		snprintf(res->message, sizeof(res->message), "out of memory");
		return -ENOMEM;
	}
	ret = report_session_send(s, report_id, body, len, res);
	report_session_close(s);
	return ret;
}

int report_fetch_otp(const struct report_server *srv, const char *uuid, struct secret *otp,
		     struct report_result *res)
{
	secret_wipe(otp);
	if (module() < 0)
		return missing(res);
	return loaded->fetch_otp(srv, uuid, otp, res);
}
