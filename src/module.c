// SPDX-License-Identifier: MIT
/* Finding, checking and loading amtact's shared modules (include/module.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "os.h"

#ifndef _WIN32
#ifndef AMTACT_PKGLIBDIR
#define AMTACT_PKGLIBDIR "/usr/local/lib/amtact"
#endif

/* Appends to err (long paths are cut). */
__attribute__((format(printf, 3, 4))) static void add(char *err, size_t cap, const char *fmt,
						      ...)
{
	size_t used = strlen(err);
	va_list ap;

	if (used + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(err + used, cap - used, fmt, ap);
	va_end(ap);
}

/* The folders to look in: next to the executable, ../lib/amtact from it, the install path. */
static int candidates(char dirs[3][PATH_MAX])
{
	char exe[PATH_MAX];
	int count = 0;

	if (os_exe_dir(exe, sizeof(exe)) == 0) {
		if (snprintf(dirs[count], PATH_MAX, "%s", exe) < PATH_MAX)
			count++;
		if (snprintf(dirs[count], PATH_MAX, "%s/../lib/amtact", exe) < PATH_MAX)
			count++;
	}
	snprintf(dirs[count++], PATH_MAX, "%s", AMTACT_PKGLIBDIR);
	return count;
}

/*
 * A module runs with the agent's rights (root at boot): take it only from a path that no
 * one but root (or whoever runs amtact) can change, every folder up to it included.
 */
static int open_at(const char *path, const char *what, const char *symbol,
		   int (*fits)(const void *sym), const void **sym, char *err, size_t cap)
{
	const void *s;
	char why[300];
	int ret = os_path_safe(path, 0, NULL, why, sizeof(why));

	if (ret < 0) {
		add(err, cap, "the %s %s is not trusted: %s", what, path, why);
		return ret;
	}
	s = os_module_symbol(path, symbol, why, sizeof(why));
	if (!s) {
		add(err, cap, "cannot load the %s %s: %s", what, path, why);
		return -ELIBBAD;
	}
	if (fits && !fits(s)) {
		add(err, cap, "the %s %s belongs to another version of amtact (reinstall amtact)",
		    what, path);
		return -ELIBBAD;
	}
	*sym = s;
	return 0;
}

int module_load(const char *file, const char *what, const char *symbol,
		int (*fits)(const void *sym), const void **sym, char *err, size_t errcap)
{
	char dirs[3][PATH_MAX], path[PATH_MAX + 64];
	struct os_stat st;
	int n = candidates(dirs);

	*sym = NULL;
	if (errcap)
		err[0] = 0;
	for (int i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dirs[i], file) >= (int)sizeof(path) ||
		    os_stat(path, &st) < 0)
			continue;
		return open_at(path, what, symbol, fits, sym, err, errcap);
	}
	add(err, errcap, "the %s %s is missing (looked in", what, file);
	for (int i = 0; i < n; i++)
		add(err, errcap, "%s %s", i ? "," : "", dirs[i]);
	add(err, errcap, "; reinstall amtact)");
	return -ENOENT;
}
#endif
