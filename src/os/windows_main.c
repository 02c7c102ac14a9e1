// SPDX-License-Identifier: MIT
/* The Windows entry point: wide arguments in, UTF-8 inside, UTF-8 on the console. */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

#include "os_windows.h"

/* src/main.c's main(), renamed for the Windows build (-Dmain=amtact_main). */
int amtact_main(int argc, char **argv);
int wmain(int argc, wchar_t **wargv);

int wmain(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));

	if (!argv) {
		fputs("amtact: out of memory\n", stderr);
		return 1;
	}
	for (int i = 0; i < argc; i++) {
		argv[i] = os_win_utf8(wargv[i]);
		if (!argv[i]) {
			fputs("amtact: an argument is not valid text\n", stderr);
			return 2;
		}
	}
	/* The same bytes as on Linux: "\n" line ends, no text-mode translation, for the
	   standard streams and every file the C runtime opens. */
	_fmode = _O_BINARY;
	_setmode(_fileno(stdin), _O_BINARY);
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
	/* What the agent prints is UTF-8: have the console show it as such. */
	SetConsoleOutputCP(CP_UTF8);
	/* A failing call never raises a dialog box that would stall an unattended run. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
	return amtact_main(argc, argv);
}
