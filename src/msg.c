// SPDX-License-Identifier: MIT
/* Messages for people on stderr, with levels and redacting hex dumps (include/msg.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "os.h"

static const char *command_name = "";
static enum msg_level max_level = MSG_WARN;
static FILE *log_file;
static enum msg_level log_file_level = MSG_INFO;
static int syslog_on;
static enum msg_level syslog_level = MSG_INFO;
static char run_id[48];
static char first_error[1024];

/*
 * As root, the log's directory is reached without following a link and must be root's all
 * the way down (os_path_safe), so a user cannot point root's appends at another file.
 */
static int open_log(const char *path)
{
	const char *base = os_path_base(path);
	struct os_dir *d = NULL;
	char dir[4096];
	int fd, ret;

	if (!os_privileged() || base == path || (size_t)(base - path) >= sizeof(dir))
		return os_open(path, OS_WRONLY | OS_APPEND | OS_CREATE | OS_NONBLOCK);
	/* The folder with its separator (/var/log/, C:\): the walk drops a trailing one. */
	memcpy(dir, path, (size_t)(base - path));
	dir[base - path] = '\0';
	ret = os_path_safe(dir, OS_PATH_DIR, &d, NULL, 0);
	if (ret < 0)
		return ret;
	fd = os_open_at(d, base, OS_WRONLY | OS_APPEND | OS_CREATE | OS_NONBLOCK);
	os_dir_close(d);
	return fd;
}

int msg_open_log_file(const char *path, enum msg_level lvl)
{
	/* O_NONBLOCK: a FIFO planted as the log must not stall the boot-time run. */
	int fd = open_log(path);
	struct os_stat st;

	if (fd < 0)
		return fd == -ENXIO ? -EINVAL : fd;
	if (os_fstat(fd, &st) < 0 || st.type != OS_TYPE_FILE) {
		os_close(fd);
		return -EINVAL;
	}
	/* Root appends only to a file of its own that no one else may write. */
	if (os_privileged() && (!st.owner_is_us || st.others_write)) {
		os_close(fd);
		return -EPERM;
	}
	if (log_file)
		fclose(log_file);
	log_file = fdopen(fd, "a");
	if (!log_file) {
		os_close(fd);
		return -ENOMEM;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	log_file_level = lvl;
	return 0;
}

void msg_open_syslog(enum msg_level lvl)
{
	os_syslog_open();
	syslog_on = 1;
	syslog_level = lvl;
}

void msg_set_run_id(const char *id)
{
	snprintf(run_id, sizeof(run_id), "%s", id ? id : "");
}

void msg_close_logs(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	if (syslog_on)
		os_syslog_close();
	syslog_on = 0;
}

/* The log file and syslog, each at its own level (or whatever it is, with `always`). */
static void to_sinks(enum msg_level lvl, const char *text, bool always)
{
	static const char letter[] = "EWID";

	if (log_file && (always || lvl <= log_file_level)) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		fprintf(log_file, "%s %c run=%s %s%s%s\n", stamp, letter[lvl], run_id,
			command_name, command_name[0] ? ": " : "", text);
	}
	if (syslog_on && (always || lvl <= syslog_level)) {
		char line[1200];

		snprintf(line, sizeof(line), "run=%s %s%s%s", run_id, command_name,
			 command_name[0] ? ": " : "", text);
		os_syslog(lvl, line);
	}
}

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

/* The length of the UTF-8 sequence at p (2..4), or 0 when it is not one (or a C1 control). */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080..U+009F are the C1 controls (CSI, OSC...), as a terminal sees them. */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	return n;
}

char *msg_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = *p >= 0x80 ? utf8_len(p) : 1;

		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
	return s;
}

void msg_out(const char *fmt, ...)
{
	char small[1024], *text = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small) && (text = malloc((size_t)n + 1))) {
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	fputs(msg_clean(text ? text : small), stdout);
	if (text != small)
		free(text);
}

/* A progress line is on the console, without its newline: the next message replaces it. */
static bool progress_shown;

static void vlog(enum msg_level lvl, const char *tag, const char *fmt, va_list ap)
{
	char text[1024];

	if (lvl > max_level && !(log_file && lvl <= log_file_level) &&
	    !(syslog_on && lvl <= syslog_level))
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	msg_clean(text);
	if (lvl == MSG_ERROR && !first_error[0])
		memcpy(first_error, text, sizeof(first_error));
	to_sinks(lvl, text, false);
	if (lvl > max_level)
		return;
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
	fputs("amtact: ", stderr);
	if (command_name[0])
		fprintf(stderr, "%s: ", command_name);
	fprintf(stderr, "%s%s\n", tag, text);
}

void msg_vlog(enum msg_level lvl, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "", "warning: ", "", "debug: " };

	vlog(lvl, tag[lvl], fmt, ap);
}

void msg_log_result(bool failed, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	to_sinks(failed ? MSG_ERROR : MSG_INFO, msg_clean(text), true);
}

void msg_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(MSG_WARN, "", fmt, ap);
	va_end(ap);
}

bool msg_progress_live(void)
{
	return max_level >= MSG_WARN && os_stderr_is_console();
}

void msg_progress(const char *fmt, ...)
{
	char text[256];
	va_list ap;

	if (!msg_progress_live())
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ramtact: %s%s%s\033[K", command_name, command_name[0] ? ": " : "",
		msg_clean(text));
	fflush(stderr);
	progress_shown = true;
}

const char *msg_first_error(void)
{
	return first_error;
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
