// SPDX-License-Identifier: MIT
/* The port layer on POSIX systems: the running program's folder and shared modules. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "os.h"

int os_exe_dir(char *buf, size_t cap)
{
	ssize_t n;
	char *slash;

	if (cap < 2)
		return -ENAMETOOLONG;
	n = readlink("/proc/self/exe", buf, cap - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= cap - 1)
		return -ENAMETOOLONG;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	slash[slash == buf] = 0;
	return 0;
}

void *os_module_symbol(const char *path, const char *symbol, char *why, size_t whylen)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL), *sym;

	if (!h) {
		snprintf(why, whylen, "%s", dlerror());
		return NULL;
	}
	sym = dlsym(h, symbol);
	if (!sym) {
		snprintf(why, whylen, "it has no symbol %s", symbol);
		dlclose(h);
	}
	return sym;
}
