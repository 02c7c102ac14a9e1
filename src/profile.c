// SPDX-License-Identifier: MIT
/* Profile files: finding one by name, reading it safely, and checking the files it names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "os.h"
#include "profile_int.h"

int profile_resolve(const char *name_or_path, char *path, size_t pathlen)
{
	size_t len = strlen(name_or_path);
	const char *dir;
	int n;

	if (os_path_has_dir(name_or_path) || (len >= 5 && strcmp(name_or_path + len - 5,
							       ".json") == 0)) {
		n = snprintf(path, pathlen, "%s", name_or_path);
	} else if (profile_check_name(name_or_path)) {
		snprintf(path, pathlen, "not a profile name (letters, digits, '.', '_', '-', "
			 "at most %d bytes) nor a path", PROFILE_NAME_MAX);
		return -EINVAL;
	} else {
		dir = getenv("AMTACT_PROFILE_DIR");
		if (!dir || !*dir)
			dir = os_default_dir(OS_DIR_PROFILES);
		n = snprintf(path, pathlen, "%s/%s.json", dir, name_or_path);
	}
	if (n < 0 || (size_t)n >= pathlen)
		return -ENAMETOOLONG;
	return 0;
}

/* As root, a file anyone else can change would let them steer a root process. */
static int check_secure(const char *what, const char *path, const struct os_stat *st,
			const struct profile_load_opts *opts, char *err, size_t errlen)
{
	char why[600];

	if (!opts->check_owner)
		return 0;
	if (st->owner != opts->owner_uid || st->others_write) {
		snprintf(err, errlen, "%s%s: %s", what, path, os_unsafe_text(st->others_write &&
			 st->owner == opts->owner_uid ? OS_UNSAFE_WRITABLE : OS_UNSAFE_OWNER, path,
			 st, opts->owner_uid, why, sizeof(why)));
		return -EACCES;
	}
	return 0;
}

static int check_dir(const char *path, const struct profile_load_opts *opts, char *err,
		     size_t errlen)
{
	char dir[4096];
	const char *base = os_path_base(path);
	struct os_stat st;
	size_t len;
	int ret;

	if (!opts->check_owner)
		return 0;
	/* The folder part: /x is in /, C:\x in C:\, x in the current one. */
	len = base > path ? (size_t)(base - path) : 1;
	if (len > 1 && (base[-1] == '/' || base[-1] == '\\') && base - 1 > path &&
	    base[-2] != ':')
		len--;
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, base > path ? path : ".", len);
	dir[len] = '\0';
	ret = os_stat(dir, &st);
	if (ret != 0) {
		snprintf(err, errlen, "directory %s: %s", dir, strerror(-ret));
		return ret;
	}
	return check_secure("directory ", dir, &st, opts, err, errlen);
}

#define LISTED_MAX 32

struct profile_names {
	char *name[LISTED_MAX];
	int count;
};

static int collect_json(const char *name, void *arg)
{
	struct profile_names *n = arg;
	size_t len = strlen(name);

	if (name[0] == '.' || len <= 5 || strcmp(name + len - 5, ".json") != 0 ||
	    n->count >= LISTED_MAX)
		return 0;
	n->name[n->count] = strndup(name, len - 5);
	if (n->name[n->count])
		n->count++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "DIR/NAME.json: no profile "NAME" there (profiles there: a, b, c)": a typo shows the rest. */
static void no_such_profile(const char *path, const char *asked, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	struct profile_names n = { .count = 0 };
	struct os_dir *d = NULL;
	char dir[4096];
	size_t at;
	int rc;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	at = (size_t)snprintf(err, errlen, "%s: no profile \"%s\" there", path, asked);
	rc = os_dir_open(&d, NULL, dir, 0);
	if (rc == 0)
		rc = os_dir_list(d, collect_json, &n);
	os_dir_close(d);
	if (rc < 0 || n.count == 0) {
		if (at < errlen)
			snprintf(err + at, errlen - at, " (%s)", rc < 0 ?
				 "and the directory cannot be read" : "no profiles there");
	}
	qsort(n.name, (size_t)n.count, sizeof(n.name[0]), by_name);
	for (int i = 0; i < n.count; i++) {
		if (at < errlen)
			at += (size_t)snprintf(err + at, errlen - at, "%s%s", i ? ", " :
					       " (profiles there: ", n.name[i]);
		free(n.name[i]);
	}
	if (n.count && at < errlen)
		snprintf(err + at, errlen - at, ")");
}

static int open_profile(const char *path, const char *asked, int *fd, struct os_stat *st,
			char *err, size_t errlen)
{
	int ret;

	*fd = os_open(path, OS_RDONLY | OS_NONBLOCK | OS_FOLLOW);
	if (*fd < 0) {
		ret = *fd;
		if (ret == -ENOENT && strcmp(path, asked) != 0)
			no_such_profile(path, asked, err, errlen);
		else
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-ret));
		return ret == -EPERM ? -EACCES : ret;
	}
	ret = os_fstat(*fd, st);
	if (ret != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (st->type != OS_TYPE_FILE) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (st->size > PROFILE_FILE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes, larger than the %d-byte limit", path,
			 (long long)st->size, PROFILE_FILE_MAX);
		return -EINVAL;
	}
	return 0;
}

int profile_load_with(struct profile *p, const char *name_or_path,
		      const struct profile_load_opts *opts, char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	struct os_stat st;
	size_t len = 0;
	int fd = -1, ret;

	memset(p, 0, sizeof(*p));
	ret = profile_resolve(name_or_path, path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "%s: %s", name_or_path, ret == -EINVAL ? path :
			 "name too long");
		ret = -EINVAL;
		goto out;
	}
	ret = open_profile(path, name_or_path, &fd, &st, err, errlen);
	if (ret)
		goto out;
	ret = check_secure("", path, &st, opts, err, errlen);
	if (!ret)
		ret = check_dir(path, opts, err, errlen);
	if (ret)
		goto out;
	ret = -ENOMEM;
	text = malloc(PROFILE_FILE_MAX + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	ret = fileio_read_all(fd, text, PROFILE_FILE_MAX + 1, &len);
	if (!ret && len > PROFILE_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than the %d-byte limit", path, PROFILE_FILE_MAX);
		ret = -EINVAL;
	} else if (ret) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-ret));
		ret = ret == -EISDIR ? -EINVAL : ret;
	}
	if (!ret)
		ret = profile_parse(p, path, text, len, err, errlen);
out:
	if (fd >= 0)
		os_close(fd);
	free(text);
	return ret;
}

int profile_load(struct profile *p, const char *name_or_path, char *err, size_t errlen)
{
	struct profile_load_opts opts = { os_privileged(), 0 };

	return profile_load_with(p, name_or_path, &opts, err, errlen);
}

static int check_one_file(const char *field, const char *path, bool secret,
			  const struct profile_load_opts *opts, char *err, size_t errlen)
{
	struct os_stat st;
	char what[128], why[600];
	int fd, ret;

	/* The rules the agent applies when it uses the file: as root, no link and no
	 * directory of someone else anywhere on the way; a secret is never read through a
	 * link (secret_read_file). */
	ret = opts->check_owner ? os_path_safe(path, 0, NULL, why, sizeof(why)) : 0;
	if (ret == -EPERM || ret == -ELOOP) {
		snprintf(err, errlen, "field \"%s\": %s (%s)", field, why, os_hint(OS_HINT_PATH));
		return -EACCES;
	}
	fd = os_open(path, OS_RDONLY | OS_NONBLOCK | (secret ? 0 : OS_FOLLOW));
	if (fd < 0) {
		snprintf(err, errlen, "field \"%s\": %s: %s%s", field, path, strerror(-fd),
			 fd == -ELOOP ? " (a secret is never read through a symbolic link)" : "");
		return fd == -EPERM || fd == -ELOOP ? -EACCES : fd;
	}
	ret = os_fstat(fd, &st);
	os_close(fd);
	if (ret || st.type != OS_TYPE_FILE) {
		snprintf(err, errlen, "field \"%s\": %s: not a regular file", field, path);
		return ret ? ret : -EINVAL;
	}
	snprintf(what, sizeof(what), "field \"%s\": ", field);
	ret = check_secure(what, path, &st, opts, err, errlen);
	if (!ret && secret && opts->check_owner && st.others_read) {
		snprintf(err, errlen, "field \"%s\": %s: %s", field, path,
			 os_unsafe_text(OS_UNSAFE_READABLE, path, &st, 0, why, sizeof(why)));
		ret = -EACCES;
	}
	return ret;
}

int profile_check_files(const struct profile *p, const struct profile_load_opts *opts,
			char *err, size_t errlen)
{
	const struct {
		const char *field;
		const char *path;
		bool secret;
	} files[] = {
		{ "server.ca_file", p->server.ca_file, false },
		{ "server.client_cert", p->server.client_cert, false },
		{ "server.client_key", p->server.client_key, true },
		{ "server.token_file", p->server.token_file, true },
		{ "server.report_cert", p->server.report_cert, false },
		{ "otp.file", p->otp.file, true },
	};
	char msg[768];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!files[i].path)
			continue;
		ret = check_one_file(files[i].field, files[i].path, files[i].secret, opts, msg,
				     sizeof(msg));
		if (ret) {
			snprintf(err, errlen, "%s: %s", p->path ? p->path : "profile", msg);
			return ret;
		}
	}
	return 0;
}

void profile_free(struct profile *p)
{
	unsigned i;

	free(p->path);
	free(p->name);
	free(p->server.url);
	free(p->server.ca_file);
	for (i = 0; i < PROFILE_MAX_PINS; i++)
		free(p->server.pin_sha256[i]);
	free(p->server.client_cert);
	free(p->server.client_key);
	free(p->server.token_file);
	free(p->server.proxy);
	free(p->server.report_cert);
	free(p->otp.file);
	free(p->otp.alphabet);
	free(p->pki_dns_suffix);
	free(p->system_name.value);
	free(p->report_file);
	free(p->spool_dir);
	free(p->state_dir);
	free(p->log.file);
	memset(p, 0, sizeof(*p));
}
