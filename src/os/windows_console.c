// SPDX-License-Identifier: MIT
/* The port layer on Windows: reading a secret line from the console without echo. */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os_windows.h"

#define WIDE_MAX 1024

static HANDLE input;
static DWORD saved;
static volatile LONG echo_off;

/* Ctrl+C or closing the window while the secret is typed: the console gets its echo back;
 * FALSE lets the default handling (ending the process) go on. */
static BOOL WINAPI restore(DWORD type)
{
	(void)type;
	if (InterlockedCompareExchange(&echo_off, 0, 1))
		SetConsoleMode(input, saved);
	return FALSE;
}

/* UTF-16 line (without its end) into UTF-8 buf; -EMSGSIZE if it does not fit. */
static int to_utf8(const wchar_t *w, int wlen, char *buf, size_t cap, size_t *len)
{
	int n;

	if (wlen == 0)
		return 0;
	n = WideCharToMultiByte(CP_UTF8, 0, w, wlen, buf, (int)(cap - 1), NULL, NULL);
	if (n <= 0)
		return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? -EMSGSIZE : -EINVAL;
	buf[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* One line with ReadConsoleW; its length without the line end in *wlen. */
static int read_wide(wchar_t *w, DWORD cap, int *wlen)
{
	DWORD got = 0;
	int n;

	if (!ReadConsoleW(input, w, cap, &got, NULL))
		return os_win_errno(GetLastError());
	if (got == 0)
		return -ENODATA;
	n = (int)got;
	if (n && w[n - 1] == L'\n')
		n--;
	if (n && w[n - 1] == L'\r')
		n--;
	else if (got == cap)
		return -EMSGSIZE; /* no line end: the line was longer than the buffer */
	*wlen = n;
	return 0;
}

int os_console_read_hidden(const char *prompt, char *buf, size_t cap, size_t *len)
{
	wchar_t w[WIDE_MAX];
	int wlen = 0, ret;

	*len = 0;
	if (cap == 0)
		return -EINVAL;
	buf[0] = '\0';
	input = GetStdHandle(STD_INPUT_HANDLE);
	if (!GetConsoleMode(input, &saved))
		return -ENOTTY;
	SetConsoleCtrlHandler(restore, TRUE);
	InterlockedExchange(&echo_off, 1);
	/* Echo off before the prompt, so nothing typed after the prompt is ever shown. */
	if (!SetConsoleMode(input, (saved & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT |
			    ENABLE_PROCESSED_INPUT)) {
		ret = os_win_errno(GetLastError());
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		ret = read_wide(w, WIDE_MAX, &wlen);
		if (ret == 0)
			ret = to_utf8(w, wlen, buf, cap, len);
	}
	if (InterlockedCompareExchange(&echo_off, 0, 1))
		SetConsoleMode(input, saved);
	SetConsoleCtrlHandler(restore, FALSE);
	SecureZeroMemory(w, sizeof(w));
	if (ret < 0) {
		SecureZeroMemory(buf, cap);
		*len = 0;
	}
	fputc('\n', stderr);
	return ret;
}
