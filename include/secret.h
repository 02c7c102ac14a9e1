/* SPDX-License-Identifier: MIT */
/* Fixed-size secret buffers (OTP, tokens, passwords) that are wiped on every path. */
#ifndef AMTACT_SECRET_H
#define AMTACT_SECRET_H

#include <errno.h>
#include <stddef.h>

/* Largest secret we hold; enough for an OTP, a bearer token or a password. */
#define SECRET_MAX 4096

/*
 * A secret lives in this fixed buffer, never in a growing heap string, so it is never
 * copied by realloc. `buf` is always NUL-terminated (buf[len] == 0), so a text secret can be
 * used as a C string. Use it on the stack or inside another struct; call secret_wipe() on
 * every path when done (it is idempotent). No function here prints or logs anything.
 */
struct secret {
	size_t len;
	char buf[SECRET_MAX + 1];
};

/* Wipe any memory with explicit_bzero (the compiler cannot drop it). */
void secret_cleanse(void *p, size_t len);

/*
 * For a process that will hold secrets, before it reads any: no core file (RLIMIT_CORE 0,
 * soft and hard) and, on Linux, not dumpable (PR_SET_DUMPABLE 0: no core whatever the
 * limit, no ptrace or /proc/PID/mem by other processes of the same user). 0 or -errno.
 */
int secret_process_protect(void);

/* Start empty; the buffer is locked in memory (mlock) where the system allows it. */
void secret_init(struct secret *s);
/* Wipe the whole buffer and set len to 0. */
void secret_wipe(struct secret *s);

/* Copy `len` bytes in; -EMSGSIZE (and s wiped) if len > SECRET_MAX. */
int secret_set(struct secret *s, const void *p, size_t len);

/*
 * Read a secret from `path`, or from standard input when path is "-". A regular file is
 * opened with O_NOFOLLOW (a symlink is refused: -ELOOP) and must be a regular file
 * (-EINVAL otherwise). When `loose_mode` is not NULL it is set to 1 if the file is group- or
 * world-readable (the caller warns), else 0. One trailing "\n" or "\r\n" is stripped.
 * Returns 0, -EMSGSIZE if longer than SECRET_MAX, -ENODATA if empty, or another -errno.
 * On failure `s` is wiped. Our intermediate buffers are wiped too.
 */
int secret_read_file(struct secret *s, const char *path, int *loose_mode);

/* The two entries of a secret typed twice differ. */
#define SECRET_MISMATCH (-EBADMSG)

/* What to ask on a console: the prompt, and the second prompt when it is typed twice. */
struct secret_prompt {
	const char *prompt;
	const char *again; /* NULL: asked once */
};

/*
 * One line typed on the console (standard input), not shown as it is typed: `prompt` on
 * standard error, the echo off while reading and restored on every path. 0, -ENODATA for
 * an empty line or end of input, -EMSGSIZE if longer than SECRET_MAX, -ENOTTY when standard
 * input is not a console, another -errno. On failure `s` is wiped.
 */
int secret_read_console(struct secret *s, const char *prompt);

/*
 * secret_read_file, except that "-" on a console asks with `ask` (secret_read_console; typed
 * twice when ask->again is set, SECRET_MISMATCH when the entries differ) instead of reading
 * the terminal with its echo on. Piped or redirected input is read as a file.
 */
int secret_read_input(struct secret *s, const char *path, const struct secret_prompt *ask,
		      int *loose_mode);

/*
 * Read a secret from the environment variable `name`. When `unset_after` is non-zero the
 * variable is removed from our environment once copied (children do not inherit it).
 * Returns 0, -ENOENT if unset, -ENODATA if empty, -EMSGSIZE if too long.
 */
int secret_read_env(struct secret *s, const char *name, int unset_after);

#endif
