// SPDX-License-Identifier: MIT
/* The port layer on Windows: randomness, clocks, identity, Event Log, console. */
#include <windows.h>
#include <bcrypt.h>
#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

int os_random(void *buf, size_t len, unsigned flags)
{
	(void)flags;
	if (len > 0xffffffffu)
		return -EINVAL;
	return BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, (ULONG)len,
					      BCRYPT_USE_SYSTEM_PREFERRED_RNG)) ? 0 : -EIO;
}

uint64_t os_time_us(void)
{
	FILETIME ft;
	ULARGE_INTEGER u;

	GetSystemTimeAsFileTime(&ft);
	u.LowPart = ft.dwLowDateTime;
	u.HighPart = ft.dwHighDateTime;
	return u.QuadPart / 10 - 11644473600000000ull;
}

uint64_t os_mono_ms(void)
{
	return GetTickCount64();
}

void os_sleep_ms(unsigned long ms)
{
	Sleep(ms);
}

long os_getpid(void)
{
	return (long)GetCurrentProcessId();
}

unsigned long os_euid(void)
{
	return os_privileged() ? 0 : 1;
}

/* SYSTEM, or a token that is a member of Administrators (elevated). */
bool os_privileged(void)
{
	static int known = -1;
	BYTE buf[SECURITY_MAX_SID_SIZE];
	DWORD n = sizeof(buf);
	BOOL member = FALSE;

	if (known < 0) {
		if (CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, buf, &n))
			CheckTokenMembership(NULL, buf, &member);
		n = sizeof(buf);
		if (!member && CreateWellKnownSid(WinLocalSystemSid, NULL, buf, &n))
			CheckTokenMembership(NULL, buf, &member);
		known = member ? 1 : 0;
	}
	return known == 1;
}

static HANDLE event_log;

void os_syslog_open(void)
{
	if (!event_log)
		event_log = RegisterEventSourceW(NULL, L"amtact");
}

void os_syslog(int level, const char *text)
{
	static const WORD type[] = { EVENTLOG_ERROR_TYPE, EVENTLOG_WARNING_TYPE,
				     EVENTLOG_INFORMATION_TYPE, EVENTLOG_INFORMATION_TYPE };
	wchar_t *w;
	const wchar_t *strings[1];

	if (!event_log || !(w = os_win_wide(text)))
		return;
	strings[0] = w;
	ReportEventW(event_log, type[level < 0 ? 0 : level > 3 ? 3 : level], 0,
		     (DWORD)(level < 0 ? 0 : level) + 1, NULL, 1, 0, strings, NULL);
	free(w);
}

void os_syslog_close(void)
{
	if (event_log)
		DeregisterEventSource(event_log);
	event_log = NULL;
}

int os_unsetenv(const char *name)
{
	wchar_t *w = os_win_wide(name);
	int ret = -EINVAL;

	if (w) {
		SetEnvironmentVariableW(w, NULL);
		ret = _wputenv_s(w, L"") == 0 ? 0 : -EINVAL;
	}
	/* The C runtime's narrow copy, which getenv() reads. */
	if (ret == 0)
		ret = _putenv_s(name, "") == 0 ? 0 : -EINVAL;
	free(w);
	return ret;
}

bool os_stdin_is_console(void)
{
	DWORD mode;

	return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
}

bool os_stderr_is_console(void)
{
	DWORD mode;

	return GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode) != 0;
}

const char *os_platform(void)
{
	return "windows";
}

FILE *os_fopen(const char *path, const char *mode)
{
	wchar_t wmode[8], *w = os_win_wide(path);
	size_t n = 0;
	FILE *f = NULL;

	/* "e" (close-on-exec) is glibc's; the C runtime refuses letters it does not know. */
	for (const char *m = mode; *m && n < 6; m++)
		if (*m != 'e')
			wmode[n++] = (wchar_t)*m;
	wmode[n++] = L'N';  /* not inherited by child processes */
	wmode[n] = 0;
	if (w)
		f = _wfopen(w, wmode);
	else
		errno = EINVAL;
	free(w);
	return f;
}

void os_kill_self(void)
{
	TerminateProcess(GetCurrentProcess(), 137);
}

bool os_path_has_dir(const char *s)
{
	return strchr(s, '/') || strchr(s, '\\') || (s[0] && s[1] == ':');
}

const char *os_path_base(const char *path)
{
	const char *base = path[0] && path[1] == ':' ? path + 2 : path;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	return base;
}

/* %ProgramData%\amtact\<sub>, read once (C:\ProgramData if the variable is missing). */
const char *os_default_dir(enum os_default_dir which)
{
	static const char *const sub[] = { "profiles", "state", "spool" };
	static char dirs[3][OS_PATH_MAX];
	wchar_t w[OS_PATH_MAX / 2];
	DWORD n;
	char *base = NULL;

	if (dirs[which][0])
		return dirs[which];
	n = GetEnvironmentVariableW(L"ProgramData", w, (DWORD)(sizeof(w) / sizeof(*w)));
	if (n > 0 && n < sizeof(w) / sizeof(*w))
		base = os_win_utf8(w);
	snprintf(dirs[which], sizeof(dirs[which]), "%s\\amtact\\%s",
		 base ? base : "C:\\ProgramData", sub[which]);
	free(base);
	return dirs[which];
}
