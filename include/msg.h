/* SPDX-License-Identifier: MIT */
/* Messages for people on stderr: "amtact: <command>: <what failed>: <reason> (<hint>)". */
#ifndef AMTACT_MSG_H
#define AMTACT_MSG_H

#include <stdarg.h>
#include <stdbool.h>

enum msg_level { MSG_ERROR = 0, MSG_WARN, MSG_INFO, MSG_DEBUG };

/* The command name used as the message prefix ("info"); set once by main. */
void msg_set_command(const char *cmd);
/* Messages above this level are dropped (default MSG_WARN; -v INFO, -vv DEBUG). */
void msg_set_level(enum msg_level lvl);
enum msg_level msg_get_level(void);

/* "amtact: info: " + formatted text + newline, on stderr. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The run's final result: one line in the log file and syslog whatever their levels (an
 * error line when `failed`), never on stderr (the command prints its own result).
 */
void msg_log_result(bool failed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Something the person or the log should know that is not a problem (a long wait starting
 * or ending): shown at the default level, without "warning:"; written to the logs.
 */
void msg_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * On a console (stderr a terminal, messages not silenced): one line that updates in place
 * ("12 s of at most 600 s"); the next message replaces it. Elsewhere nothing: logs and
 * pipes get a msg_notice when the wait starts and when it ends instead.
 */
void msg_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether msg_progress shows anything here. */
bool msg_progress_live(void);

/* The text of the first error message given so far ("" when none): the JSON error's. */
const char *msg_first_error(void);
void msg_vlog(enum msg_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Make text safe for a terminal, in place: every byte a terminal could act on (C0 controls
 * but tab and newline, DEL, C1 controls raw or UTF-8 encoded, bytes that are not UTF-8,
 * so escape sequences from a profile, a file or a server's answer) becomes '?'. Returns s.
 * Every message and every msg_out line goes through it.
 */
char *msg_clean(char *s);

/* printf to standard output through msg_clean: for text that carries outside strings. */
void msg_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Unattended runs also log to a file and/or syslog (journald reads it), each line tagged
 * with the run's correlation id. Messages are written to every sink whose level allows
 * them; stderr keeps its own level (msg_set_level). Returns 0 or -errno (file not opened;
 * -EINVAL when the log path is not a regular file; as root, -EPERM or -ELOOP when the file
 * is not root's alone or its directories are not, all the way down: os_path_safe).
 */
int msg_open_log_file(const char *path, enum msg_level lvl);
void msg_open_syslog(enum msg_level lvl);
void msg_set_run_id(const char *run_id);
void msg_close_logs(void);

/*
 * Hex dump at debug level of a HECI message. When `secret_from` < len, bytes from that
 * offset on are shown as "<redacted N bytes>" (OTP payloads and the like).
 */
void msg_hexdump(const char *label, const void *buf, unsigned long len,
		 unsigned long secret_from);

#endif
