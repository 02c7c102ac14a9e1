// SPDX-License-Identifier: MIT
/* The error context (err.h): one message buffer, written where the failure is known. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* A message that did not fit ends in AMT_ERR_CUT, so nobody reads a cut one as whole. */
static void mark_cut(struct amt_err *e, int n)
{
	size_t mark = sizeof(AMT_ERR_CUT) - 1;

	if (n >= 0 && (size_t)n < sizeof(e->msg))
		return;
	if (n < 0) {
		e->msg[0] = '\0';
		return;
	}
	memcpy(e->msg + sizeof(e->msg) - 1 - mark, AMT_ERR_CUT, mark + 1);
}

void err_clear(struct amt_err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

int err_set(struct amt_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	mark_cut(e, n);
	return code;
}

int err_prefix(struct amt_err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	va_list ap;
	int n, m;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->msg) || !old[0]) {
		mark_cut(e, n);
		return e->code;
	}
	m = snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", old);
	mark_cut(e, m < 0 ? m : n + m);
	return e->code;
}

void err_set_fw_status(struct amt_err *e, uint32_t status)
{
	if (!e)
		return;
	e->fw_status = status;
	e->have_fw_status = true;
}

const char *err_text(const struct amt_err *e)
{
	if (e->msg[0])
		return e->msg;
	return e->code ? strerror(-e->code) : "";
}

bool err_is_set(const struct amt_err *e)
{
	return e->msg[0] || e->code;
}
