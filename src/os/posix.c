// SPDX-License-Identifier: MIT
/* The port layer on POSIX systems: files, directories and locks (include/os.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os_int.h"

struct os_dir {
	int fd;
};

static int at(const struct os_dir *d)
{
	return d ? d->fd : AT_FDCWD;
}

static int open_flags(unsigned flags)
{
	int f = O_CLOEXEC | O_NOCTTY;

	if (flags & OS_RDWR)
		f |= O_RDWR;
	else if (flags & OS_WRONLY)
		f |= O_WRONLY;
	else
		f |= O_RDONLY;
	if (flags & OS_CREATE)
		f |= O_CREAT;
	if (flags & OS_EXCL)
		f |= O_EXCL;
	if (flags & OS_APPEND)
		f |= O_APPEND;
	if (flags & OS_NONBLOCK)
		f |= O_NONBLOCK;
	if (!(flags & OS_FOLLOW))
		f |= O_NOFOLLOW;
	return f;
}

int os_open_at(struct os_dir *d, const char *name, unsigned flags)
{
	int fd = openat(at(d), name, open_flags(flags), 0600);

	return fd < 0 ? -errno : fd;
}

static void fill_stat(const struct stat *s, struct os_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->type = S_ISREG(s->st_mode) ? OS_TYPE_FILE
		 : S_ISDIR(s->st_mode) ? OS_TYPE_DIR : OS_TYPE_OTHER;
	st->size = (uint64_t)s->st_size;
	st->mtime = (int64_t)s->st_mtime;
	st->owner = (unsigned long)s->st_uid;
	st->mode = (unsigned)(s->st_mode & 07777);
	st->owner_is_us = s->st_uid == geteuid();
	st->others_write = (s->st_mode & (S_IWGRP | S_IWOTH)) != 0;
	st->others_read = (s->st_mode & (S_IRGRP | S_IROTH)) != 0;
}

int os_fstat(int fd, struct os_stat *st)
{
	struct stat s;

	if (fstat(fd, &s) < 0)
		return -errno;
	fill_stat(&s, st);
	return 0;
}

int os_stat_at(struct os_dir *d, const char *name, struct os_stat *st)
{
	struct stat s;

	if (fstatat(at(d), name, &s, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	fill_stat(&s, st);
	return 0;
}

int os_stat(const char *path, struct os_stat *st)
{
	struct stat s;

	if (stat(path, &s) < 0)
		return -errno;
	fill_stat(&s, st);
	return 0;
}

int os_real_path(const char *path, char *out, size_t cap)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf))
		return -errno;
	if (strlen(buf) >= cap)
		return -ENAMETOOLONG;
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

/* A directory fd: ours when `private` asks, and not writable by group or others. */
static int check_dir(int fd, unsigned flags)
{
	struct os_stat st;
	int ret = os_fstat(fd, &st);

	return ret < 0 ? ret : os_dir_verdict(&st, flags);
}

int os_dir_open(struct os_dir **out, struct os_dir *parent, const char *name,
		unsigned flags)
{
	struct os_dir *d;
	int fd, ret;

	*out = NULL;
	if ((flags & OS_DIR_CREATE) && mkdirat(at(parent), name, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(at(parent), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	ret = check_dir(fd, flags);
	d = ret == 0 ? malloc(sizeof(*d)) : NULL;
	if (!d) {
		close(fd);
		return ret < 0 ? ret : -ENOMEM;
	}
	d->fd = fd;
	*out = d;
	return 0;
}

void os_dir_close(struct os_dir *d)
{
	if (d) {
		close(d->fd);
		free(d);
	}
}

int os_mkdirs(const char *dir)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int os_dir_list(struct os_dir *d, int (*fn)(const char *name, void *arg), void *arg)
{
	struct dirent *de;
	DIR *dir;
	int fd, ret = 0;

	fd = openat(at(d), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		return ret;
	}
	while (ret == 0 && (de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ret = fn(de->d_name, arg);
	}
	closedir(dir);
	return ret < 0 ? ret : 0;
}

int os_dir_sync(struct os_dir *d)
{
	return fsync(d->fd) < 0 ? -errno : 0;
}

int os_rename_at(struct os_dir *d1, const char *from, struct os_dir *d2, const char *to)
{
	return renameat(at(d1), from, at(d2), to) < 0 ? -errno : 0;
}

int os_unlink_at(struct os_dir *d, const char *name)
{
	return unlinkat(at(d), name, 0) < 0 ? -errno : 0;
}

long os_read(int fd, void *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

int os_write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t n = write(fd, c, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int os_fsync(int fd)
{
	return fsync(fd) < 0 ? -errno : 0;
}

int os_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

int os_stdin_fd(void)
{
	return STDIN_FILENO;
}

int os_lock(int fd, unsigned how)
{
	int op = (how & OS_LOCK_EX) ? LOCK_EX : LOCK_SH;

	if (how & OS_LOCK_NB)
		op |= LOCK_NB;
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	}
	return 0;
}

int os_unlock(int fd)
{
	return flock(fd, LOCK_UN) < 0 ? -errno : 0;
}

/* One component: owned by root or us, and no one else may write (a sticky directory such
   as /tmp may be crossed: others cannot replace what root owns in it). */
static int judge(const struct stat *s, bool last, const char *shown, char *why,
		 size_t whylen)
{
	const char *bad = NULL;
	int ret = -EPERM;

	if (S_ISLNK(s->st_mode)) {
		bad = "a symbolic link";
		ret = -ELOOP;
	} else if (s->st_uid != 0 && s->st_uid != geteuid()) {
		bad = "owned by another user";
	} else if ((s->st_mode & (S_IWGRP | S_IWOTH)) && (last || !(s->st_mode & S_ISVTX))) {
		bad = "writable by group or others";
	}
	if (!bad)
		return 0;
	if (why)
		snprintf(why, whylen, "%s: %s", shown, bad);
	return ret;
}

/* Check `name` under dfd without following it; for a directory step into it (*next). */
static int check_component(int dfd, const char *name, bool last, unsigned flags,
			   const char *shown, int *next, char *why, size_t whylen)
{
	bool want_dir = !last || (flags & OS_PATH_DIR);
	struct stat s;
	int ret;

	if (fstatat(dfd, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
		ret = -errno;
	else if ((ret = judge(&s, last, shown, why, whylen)) < 0)
		return ret;
	else if (want_dir != !!S_ISDIR(s.st_mode) || (!want_dir && !S_ISREG(s.st_mode)))
		ret = want_dir ? -ENOTDIR : -EINVAL;
	else if (!want_dir)
		return 0;
	else if ((*next = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				 O_CLOEXEC)) < 0)
		ret = -errno;
	if (ret < 0 && why)
		snprintf(why, whylen, "%s: %s", shown, ret == -EINVAL ? "not a regular file"
			 : strerror(-ret));
	return ret;
}

static char refusal[4200];

const char *os_path_refusal(void)
{
	return refusal;
}

/*
 * Walk `path` from the root (or the current directory) one component at a time, never
 * following a link, each component judged before anything is created in it; with
 * `create`, missing directories are made (0700) on the way. The last component's fd is
 * left in *fd_out for OS_PATH_DIR. Why a component was refused goes to why and refusal.
 */
static int walk(const char *path, unsigned flags, bool create, int *fd_out, char *why,
		size_t whylen)
{
	char buf[4096];
	size_t len = strlen(path);
	int dfd, next = -1, ret = 0;

	*fd_out = -1;
	refusal[0] = '\0';
	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	dfd = open(buf[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	for (char *p = buf; ret == 0 && *p;) {
		char *end = p + strcspn(p, "/"), keep = *end;
		bool last = *(end + strspn(end, "/")) == '\0';

		if (p == end) {
			p++;
			continue;
		}
		*end = '\0';
		if (create && (!last || (flags & OS_PATH_DIR)) && mkdirat(dfd, p, 0700) < 0 &&
		    errno != EEXIST) {
			ret = -errno;
			snprintf(refusal, sizeof(refusal), "%s: %s", buf, strerror(errno));
		} else {
			ret = check_component(dfd, p, last, flags, buf, &next, refusal,
					      sizeof(refusal));
		}
		*end = keep;
		if (ret == 0 && next >= 0) {
			close(dfd);
			dfd = next;
			next = -1;
		}
		p = end;
	}
	if (why)
		snprintf(why, whylen, "%s", refusal);
	if (ret == 0 && (flags & OS_PATH_DIR))
		*fd_out = dfd;
	else
		close(dfd);
	return ret;
}

static int dir_of_fd(struct os_dir **dir, int fd)
{
	*dir = malloc(sizeof(**dir));
	if (!*dir) {
		close(fd);
		return -ENOMEM;
	}
	(*dir)->fd = fd;
	return 0;
}

int os_path_safe(const char *path, unsigned flags, struct os_dir **dir, char *why,
		 size_t whylen)
{
	int fd, ret;

	if (dir)
		*dir = NULL;
	ret = walk(path, flags, false, &fd, why, whylen);
	if (ret < 0 || fd < 0)
		return ret;
	if (!dir) {
		close(fd);
		return 0;
	}
	return dir_of_fd(dir, fd);
}

int os_dir_open_path(struct os_dir **out, const char *path, unsigned flags, char *why,
		     size_t whylen)
{
	int fd, ret;

	*out = NULL;
	refusal[0] = '\0';
	if (!os_privileged()) {
		ret = (flags & OS_DIR_CREATE) ? os_mkdirs(path) : 0;
		if (ret == 0)
			ret = os_dir_open(out, NULL, path, flags & ~OS_DIR_CREATE);
		if (ret < 0)
			snprintf(refusal, sizeof(refusal), "%s: %s", path, ret == -EPERM ?
				 "owned by another user or writable by group or others" :
				 strerror(-ret));
	} else {
		ret = walk(path, OS_PATH_DIR, flags & OS_DIR_CREATE, &fd, NULL, 0);
		if (ret == 0 && (flags & OS_DIR_PRIVATE) && (ret = check_dir(fd, flags)) < 0) {
			snprintf(refusal, sizeof(refusal), "%s: not owned by root alone", path);
			close(fd);
		}
		if (ret == 0)
			ret = dir_of_fd(out, fd);
	}
	if (why)
		snprintf(why, whylen, "%s", refusal);
	return ret;
}
