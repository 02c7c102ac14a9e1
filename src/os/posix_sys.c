// SPDX-License-Identifier: MIT
/* The port layer on POSIX systems: randomness, clocks, identity, syslog, the console, and
   the words of its messages about ownership and modes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "os.h"

int os_random(void *buf, size_t len, unsigned flags)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = getrandom(p, len, (flags & OS_RANDOM_NOWAIT) ? GRND_NONBLOCK : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

uint64_t os_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t os_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000ull + (uint64_t)ts.tv_nsec / 1000000;
}

void os_sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long os_getpid(void)
{
	return (long)getpid();
}

unsigned long os_euid(void)
{
	return (unsigned long)geteuid();
}

bool os_privileged(void)
{
	return geteuid() == 0;
}

void os_syslog_open(void)
{
	openlog("amtact", LOG_PID, LOG_DAEMON);
}

void os_syslog(int level, const char *text)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

	syslog(prio[level < 0 ? 0 : level > 3 ? 3 : level], "%s", text);
}

void os_syslog_close(void)
{
	closelog();
}

int os_process_protect(void)
{
	static const struct rlimit none = { 0, 0 };
	int rc = 0;

	if (setrlimit(RLIMIT_CORE, &none) < 0)
		rc = -errno;
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 && rc == 0)
		rc = -errno;
#endif
	return rc;
}

void os_memory_lock(void *p, size_t len)
{
	mlock(p, len);
}

int os_unsetenv(const char *name)
{
	return unsetenv(name) < 0 ? -errno : 0;
}

bool os_stdin_is_console(void)
{
	return isatty(STDIN_FILENO) == 1;
}

bool os_stderr_is_console(void)
{
	return isatty(STDERR_FILENO) == 1;
}

const char *os_platform(void)
{
	return "linux";
}

#ifndef AMTACT_SYSCONFDIR
#define AMTACT_SYSCONFDIR "/etc"
#endif
#ifndef AMTACT_LOCALSTATEDIR
#define AMTACT_LOCALSTATEDIR "/var"
#endif

const char *os_default_dir(enum os_default_dir which)
{
	switch (which) {
	case OS_DIR_PROFILES:
		return AMTACT_SYSCONFDIR "/amtact/profiles";
	case OS_DIR_STATE:
		return AMTACT_LOCALSTATEDIR "/lib/amtact";
	default:
		return AMTACT_LOCALSTATEDIR "/spool/amtact";
	}
}

void os_kill_self(void)
{
	raise(SIGKILL);
}

FILE *os_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int os_self_path(char *out, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", out, cap);

	if (n < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -ENAMETOOLONG;
	out[n] = '\0';
	return 0;
}

bool os_tasks_supported(void)
{
	return false;
}

int os_task_register(const char *name, const char *xml, int *tool_rc)
{
	(void)name;
	(void)xml;
	*tool_rc = 0;
	return -ENOTSUP;
}

int os_task_unregister(const char *name, int *tool_rc)
{
	(void)name;
	*tool_rc = 0;
	return -ENOTSUP;
}

bool os_path_has_dir(const char *s)
{
	return strchr(s, '/') != NULL;
}

const char *os_path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *os_hint(enum os_hint which)
{
	switch (which) {
	case OS_HINT_PATH:
		return "every directory on the way must be root's, not writable by others, "
		       "without symbolic links";
	case OS_HINT_LOG:
		return "not root's alone (it must be a file owned by root that no one else may "
		       "write)";
	case OS_HINT_SECRET:
		return "readable by group or others (chmod 600 it)";
	case OS_HINT_PRIVATE:
		return "mode 0600";
	case OS_HINT_CHECKED:
	default:
		return "owner, mode and the files it names checked as root";
	}
}

const char *os_unsafe_text(enum os_unsafe what, const char *path, const struct os_stat *st,
			   unsigned long want_owner, char *buf, size_t cap)
{
	(void)path;
	if (what == OS_UNSAFE_OWNER)
		snprintf(buf, cap, "owned by uid %u, must be owned by uid %u",
			 (unsigned)st->owner, (unsigned)want_owner);
	else if (what == OS_UNSAFE_WRITABLE)
		snprintf(buf, cap, "writable by group or others (mode %04o; chmod go-w)", st->mode);
	else
		snprintf(buf, cap, "a secret readable by group or others (mode %04o; chmod 600)",
			 st->mode);
	return buf;
}
