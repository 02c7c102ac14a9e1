// SPDX-License-Identifier: MIT
/*
 * Finding and loading the HTTPS module (include/report.h, src/report_http.h). Only a
 * command that reports pays for libcurl and its thirty-odd libraries; status, info and
 * diagnose start without them. AMTACT_HTTP_STATIC (Windows) links the module in instead.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"
#include "report.h"
#include "report_http.h"

#if defined(_WIN32) && !defined(AMTACT_HTTP_STATIC)
#define AMTACT_HTTP_STATIC 1
#endif

#ifndef AMTACT_PKGLIBDIR
#define AMTACT_PKGLIBDIR "/usr/local/lib/amtact"
#endif
#define MODULE_NAME "amtact-http.so"

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
/* Why loading failed, in the words a result message uses (long paths are cut). */
__attribute__((format(printf, 1, 2))) static void set_error(const char *fmt, ...)
{
	size_t used = strlen(load_error);
	va_list ap;

	if (used + 1 >= sizeof(load_error))
		return;
	va_start(ap, fmt);
	vsnprintf(load_error + used, sizeof(load_error) - used, fmt, ap);
	va_end(ap);
}

/* The folders to look in: next to the executable, ../lib/amtact from it, the install path. */
static int candidates(char dirs[3][PATH_MAX])
{
	char exe[PATH_MAX];
	int count = 0;

	if (os_exe_dir(exe, sizeof(exe)) == 0) {
		if (snprintf(dirs[count], PATH_MAX, "%s", exe) < PATH_MAX)
			count++;
		if (snprintf(dirs[count], PATH_MAX, "%s/../lib/amtact", exe) < PATH_MAX)
			count++;
	}
	snprintf(dirs[count++], PATH_MAX, "%s", AMTACT_PKGLIBDIR);
	return count;
}

/*
 * The module runs with the agent's rights (root at boot): take it only from a path that
 * no one but root (or whoever runs amtact) can change, every folder up to it included.
 */
static int open_module(const char *path)
{
	const struct report_http *t;
	char why[300];
	int ret = os_path_safe(path, 0, NULL, why, sizeof(why));

	if (ret < 0) {
		set_error("the HTTPS module %s is not trusted: %s", path, why);
		return ret;
	}
	t = os_module_symbol(path, REPORT_HTTP_SYMBOL, why, sizeof(why));
	if (!t) {
		set_error("cannot load the HTTPS module %s: %s", path, why);
		return -ELIBBAD;
	}
	if (t->abi != REPORT_HTTP_ABI || t->size != sizeof(*t) ||
	    t->server_size != sizeof(struct report_server) ||
	    t->result_size != sizeof(struct report_result)) {
		set_error("the HTTPS module %s belongs to another version of amtact (reinstall "
			  "amtact)", path);
		return -ELIBBAD;
	}
	loaded = t;
	return 0;
}

static int load_module(void)
{
	char dirs[3][PATH_MAX], path[PATH_MAX + 32];
	struct os_stat st;
	int n = candidates(dirs);

	for (int i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/" MODULE_NAME, dirs[i]) >= (int)sizeof(path) ||
		    os_stat(path, &st) < 0)
			continue;
		return open_module(path);
	}
	set_error("the HTTPS module " MODULE_NAME " is missing (looked in");
	for (int i = 0; i < n; i++)
		set_error("%s %s", i ? "," : "", dirs[i]);
	set_error("; reinstall amtact)");
	return -ENOENT;
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
