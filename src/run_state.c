// SPDX-License-Identifier: MIT
/* The run state file and the run lock (include/run_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "run_state.h"

#define STATE_FILE "state.json"
#define STATE_MAX (64 * 1024)

int run_mkdirs(const char *dir)
{
	char path[PATH_MAX];
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

/*
 * The state directory, created 0700 if missing, opened without following a symlink and
 * refused (-EPERM) unless it is ours and not writable by group or others: as root, files
 * in someone else's directory could be swapped, planted or locked under us.
 */
static int open_dir(const char *dir, bool create)
{
	struct stat st;
	int fd, rc;

	if (create) {
		rc = run_mkdirs(dir);
		if (rc)
			return rc;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	rc = fstat(fd, &st) < 0 ? -errno : 0;
	if (rc == 0 && (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))))
		rc = -EPERM;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

static char *read_small(int dfd, int *err)
{
	int fd = openat(dfd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *buf = NULL;
	struct stat st;
	ssize_t n;

	*err = 0;
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*err = -EINVAL;
		goto out;
	}
	buf = malloc(STATE_MAX + 1);
	if (!buf) {
		*err = -ENOMEM;
		goto out;
	}
	n = read(fd, buf, STATE_MAX + 1);
	if (n < 0 || n > STATE_MAX) {
		*err = n < 0 ? -errno : -EFBIG;
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	close(fd);
	return buf;
}

static int field_str(cJSON *doc, const char *key, char *out, size_t cap, const char *path,
		     char *err, size_t errlen)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	if (!v)
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap) {
		snprintf(err, errlen, "%s: field \"%s\": not a string of at most %zu bytes", path,
			 key, cap - 1);
		return -EINVAL;
	}
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

static int field_int(cJSON *doc, const char *key, int64_t *out, const char *path, char *err,
		     size_t errlen)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e15) {
		snprintf(err, errlen, "%s: field \"%s\": not a non-negative number", path, key);
		return -EINVAL;
	}
	*out = (int64_t)v->valuedouble;
	return 0;
}

int run_state_load(struct run_state *st, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int64_t starts = 0;
	cJSON *doc = NULL;
	char *text = NULL;
	int rc, dfd;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	dfd = open_dir(dir, false);
	if (dfd < 0) {
		if (dfd == -EPERM)
			snprintf(err, errlen, "%s: owned by another user or writable by group or "
				 "others (make it root's, mode 0700)", dir);
		return dfd == -ENOENT ? 0 : dfd;
	}
	text = read_small(dfd, &rc);
	close(dfd);
	if (!text) {
		if (rc == -EINVAL)
			snprintf(err, errlen, "%s: not a regular file", path);
		return rc == -ENOENT ? 0 : rc;
	}
	doc = cJSON_Parse(text);
	rc = -EINVAL;
	if (!cJSON_IsObject(doc)) {
		snprintf(err, errlen, "%s: not a JSON object (corrupt or truncated)", path);
		goto out;
	}
	if (field_int(doc, "last_run", &st->last_run, path, err, errlen) ||
	    field_str(doc, "last_provisioning_state", st->last_prov_state,
		      sizeof(st->last_prov_state), path, err, errlen) ||
	    field_str(doc, "reported_fingerprint", st->reported_fingerprint,
		      sizeof(st->reported_fingerprint), path, err, errlen) ||
	    field_str(doc, "reported_id", st->reported_id, sizeof(st->reported_id), path, err,
		      errlen) ||
	    field_int(doc, "hello_started_at", &st->hello_started_at, path, err, errlen) ||
	    field_int(doc, "hello_starts", &starts, path, err, errlen))
		goto out;
	st->hello_starts = starts > 1000000 ? 1000000 : (int)starts;
	st->present = true;
	rc = 0;
out:
	if (rc)
		memset(st, 0, sizeof(*st));
	cJSON_Delete(doc);
	free(text);
	return rc;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static char *state_text(const struct run_state *st)
{
	cJSON *doc = cJSON_CreateObject();
	char *text;

	cJSON_AddNumberToObject(doc, "schema", 1);
	cJSON_AddNumberToObject(doc, "last_run", (double)st->last_run);
	cJSON_AddStringToObject(doc, "last_provisioning_state", st->last_prov_state);
	cJSON_AddStringToObject(doc, "reported_fingerprint", st->reported_fingerprint);
	cJSON_AddStringToObject(doc, "reported_id", st->reported_id);
	cJSON_AddNumberToObject(doc, "hello_started_at", (double)st->hello_started_at);
	cJSON_AddNumberToObject(doc, "hello_starts", st->hello_starts);
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	return text;
}

/* Write text to a new temp file in dfd and rename it over state.json. */
static int write_state(int dfd, const char *text)
{
	char tmp[64];
	int fd, rc;

	snprintf(tmp, sizeof(tmp), ".%s.%ld", STATE_FILE, (long)getpid());
	/* A leftover of a crashed run with our PID: the directory is ours, drop it. */
	unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, strlen(text));
	if (!rc)
		rc = write_all(fd, "\n", 1);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && renameat(dfd, tmp, dfd, STATE_FILE))
		rc = -errno;
	if (rc)
		unlinkat(dfd, tmp, 0);
	else
		fsync(dfd);
	return rc;
}

int run_state_save(const struct run_state *st, const char *dir)
{
	char *text = state_text(st);
	int dfd, rc = -ENOMEM;

	if (!text)
		return rc;
	dfd = open_dir(dir, true);
	rc = dfd < 0 ? dfd : write_state(dfd, text);
	if (dfd >= 0)
		close(dfd);
	free(text);
	return rc;
}

int64_t run_state_hello_until(const struct run_state *st)
{
	if (!st->hello_started_at)
		return 0;
	return st->hello_started_at + (st->hello_starts <= 1 ? 24 : 6) * 3600;
}

int run_lock_take(const char *dir, unsigned timeout_ms)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	unsigned waited = 0;
	int fd, rc = 0, dfd = open_dir(dir, true);

	if (dfd < 0)
		return dfd;
	fd = openat(dfd, "run.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		rc = -errno;
	close(dfd);
	if (rc)
		return rc;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (waited >= timeout_ms) {
			rc = -EBUSY;
			break;
		}
		nanosleep(&pause, NULL);
		waited += 100;
	}
	close(fd);
	return rc;
}

void run_lock_release(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
