// SPDX-License-Identifier: MIT
/* The Windows port layer's scheduled tasks (schtasks) and Event Log source (include/os.h). */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

#define EVENT_SOURCE_KEY L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\amtact"
/* .NET's message file: every event id is "%1", so the agent's text shows as it is. */
#define EVENT_MESSAGE_FILE \
	L"%SystemRoot%\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll"

int os_self_path(char *out, size_t cap)
{
	wchar_t w[OS_PATH_MAX / 2];
	DWORD n = GetModuleFileNameW(NULL, w, (DWORD)(sizeof(w) / sizeof(*w)));
	char *s;
	int ret = -ENAMETOOLONG;

	if (n == 0 || n >= sizeof(w) / sizeof(*w))
		return n == 0 ? os_win_errno(GetLastError()) : ret;
	s = os_win_utf8(w);
	if (!s)
		return -ENOMEM;
	if ((size_t)snprintf(out, cap, "%s", s) < cap)
		ret = 0;
	free(s);
	return ret;
}

bool os_tasks_supported(void)
{
	return true;
}

/* Run System32\schtasks.exe with `args`, its output on our stderr; its exit code. */
static int schtasks(const wchar_t *args, int *tool_rc)
{
	wchar_t dir[MAX_PATH], exe[MAX_PATH + 16], cmd[OS_PATH_MAX];
	STARTUPINFOW si = { sizeof(si) };
	PROCESS_INFORMATION pi;
	DWORD code = 1;
	UINT n = GetSystemDirectoryW(dir, MAX_PATH);

	if (n == 0 || n >= MAX_PATH)
		return -ENOENT;
	_snwprintf(exe, sizeof(exe) / sizeof(*exe) - 1, L"%ls\\schtasks.exe", dir);
	exe[sizeof(exe) / sizeof(*exe) - 1] = 0;
	_snwprintf(cmd, sizeof(cmd) / sizeof(*cmd) - 1, L"\"%ls\" %ls", exe, args);
	cmd[sizeof(cmd) / sizeof(*cmd) - 1] = 0;
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	si.hStdOutput = GetStdHandle(STD_ERROR_HANDLE);
	si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
	if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
		return os_win_errno(GetLastError());
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	*tool_rc = (int)code;
	return code == 0 ? 0 : -EIO;
}

/* The definition as schtasks wants it: UTF-16 with a byte-order mark, in a temp file. */
static int write_xml(const char *xml, wchar_t *path)
{
	wchar_t dir[MAX_PATH], *w = os_win_wide(xml);
	HANDLE h;
	DWORD put;
	BOOL ok;

	if (!w)
		return -EINVAL;
	if (!GetTempPathW(MAX_PATH, dir) || !GetTempFileNameW(dir, L"amt", 0, path)) {
		free(w);
		return os_win_errno(GetLastError());
	}
	h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY,
			NULL);
	ok = h != INVALID_HANDLE_VALUE && WriteFile(h, "\xff\xfe", 2, &put, NULL) &&
	     WriteFile(h, w, (DWORD)(wcslen(w) * sizeof(*w)), &put, NULL);
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	free(w);
	return ok ? 0 : os_win_errno(GetLastError());
}

/* The Event Log source, so Event Viewer shows the agent's messages as they are. */
static void event_source(bool add)
{
	DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
	HKEY k;

	if (!add) {
		RegDeleteKeyW(HKEY_LOCAL_MACHINE, EVENT_SOURCE_KEY);
		return;
	}
	if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, EVENT_SOURCE_KEY, 0, NULL, 0, KEY_SET_VALUE,
			    NULL, &k, NULL) != ERROR_SUCCESS)
		return;
	RegSetValueExW(k, L"EventMessageFile", 0, REG_EXPAND_SZ, (const BYTE *)EVENT_MESSAGE_FILE,
		       sizeof(EVENT_MESSAGE_FILE));
	RegSetValueExW(k, L"TypesSupported", 0, REG_DWORD, (const BYTE *)&types, sizeof(types));
	RegCloseKey(k);
}

int os_task_register(const char *name, const char *xml, int *tool_rc)
{
	wchar_t path[MAX_PATH], args[OS_PATH_MAX / 2], *wn = os_win_wide(name);
	int ret = wn ? write_xml(xml, path) : -EINVAL;

	*tool_rc = 0;
	if (ret == 0) {
		_snwprintf(args, sizeof(args) / sizeof(*args) - 1,
			   L"/Create /TN \"%ls\" /XML \"%ls\" /F", wn, path);
		args[sizeof(args) / sizeof(*args) - 1] = 0;
		ret = schtasks(args, tool_rc);
		DeleteFileW(path);
	}
	if (ret == 0)
		event_source(true);
	free(wn);
	return ret;
}

int os_task_unregister(const char *name, int *tool_rc)
{
	wchar_t args[OS_PATH_MAX / 2], *wn = os_win_wide(name);
	int ret = -EINVAL;

	*tool_rc = 0;
	if (wn) {
		_snwprintf(args, sizeof(args) / sizeof(*args) - 1, L"/Delete /TN \"%ls\" /F", wn);
		args[sizeof(args) / sizeof(*args) - 1] = 0;
		ret = schtasks(args, tool_rc);
	}
	if (ret == 0)
		event_source(false);
	free(wn);
	return ret;
}
