// SPDX-License-Identifier: MIT
/* The port layer on POSIX systems: reading a secret line from the terminal without echo. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "os.h"

/* The terminal's settings from before echo was turned off, for the handler to put back. */
static struct termios saved;
static volatile sig_atomic_t echo_off;

static const int stop_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP };
#define N_STOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* Ctrl+C (and the like) while the secret is typed: the terminal gets its echo back, then the
 * signal does what it would have done. */
static void restore_and_raise(int sig)
{
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from fd 0, byte by byte (nothing past the line end is consumed). */
static int read_line(char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int too_long = 0, got = 0;
	char c = 0;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got = 1;
		if (c == '\n')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
		else
			too_long = 1;
	}
	c = 0;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	*len = n;
	if (!got)
		return -ENODATA;
	return too_long ? -EMSGSIZE : 0;
}

int os_console_read_hidden(const char *prompt, char *buf, size_t cap, size_t *len)
{
	struct sigaction sa, old[N_STOP];
	struct termios quiet;
	int ret;

	*len = 0;
	if (cap == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return errno == ENOTTY ? -ENOTTY : -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_and_raise;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	/* Echo off before the prompt, so nothing typed after the prompt is ever shown. */
	echo_off = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) < 0) {
		ret = -errno;
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		ret = read_line(buf, cap, len);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	}
	echo_off = 0;
	if (ret < 0) {
		explicit_bzero(buf, cap);
		*len = 0;
	}
	for (size_t i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	/* The Enter that was not echoed. */
	fputc('\n', stderr);
	return ret;
}
