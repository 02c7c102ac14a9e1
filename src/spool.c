// SPDX-License-Identifier: MIT
/* The crash-safe on-disk report spool with bounds and a dead-letter area (include/spool.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitcodes.h"
#include "os.h"
#include "secret.h"
#include "spool.h"
#include "spool_entry.h"
#include "spool_fs.h"

#define SUFFIX SPOOL_ENTRY_SUFFIX
#define HEADER_MAX SPOOL_ENTRY_HEADER_MAX

/* Names of queued reports, sorted oldest first. */
struct names {
	char **v;
	size_t n;
	size_t cap;
};

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static int names_add(struct names *ns, const char *name)
{
	char **v;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		v = realloc(ns->v, ns->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ns->v = v;
	}
	ns->v[ns->n] = strdup(name);
	return ns->v[ns->n] ? (ns->n++, 0) : -ENOMEM;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct scan {
	struct os_dir *dir;
	struct names *ns;
	unsigned long long *bytes;
	int temps;
};

static int scan_one(const char *name, void *arg)
{
	struct scan *sc = arg;
	struct os_stat st;
	char id[80];
	int ret = 0;

	if (sc->temps && strncmp(name, ".tmp-", 5) == 0) {
		os_unlink_at(sc->dir, name);
		return 0;
	}
	if (sc->temps || spool_entry_parse_name(name, id, sizeof(id)) < 0)
		return 0;
	if (sc->ns)
		ret = names_add(sc->ns, name);
	if (sc->bytes && os_stat_at(sc->dir, name, &st) == 0)
		*sc->bytes += (unsigned long long)st.size;
	return ret;
}

/*
 * List the entries of dir: queued report names into `ns` (sorted) when `ns` is given;
 * with `temps`, unlink leftover temp files instead. Adds file sizes to *bytes if given.
 */
static int scan_dir(struct os_dir *dir, struct names *ns, unsigned long long *bytes,
		    int temps)
{
	struct scan sc = { dir, ns, bytes, temps };
	int ret = os_dir_list(dir, scan_one, &sc);

	if (ns && ns->n && ret == 0)
		qsort(ns->v, ns->n, sizeof(*ns->v), cmp_names);
	return ret;
}

static void default_limits(struct spool_limits *lim)
{
	if (!lim->max_count)
		lim->max_count = 1000;
	if (!lim->max_bytes)
		lim->max_bytes = 16ull << 20;
	if (!lim->max_report_bytes)
		lim->max_report_bytes = 1u << 20;
}

int spool_open(struct spool *sp, const char *dir, const struct spool_limits *lim)
{
	int fd, ret = -ENAMETOOLONG;

	memset(sp, 0, sizeof(*sp));
	if (lim)
		sp->lim = *lim;
	default_limits(&sp->lim);
	if ((size_t)snprintf(sp->path, sizeof(sp->path), "%s", dir) >= sizeof(sp->path))
		goto out;
	/* As root, never through a user's link or directory (os_dir_open_path). */
	ret = os_dir_open_path(&sp->dir, dir, OS_DIR_CREATE | OS_DIR_PRIVATE, NULL, 0);
	if (ret < 0)
		goto out;
	ret = os_dir_open(&sp->dead, sp->dir, "dead", OS_DIR_CREATE | OS_DIR_PRIVATE);
	if (ret < 0)
		goto out;
	/* Temp files are only removable when no put is writing one. */
	fd = spool_fs_lock(sp->dir, ".lock", OS_LOCK_EX | OS_LOCK_NB);
	if (fd >= 0) {
		scan_dir(sp->dir, NULL, NULL, 1);
		scan_dir(sp->dead, NULL, NULL, 1);
		os_close(fd);
	}
	ret = 0;
out:
	if (ret < 0)
		spool_close(sp);
	return ret;
}

void spool_close(struct spool *sp)
{
	os_dir_close(sp->dir);
	os_dir_close(sp->dead);
	sp->dir = sp->dead = NULL;
}

/* The newest queued time stamp, so a new name never sorts before an existing one. */
static unsigned long long next_stamp(const struct names *ns)
{
	unsigned long long now = os_time_us(), last = 0;

	if (ns->n)
		last = strtoull(ns->v[ns->n - 1], NULL, 10);
	return now > last ? now : last + 1;
}

static int id_queued(const struct names *ns, const char *report_id)
{
	char id[80];

	for (size_t i = 0; i < ns->n; i++)
		if (spool_entry_parse_name(ns->v[i], id, sizeof(id)) == 0 &&
		    strcmp(id, report_id) == 0)
			return 1;
	return 0;
}

int spool_put(struct spool *sp, const char *report_id, const void *body, size_t len)
{
	struct names ns = { 0 };
	unsigned long long bytes = 0;
	char name[OS_NAME_MAX + 1], hdr[HEADER_MAX];
	int lock = -1, ret = -EINVAL;

	if (!report_id_valid(report_id) || !body)
		goto out;
	ret = -EMSGSIZE;
	if (len > sp->lim.max_report_bytes)
		goto out;
	ret = lock = spool_fs_lock(sp->dir, ".lock", OS_LOCK_SH);
	if (ret < 0)
		goto out;
	ret = scan_dir(sp->dir, &ns, &bytes, 0);
	if (ret < 0)
		goto out;
	ret = -EEXIST;
	if (id_queued(&ns, report_id))
		goto out;
	snprintf(hdr, sizeof(hdr), "AMTACT-SPOOL 1 %zu %08x\n", len, spool_fs_crc32(body, len));
	ret = -ENOSPC;
	if (ns.n + 1 > sp->lim.max_count ||
	    bytes + strlen(hdr) + len > sp->lim.max_bytes)
		goto out;
	snprintf(name, sizeof(name), "%020llu-%s" SUFFIX, next_stamp(&ns), report_id);
	ret = spool_fs_write_atomic(sp->dir, name, hdr, body, len, 1);
out:
	names_free(&ns);
	if (lock >= 0)
		os_close(lock);
	return ret;
}

int spool_stat(struct spool *sp, struct spool_stats *st)
{
	struct names ns = { 0 };
	int ret;

	memset(st, 0, sizeof(*st));
	ret = scan_dir(sp->dir, &ns, &st->bytes, 0);
	st->count = (unsigned)ns.n;
	names_free(&ns);
	if (ret == 0) {
		ret = scan_dir(sp->dead, &ns, NULL, 0);
		st->dead = (unsigned)ns.n;
		names_free(&ns);
	}
	return ret;
}

int spool_foreach(struct spool *sp, int dead,
		  int (*fn)(const char *name, const char *report_id, void *arg), void *arg)
{
	struct names ns = { 0 };
	char id[80];
	int ret;

	ret = scan_dir(dead ? sp->dead : sp->dir, &ns, NULL, 0);
	for (size_t i = 0; ret == 0 && i < ns.n; i++)
		if (spool_entry_parse_name(ns.v[i], id, sizeof(id)) == 0 && fn(ns.v[i], id, arg))
			break;
	names_free(&ns);
	return ret;
}

/* Read a queued report; *buf (malloc'd, wipe before free) holds the whole file. */
static int read_report(struct spool *sp, const char *name, char **buf, size_t *size,
		       size_t *body_off)
{
	struct os_stat st;
	size_t off = 0;
	long hl, n;
	int fd, ret = -EBADMSG;

	*buf = NULL;
	/* A FIFO, link or device named like a report is never opened in a way that blocks
	 * or follows it: -EINVAL, and the flush sets it aside. */
	ret = os_stat_at(sp->dir, name, &st);
	if (ret < 0)
		return ret;
	if (st.type != OS_TYPE_FILE)
		return -EINVAL;
	fd = os_open_at(sp->dir, name, OS_RDONLY | OS_NONBLOCK);
	if (fd < 0)
		return fd == -ELOOP ? -EINVAL : fd;
	if (os_fstat(fd, &st) < 0 || st.type != OS_TYPE_FILE) {
		ret = -EINVAL;
		goto out;
	}
	ret = -EBADMSG;
	if (st.size > sp->lim.max_report_bytes + HEADER_MAX)
		goto out;
	ret = -ENOMEM;
	*buf = malloc((size_t)st.size + 1);
	if (!*buf)
		goto out;
	while (off < (size_t)st.size) {
		n = os_read(fd, *buf + off, (size_t)st.size - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	hl = spool_entry_check_header(*buf, off);
	ret = hl < 0 ? -EBADMSG : 0;
	*size = off;
	*body_off = hl < 0 ? 0 : (size_t)hl;
out:
	os_close(fd);
	return ret;
}

/* Reason file first, then the report: a crash in between leaves the report queued. */
static int move_dead(struct spool *sp, const char *name, const char *why)
{
	char rname[OS_NAME_MAX + 1];
	int lock, ret = -ENAMETOOLONG;

	/* Shared like a put: spool_open only removes temp files under the exclusive lock. */
	lock = spool_fs_lock(sp->dir, ".lock", OS_LOCK_SH);
	if (lock < 0)
		return lock;
	if ((size_t)snprintf(rname, sizeof(rname), "%s.reason", name) >= sizeof(rname))
		goto out;
	ret = spool_fs_write_atomic(sp->dead, rname, NULL, why, strlen(why), 0);
	if (ret < 0)
		goto out;
	spool_fs_crash_at(1, "dead-reason");
	ret = os_rename_at(sp->dir, name, sp->dead, name);
	if (ret < 0)
		goto out;
	spool_fs_crash_at(1, "dead-moved");
	ret = os_dir_sync(sp->dead);
	if (ret == 0)
		ret = os_dir_sync(sp->dir);
out:
	os_close(lock);
	return ret;
}

static void reason_text(char *out, size_t cap, const struct report_server *srv,
			const struct report_result *res)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[32] = "";

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(out, cap, "time: %s\nserver: %s\nhttp_status: %ld\nclass: %s\nreason: %s\n",
		 when, srv->url ? srv->url : "", res->http_status, report_class_name(res->cls),
		 res->message);
}

/* A file that is not a report we can send (torn, or not a regular file): into dead/. */
static int set_aside(struct spool *sp, const char *name, int why_err,
		     struct spool_flush_result *fr)
{
	struct report_result res = { .cls = REPORT_SET_ASIDE, .retry_after_ms = -1 };
	const char *what = why_err == -EINVAL ?
		"not a regular file (a FIFO, link or device named like a report)" :
		"torn or corrupt spool file (bad header, length or CRC)";
	char why[200];
	int ret;

	snprintf(why, sizeof(why), "class: %s\nreason: %s; it was not sent\n",
		 report_class_name(res.cls), what);
	ret = move_dead(sp, name, why);
	if (ret < 0)
		return ret;
	snprintf(res.message, sizeof(res.message), "%s: set aside in dead/ without sending it",
		 what);
	fr->last = res;
	if (sp->on_result)
		sp->on_result(fr->last_id, &res, sp->on_result_arg);
	fr->corrupt++;
	return 1;
}

/* Send one queued report. Returns 1 to go on, 0 to stop (kept), or -errno. */
static int flush_one(struct spool *sp, struct report_session *ss,
		     const struct report_server *srv, const char *name,
		     struct spool_flush_result *fr)
{
	char *buf = NULL, why[1024];
	size_t size = 0, off = 0;
	int ret;

	spool_entry_parse_name(name, fr->last_id, sizeof(fr->last_id));
	spool_fs_crash_at(1, "flush-before-send");
	ret = read_report(sp, name, &buf, &size, &off);
	if (ret == -ENOENT)
		ret = 1;
	else if (ret == -EBADMSG || ret == -EINVAL)
		ret = set_aside(sp, name, ret, fr);
	if (ret < 0) {
		fr->last.cls = REPORT_LOCAL;
		snprintf(fr->last.message, sizeof(fr->last.message), "reading spool entry %s: %s",
			 name, strerror(-ret));
	}
	if (ret != 0)
		goto out;
	report_session_send(ss, fr->last_id, buf + off, size - off, &fr->last);
	if (fr->last.cls == REPORT_PERMANENT && fr->dead > 0) {
		/* A second refusal in one flush: the server may be refusing every report. One
		 * refusal dead-letters one report; this one waits for the next flush. */
		size_t at = strlen(fr->last.message);

		snprintf(fr->last.message + at, sizeof(fr->last.message) - at, " (kept queued: "
			 "the server refused the report before it too; tried again at the next "
			 "flush)");
		fr->last.cls = REPORT_TEMPORARY;
	}
	if (sp->on_result)
		sp->on_result(fr->last_id, &fr->last, sp->on_result_arg);
	if (fr->last.cls == REPORT_DELIVERED) {
		spool_fs_crash_at(1, "flush-sent");
		ret = os_unlink_at(sp->dir, name);
		spool_fs_crash_at(1, "flush-unlinked");
		if (ret == 0)
			ret = os_dir_sync(sp->dir);
		fr->delivered += ret == 0;
		ret = ret == 0 ? 1 : ret;
	} else if (fr->last.cls == REPORT_PERMANENT) {
		reason_text(why, sizeof(why), srv, &fr->last);
		ret = move_dead(sp, name, why);
		fr->dead += ret == 0;
		ret = ret == 0 ? 1 : ret;
	}
out:
	if (buf) {
		secret_cleanse(buf, size);
		free(buf);
	}
	return ret;
}

int spool_flush(struct spool *sp, const struct report_server *srv,
		struct spool_flush_result *fr)
{
	struct report_session *ss = NULL;
	struct names ns = { 0 };
	int lock, ret, r = 1;
	size_t i = 0;

	memset(fr, 0, sizeof(*fr));
	fr->last.retry_after_ms = -1;
	ret = lock = spool_fs_lock(sp->dir, ".flush", OS_LOCK_EX | OS_LOCK_NB);
	if (ret < 0)
		goto out;
	ret = scan_dir(sp->dir, &ns, NULL, 0);
	if (ret < 0)
		goto out;
	/* One connection for the whole flush: one TLS handshake, not one per report. */
	ret = -ENOMEM;
	if (ns.n && !(ss = report_session_open(srv)))
		goto out;
	ret = 0;
	for (i = 0; i < ns.n && r > 0; i++)
		r = flush_one(sp, ss, srv, ns.v[i], fr);
	if (r <= 0) {
		/* The one that stopped us is still queued. */
		fr->remaining = (unsigned)(ns.n - i + 1);
		ret = r < 0 ? r : -EAGAIN;
	}
out:
	report_session_close(ss);
	names_free(&ns);
	if (lock >= 0)
		os_close(lock);
	return ret;
}

/* The report could not be queued: send it directly; keep it in dead/ if refused. */
static int submit_direct(struct spool *sp, const struct report_server *srv,
			 const char *report_id, const void *body, size_t len,
			 struct spool_flush_result *fr, int *saved)
{
	char name[OS_NAME_MAX + 1], rname[OS_NAME_MAX + 1], hdr[HEADER_MAX], why[1024];
	struct names none = { 0 };
	int lock, ret;

	snprintf(fr->last_id, sizeof(fr->last_id), "%s", report_id);
	ret = report_send(srv, report_id, body, len, &fr->last);
	if (fr->last.cls == REPORT_DELIVERED) {
		fr->delivered++;
		*saved = 1;
		return fr->remaining ? -EAGAIN : 0;
	}
	if (fr->last.cls != REPORT_PERMANENT)
		return ret;
	snprintf(name, sizeof(name), "%020llu-%s" SUFFIX, next_stamp(&none), report_id);
	if ((size_t)snprintf(rname, sizeof(rname), "%s.reason", name) >= sizeof(rname))
		return -ENAMETOOLONG;
	snprintf(hdr, sizeof(hdr), "AMTACT-SPOOL 1 %zu %08x\n", len, spool_fs_crc32(body, len));
	reason_text(why, sizeof(why), srv, &fr->last);
	lock = spool_fs_lock(sp->dir, ".lock", OS_LOCK_SH);
	if (lock >= 0 && spool_fs_write_atomic(sp->dead, rname, NULL, why, strlen(why), 0) == 0 &&
	    spool_fs_write_atomic(sp->dead, name, hdr, body, len, 0) == 0) {
		fr->dead++;
		*saved = 1;
	}
	if (lock >= 0)
		os_close(lock);
	return ret;
}

int spool_submit(struct spool *sp, const struct report_server *srv, const char *report_id,
		 const void *body, size_t len, struct spool_flush_result *fr, int *saved)
{
	int ret;

	*saved = 0;
	memset(fr, 0, sizeof(*fr));
	ret = spool_put(sp, report_id, body, len);
	if (ret == -ENOSPC) {
		spool_flush(sp, srv, fr);
		ret = spool_put(sp, report_id, body, len);
	}
	if (ret == -EINVAL || ret == -EMSGSIZE)
		return ret;
	if (ret < 0 && ret != -EEXIST) {
		int put_err = ret;

		ret = submit_direct(sp, srv, report_id, body, len, fr, saved);
		if (*saved && sp->on_saved)
			sp->on_saved(report_id, sp->on_saved_arg);
		return *saved ? ret : put_err;
	}
	*saved = 1;
	if (sp->on_saved)
		sp->on_saved(report_id, sp->on_saved_arg);
	return spool_flush(sp, srv, fr);
}

struct requeue {
	struct spool *sp;
	const char *id;
	unsigned count, skipped, matched;
	int err;
};

static int requeue_one(const char *name, const char *report_id, void *arg)
{
	struct requeue *q = arg;
	char rname[OS_NAME_MAX + 1];
	struct os_stat st;

	if (q->id && strcmp(q->id, report_id) != 0)
		return 0;
	q->matched++;
	if (os_stat_at(q->sp->dead, name, &st) < 0 || st.type != OS_TYPE_FILE) {
		q->skipped++;
		return 0;
	}
	if (os_stat_at(q->sp->dir, name, &st) == 0) {
		q->err = -EEXIST;
		return 1;
	}
	q->err = os_rename_at(q->sp->dead, name, q->sp->dir, name);
	if (q->err < 0)
		return 1;
	snprintf(rname, sizeof(rname), "%s.reason", name);
	os_unlink_at(q->sp->dead, rname);
	q->count++;
	return 0;
}

int spool_requeue(struct spool *sp, const char *report_id, unsigned *count,
		  unsigned *skipped)
{
	struct requeue q = { sp, report_id, 0, 0, 0, 0 };
	int lock, ret;

	lock = spool_fs_lock(sp->dir, ".lock", OS_LOCK_SH);
	if (lock < 0)
		return lock;
	ret = spool_foreach(sp, 1, requeue_one, &q);
	if (ret == 0)
		ret = q.err;
	if (ret == 0 && report_id && q.matched == 0)
		ret = -ENOENT;
	if (q.count && ret == 0)
		ret = os_dir_sync(sp->dead);
	if (q.count && ret == 0)
		ret = os_dir_sync(sp->dir);
	os_close(lock);
	*count = q.count;
	*skipped = q.skipped;
	return ret;
}

int spool_exit_code(int flush_ret, const struct spool_flush_result *fr)
{
	if (flush_ret == -EAGAIN && (fr->last.cls == REPORT_TLS || fr->last.cls == REPORT_CONFIG))
		return EXIT_DELIVERY_CONFIG;
	if (fr->dead || fr->corrupt)
		return EXIT_REPORT_REJECTED;
	switch (flush_ret) {
	case 0:
		return EXIT_OK;
	case -EAGAIN:
		return EXIT_QUEUED;
	case -EBUSY:
		return EXIT_BUSY;
	case -EACCES:
	case -EPERM:
		return EXIT_PERMISSION;
	default:
		return EXIT_FAILURE_INTERNAL;
	}
}
