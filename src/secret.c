// SPDX-License-Identifier: MIT
/* Fixed-size secret buffers: reading from a file, stdin or the environment, and wiping. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "os.h"
#include "secret.h"

void secret_cleanse(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

int secret_process_protect(void)
{
	return os_process_protect();
}

void secret_init(struct secret *s)
{
	/* Kept out of swap where the system allows it; never unlocked, as another secret
	 * may share the page. */
	os_memory_lock(s, sizeof(*s));
	s->len = 0;
	s->buf[0] = 0;
}

void secret_wipe(struct secret *s)
{
	explicit_bzero(s->buf, sizeof(s->buf));
	s->len = 0;
}

int secret_set(struct secret *s, const void *p, size_t len)
{
	secret_wipe(s);
	if (len > SECRET_MAX)
		return -EMSGSIZE;
	memcpy(s->buf, p, len);
	s->buf[len] = 0;
	s->len = len;
	return 0;
}

static void strip_newline(struct secret *s)
{
	if (s->len && s->buf[s->len - 1] == '\n')
		s->buf[--s->len] = 0;
	if (s->len && s->buf[s->len - 1] == '\r')
		s->buf[--s->len] = 0;
}

/* Read everything from fd into s; one byte more than fits means "too long". */
static int read_all(int fd, struct secret *s)
{
	size_t len;
	int ret = fileio_read_all(fd, s->buf, sizeof(s->buf), &len);

	if (ret < 0)
		return ret;
	if (len > SECRET_MAX)
		return -EMSGSIZE;
	s->len = len;
	s->buf[len] = 0;
	return 0;
}

int secret_read_file(struct secret *s, const char *path, int *loose_mode)
{
	struct os_stat st;
	int fd = -1, ret = -EINVAL;

	secret_wipe(s);
	if (loose_mode)
		*loose_mode = 0;
	if (!path)
		goto out;
	if (strcmp(path, "-") == 0) {
		fd = os_stdin_fd();
	} else {
		fd = os_open(path, OS_RDONLY);
		if (fd < 0) {
			ret = fd;
			goto out;
		}
		ret = os_fstat(fd, &st);
		if (ret < 0)
			goto out;
		ret = -EINVAL;
		if (st.type != OS_TYPE_FILE)
			goto out;
		if (loose_mode)
			*loose_mode = st.others_read;
	}
	ret = read_all(fd, s);
	if (ret < 0)
		goto out;
	strip_newline(s);
	ret = s->len ? 0 : -ENODATA;
out:
	if (fd >= 0 && fd != os_stdin_fd())
		os_close(fd);
	if (ret < 0)
		secret_wipe(s);
	return ret;
}

int secret_read_env(struct secret *s, const char *name, int unset_after)
{
	const char *v = getenv(name);
	size_t len;
	int ret;

	secret_wipe(s);
	if (!v)
		return -ENOENT;
	len = strlen(v);
	if (len == 0)
		ret = -ENODATA;
	else
		ret = secret_set(s, v, len);
	if (unset_after) {
		/* Wipe the value in place before unsetting: unsetenv does not clear it. */
		explicit_bzero((char *)v, len);
		os_unsetenv(name);
	}
	return ret;
}
