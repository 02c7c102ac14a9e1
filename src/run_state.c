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

static char *read_small(const char *path, int *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char *buf = NULL;
	ssize_t n;

	*err = 0;
	if (fd < 0) {
		*err = -errno;
		return NULL;
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
	char *text;
	int rc;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	text = read_small(path, &rc);
	if (!text)
		return rc == -ENOENT ? 0 : rc;
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

int run_state_save(const struct run_state *st, const char *dir)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	char *text = state_text(st);
	int fd = -1, dfd = -1, rc = -ENOMEM;

	if (!text)
		return rc;
	rc = run_mkdirs(dir);
	if (rc)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%ld", dir, STATE_FILE, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = write_all(fd, text, strlen(text));
	if (!rc && (write_all(fd, "\n", 1) || fsync(fd)))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		goto out;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
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
	char path[PATH_MAX];
	unsigned waited = 0;
	int fd, rc = run_mkdirs(dir);

	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/run.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
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
