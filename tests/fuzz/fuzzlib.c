// SPDX-License-Identifier: MIT
/* Helpers shared by the libFuzzer targets: a private temp directory, files, input splits. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzzlib.h"

static char tmpdir[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tmpdir(void)
{
	if (tmpdir[0])
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	struct stat st;

	if (tmpdir[0])
		return tmpdir;
	if (!base || !*base)
		base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
				       access("/dev/shm", W_OK) == 0
			       ? "/dev/shm"
			       : "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/amtact-fuzz.XXXXXX", base) >=
		    sizeof(tmpdir) ||
	    !mkdtemp(tmpdir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_tmpdir);
	return tmpdir;
}

const char *fuzz_path(const char *name)
{
	static char path[512];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name) >= sizeof(path))
		abort();
	return path;
}

void fuzz_write_file(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		perror(path);
		abort();
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror(path);
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		abort();
}

char *fuzz_strndup(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

void fuzz_split(const uint8_t *data, size_t size, char **head, const uint8_t **rest,
		size_t *rest_len)
{
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	size_t n = nl ? (size_t)(nl - data) : size;

	*head = fuzz_strndup(data, n);
	*rest = nl ? nl + 1 : data + size;
	*rest_len = nl ? size - n - 1 : 0;
}

int fuzz_terminated(const char *s, size_t cap)
{
	return memchr(s, 0, cap) != NULL;
}
