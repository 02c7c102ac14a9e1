// SPDX-License-Identifier: MIT
/* Messages for people on stderr, with levels and redacting hex dumps (include/msg.h). */
#include <stdio.h>

#include "msg.h"

static const char *command_name = "";
static enum msg_level max_level = MSG_WARN;

void msg_set_command(const char *cmd)
{
	command_name = cmd ? cmd : "";
}

void msg_set_level(enum msg_level lvl)
{
	max_level = lvl;
}

enum msg_level msg_get_level(void)
{
	return max_level;
}

void msg_vlog(enum msg_level lvl, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "", "warning: ", "", "debug: " };

	if (lvl > max_level)
		return;
	fputs("amtact: ", stderr);
	if (command_name[0])
		fprintf(stderr, "%s: ", command_name);
	fputs(tag[lvl], stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define DEFINE_LEVEL(fn, lvl)                 \
	void fn(const char *fmt, ...)         \
	{                                     \
		va_list ap;                   \
		va_start(ap, fmt);            \
		msg_vlog(lvl, fmt, ap);       \
		va_end(ap);                   \
	}

DEFINE_LEVEL(msg_error, MSG_ERROR)
DEFINE_LEVEL(msg_warn, MSG_WARN)
DEFINE_LEVEL(msg_info, MSG_INFO)
DEFINE_LEVEL(msg_debug, MSG_DEBUG)

void msg_hexdump(const char *label, const void *buf, unsigned long len,
		 unsigned long secret_from)
{
	const unsigned char *p = buf;
	unsigned long shown = len < secret_from ? len : secret_from;
	char line[16 * 3 + 1];

	if (max_level < MSG_DEBUG)
		return;
	msg_debug("%s: %lu bytes", label, len);
	for (unsigned long off = 0; off < shown; off += 16) {
		unsigned long n = shown - off < 16 ? shown - off : 16;

		for (unsigned long i = 0; i < n; i++)
			snprintf(line + i * 3, 4, " %02x", p[off + i]);
		msg_debug("  %04lx:%s", off, line);
	}
	if (shown < len)
		msg_debug("  %04lx: <redacted %lu bytes>", shown, len - shown);
}
