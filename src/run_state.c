// SPDX-License-Identifier: MIT
/* The run state file and the run lock (include/run_state.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "os.h"
#include "run_state.h"

#define STATE_FILE "state.json"
#define STATE_MAX (64 * 1024)

int run_mkdirs(const char *dir)
{
	return os_mkdirs(dir);
}

/*
 * The state directory, created 0700 if missing, opened without following a symlink and
 * refused (-EPERM) unless it is ours and not writable by group or others: as root, files
 * in someone else's directory could be swapped, planted or locked under us.
 */
int run_state_dir_open(struct os_dir **d, const char *dir, bool create)
{
	return os_dir_open_path(d, dir, (create ? OS_DIR_CREATE : 0) | OS_DIR_PRIVATE, NULL, 0);
}

static char *read_small(struct os_dir *d, int *err)
{
	int fd = os_open_at(d, STATE_FILE, OS_RDONLY | OS_NONBLOCK);
	char *buf = NULL;
	struct os_stat st;
	long n;

	*err = 0;
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	if (os_fstat(fd, &st) < 0 || st.type != OS_TYPE_FILE) {
		*err = -EINVAL;
		goto out;
	}
	buf = malloc(STATE_MAX + 1);
	if (!buf) {
		*err = -ENOMEM;
		goto out;
	}
	n = os_read(fd, buf, STATE_MAX + 1);
	if (n < 0 || n > STATE_MAX) {
		*err = n < 0 ? (int)n : -EFBIG;
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	os_close(fd);
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

/* "reported_facts": {"hostname": "...", ...}; unknown keys are left for newer agents. */
static int field_facts(cJSON *doc, struct run_facts *f, const char *path, char *err,
		       size_t errlen)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(doc, "reported_facts");

	if (!o)
		return 0;
	if (!cJSON_IsObject(o)) {
		snprintf(err, errlen, "%s: field \"reported_facts\": not an object", path);
		return -EINVAL;
	}
	for (int k = 0; k < RUN_FACT_COUNT; k++)
		if (field_str(o, run_fact_key((enum run_fact)k), f->v[k], sizeof(f->v[k]), path,
			      err, errlen))
			return -EINVAL;
	f->known = true;
	return 0;
}

int run_state_load(struct run_state *st, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int64_t starts = 0;
	cJSON *doc = NULL;
	struct os_dir *d;
	char *text = NULL;
	int rc;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	rc = run_state_dir_open(&d, dir, false);
	if (rc < 0) {
		if (rc == -EPERM || rc == -ELOOP)
			snprintf(err, errlen, "%s (%s: %s)", os_path_refusal(), dir,
				 os_hint(OS_HINT_PATH));
		else if (rc != -ENOENT)
			snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		return rc == -ENOENT ? 0 : rc;
	}
	text = read_small(d, &rc);
	os_dir_close(d);
	if (!text) {
		if (rc == -EINVAL)
			snprintf(err, errlen, "%s: not a regular file", path);
		else if (rc == -EFBIG)
			snprintf(err, errlen, "%s: larger than %d bytes", path, STATE_MAX);
		else if (rc != -ENOENT)
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
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
	    field_int(doc, "hello_starts", &starts, path, err, errlen) ||
	    field_facts(doc, &st->reported, path, err, errlen))
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

static char *state_text(const struct run_state *st)
{
	cJSON *doc = cJSON_CreateObject();
	char *text, *grown;
	size_t len;

	cJSON_AddNumberToObject(doc, "schema", 1);
	cJSON_AddNumberToObject(doc, "last_run", (double)st->last_run);
	cJSON_AddStringToObject(doc, "last_provisioning_state", st->last_prov_state);
	cJSON_AddStringToObject(doc, "reported_fingerprint", st->reported_fingerprint);
	cJSON_AddStringToObject(doc, "reported_id", st->reported_id);
	cJSON_AddNumberToObject(doc, "hello_started_at", (double)st->hello_started_at);
	cJSON_AddNumberToObject(doc, "hello_starts", st->hello_starts);
	if (st->reported.known) {
		cJSON *f = cJSON_AddObjectToObject(doc, "reported_facts");

		for (int k = 0; k < RUN_FACT_COUNT; k++)
			cJSON_AddStringToObject(f, run_fact_key((enum run_fact)k), st->reported.v[k]);
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	/* One line feed at the end, like any text file. */
	len = text ? strlen(text) : 0;
	grown = text ? realloc(text, len + 2) : NULL;
	if (!grown) {
		free(text);
		return NULL;
	}
	memcpy(grown + len, "\n", 2);
	return grown;
}

int run_state_write_file(struct os_dir *d, const char *name, const void *data, size_t len)
{
	char tmp[OS_NAME_MAX + 1];
	int fd, rc, c;

	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.%ld", name, os_getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	/* A leftover of a crashed run with our PID: the directory is ours, drop it. */
	os_unlink_at(d, tmp);
	fd = os_open_at(d, tmp, OS_WRONLY | OS_CREATE | OS_EXCL);
	if (fd < 0)
		return fd;
	rc = os_write_all(fd, data, len);
	if (!rc)
		rc = os_fsync(fd);
	c = os_close(fd);
	if (c && !rc)
		rc = c;
	if (!rc)
		rc = os_rename_at(d, tmp, d, name);
	if (rc)
		os_unlink_at(d, tmp);
	else
		rc = os_dir_sync(d);
	return rc;
}

int run_state_save(const struct run_state *st, const char *dir)
{
	char *text = state_text(st);
	struct os_dir *d = NULL;
	int rc = -ENOMEM;

	if (!text)
		return rc;
	rc = run_state_dir_open(&d, dir, true);
	if (rc == 0)
		rc = run_state_write_file(d, STATE_FILE, text, strlen(text));
	os_dir_close(d);
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
	struct os_dir *d;
	unsigned waited = 0;
	int fd, rc = run_state_dir_open(&d, dir, true);

	if (rc < 0)
		return rc;
	fd = os_open_at(d, "run.lock", OS_RDWR | OS_CREATE);
	os_dir_close(d);
	if (fd < 0)
		return fd;
	for (;;) {
		rc = os_lock(fd, OS_LOCK_EX | OS_LOCK_NB);
		if (rc == 0)
			return fd;
		if (rc != -EBUSY)
			break;
		if (waited >= timeout_ms)
			break;
		os_sleep_ms(100);
		waited += 100;
	}
	os_close(fd);
	return rc;
}

void run_lock_release(int fd)
{
	if (fd >= 0) {
		os_unlock(fd);
		os_close(fd);
	}
}
