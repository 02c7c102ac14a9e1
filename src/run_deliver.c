// SPDX-License-Identifier: MIT
/* Delivering the run's report: to the server (spool first, oldest first), a file or the spool. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amt.h"
#include "exitcodes.h"
#include "msg.h"
#include "os.h"
#include "run_deliver.h"
#include "run_otp.h"
#include "run_report.h"
#include "spool.h"

const char *run_delivery_outcome_name(enum run_delivery_outcome o)
{
	static const char *const names[] = {
		[RUN_QUIET] = "quiet",
		[RUN_DELIVERED] = "delivered",
		[RUN_QUEUED] = "queued",
		[RUN_DEAD] = "dead_letter",
		[RUN_NOT_SAVED] = "not_saved",
		[RUN_WRITTEN] = "written",
		[RUN_DRY_RUN] = "dry_run",
	};

	return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}

/* Every pin of the profile, in curl's "sha256//A;sha256//B" form (key rotation). */
static const char *pins_of(const struct profile_server *p, char *buf, size_t cap)
{
	size_t at = 0;

	if (!p->pin_count)
		return NULL;
	buf[0] = '\0';
	for (unsigned i = 0; i < p->pin_count; i++) {
		int n = snprintf(buf + at, cap - at, "%ssha256//%s", i ? ";" : "",
				 p->pin_sha256[i]);

		if (n < 0 || (size_t)n >= cap - at)
			return p->pin_sha256[0];
		at += (size_t)n;
	}
	return buf;
}

void run_deliver_server(const struct profile_server *p, struct report_server *s, char *pins,
			size_t pins_cap)
{
	report_server_init(s);
	s->url = p->url;
	s->ca_file = p->ca_file;
	s->pin_sha256 = pins_of(p, pins, pins_cap);
	s->client_cert = p->client_cert;
	s->client_key = p->client_key;
	s->token_file = p->token_file;
	s->proxy = p->proxy;
	s->connect_timeout_ms = p->connect_timeout_ms;
	s->total_timeout_ms = p->timeout_ms;
	s->max_attempts = p->max_attempts;
	s->backoff_base_ms = p->backoff_base_ms;
	s->backoff_max_ms = p->backoff_max_ms;
}

/*
 * A building's PCs boot together: the first attempt waits a random part of
 * server.first_delay_max_ms, so that their reports do not all reach the server at once.
 * The report is in the spool before the wait (the session waits, not the run).
 */
static long first_delay_ms(const struct profile_server *p)
{
	uint32_t rnd = 0;
	long ms;

	if (!p->first_delay_max_ms)
		return 0;
	if (os_random(&rnd, sizeof(rnd), OS_RANDOM_NOWAIT) < 0)
		rnd = (uint32_t)os_getpid() * 2654435761u;
	ms = (long)(rnd % (p->first_delay_max_ms + 1u));
	msg_info("the first attempt waits %ld ms (a random part of server.first_delay_max_ms, "
		 "%u ms, to spread the reports of PCs that boot together)", ms,
		 p->first_delay_max_ms);
	return ms;
}

/*
 * Create a private temporary file next to `path`. Its name is not guessable and it must be
 * new (O_EXCL): a file planted there beforehand (the report may carry the OTP) is never
 * written to nor renamed into place.
 */
static int create_tmp(const char *path, char *tmp, size_t cap)
{
	unsigned int r = 0;

	for (int tries = 0; tries < 8; tries++) {
		int fd;

		if (os_random(&r, sizeof(r), 0) < 0)
			return -EIO;
		if ((size_t)snprintf(tmp, cap, "%s.tmp.%ld.%08x", path, os_getpid(), r) >= cap)
			return -ENAMETOOLONG;
		fd = os_open(tmp, OS_WRONLY | OS_CREATE | OS_EXCL);
		if (fd != -EEXIST)
			return fd;
	}
	return -EEXIST;
}

static int write_file(const char *path, const char *body, size_t len)
{
	char tmp[4096];
	int fd, rc, c;

	fd = create_tmp(path, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	rc = os_write_all(fd, body, len);
	if (rc == 0)
		rc = os_fsync(fd);
	c = os_close(fd);
	if (c != 0 && rc == 0)
		rc = c;
	if (rc == 0)
		rc = os_rename_at(NULL, tmp, NULL, path);
	if (rc)
		os_unlink_at(NULL, tmp);
	return rc;
}

static void report_saved(const char *report_id, void *arg)
{
	(void)report_id;
	run_otp_saved(arg);
}

/* Why the spool could not be opened: the component refused (as root), else the error. */
static const char *spool_why(int rc)
{
	if ((rc == -EPERM || rc == -ELOOP) && os_path_refusal()[0])
		return os_path_refusal();
	return strerror(-rc);
}

static int spool_exit(int rc)
{
	return rc == -EPERM || rc == -EACCES || rc == -ELOOP ? EXIT_PERMISSION :
							       EXIT_FAILURE_INTERNAL;
}

static int to_server(struct run *r, struct run_delivery *d, const char *body, size_t len)
{
	struct report_server srv;
	struct spool_flush_result fr;
	struct spool sp;
	char pins[400];
	int saved = 0, rc;

	run_deliver_server(&r->prof.server, &srv, pins, sizeof(pins));
	srv.first_delay_ms = first_delay_ms(&r->prof.server);
	rc = spool_open(&sp, r->prof.spool_dir, NULL);
	if (rc < 0) {
		snprintf(d->message, sizeof(d->message), "spool %s: %s; report NOT saved",
			 r->prof.spool_dir, spool_why(rc));
		d->outcome = RUN_NOT_SAVED;
		return spool_exit(rc);
	}
	sp.on_saved = report_saved;
	sp.on_saved_arg = r;
	rc = spool_submit(&sp, &srv, r->id, body, len, &fr, &saved);
	spool_close(&sp);
	msg_debug("delivery: the last attempt: TCP %.1f ms, TLS %.1f ms, server %.1f ms, all "
		  "%.1f ms", fr.last.tcp_us / 1000.0, fr.last.tls_us / 1000.0,
		  fr.last.server_us / 1000.0, fr.last.total_us / 1000.0);
	d->saved = saved;
	d->waiting = fr.remaining;
	if (!saved) {
		d->outcome = RUN_NOT_SAVED;
		snprintf(d->message, sizeof(d->message), "report NOT saved: %s (%s)",
			 strerror(-rc), fr.last.message);
		return EXIT_FAILURE_INTERNAL;
	}
	if (rc == 0 && fr.dead == 0) {
		d->outcome = RUN_DELIVERED;
		snprintf(d->message, sizeof(d->message), "delivered to %s (%u report%s sent)",
			 srv.url, fr.delivered, fr.delivered == 1 ? "" : "s");
	} else if (fr.dead > 0 && strcmp(fr.last_id, r->id) == 0) {
		d->outcome = RUN_DEAD;
		snprintf(d->message, sizeof(d->message), "refused by the server, kept in %s/dead: %s",
			 r->prof.spool_dir, fr.last.message);
	} else if (rc == -EBUSY) {
		/* Saved; another amtact is sending the spool now and takes this one too. */
		d->outcome = RUN_QUEUED;
		snprintf(d->message, sizeof(d->message), "queued in %s; another amtact is sending "
			 "the spool now", r->prof.spool_dir);
		return EXIT_QUEUED;
	} else {
		d->outcome = rc == 0 ? RUN_DELIVERED : RUN_QUEUED;
		snprintf(d->message, sizeof(d->message), "%s (%u waiting in %s): %s",
			 rc == 0 ? "delivered" : "queued for the next run", fr.remaining,
			 r->prof.spool_dir, fr.last.message);
	}
	return spool_exit_code(rc, &fr);
}

static int deliver_body(struct run *r, struct run_delivery *d, const char *body, size_t len)
{
	struct spool sp;
	int rc;

	if (r->prof.server.present)
		return to_server(r, d, body, len);
	if (r->prof.report_file) {
		rc = write_file(r->prof.report_file, body, len);
		d->saved = rc == 0;
		if (d->saved)
			run_otp_saved(r);
		d->outcome = rc == 0 ? RUN_WRITTEN : RUN_NOT_SAVED;
		snprintf(d->message, sizeof(d->message), "%s %s%s%s", rc == 0 ? "written to" :
			 "report NOT saved: writing", r->prof.report_file, rc ? ": " : "",
			 rc ? strerror(-rc) : "");
		return rc == 0 ? EXIT_OK : EXIT_FAILURE_INTERNAL;
	}
	rc = spool_open(&sp, r->prof.spool_dir, NULL);
	if (rc == 0) {
		rc = spool_put(&sp, r->id, body, len);
		spool_close(&sp);
	}
	d->saved = rc == 0;
	if (d->saved)
		run_otp_saved(r);
	d->outcome = rc == 0 ? RUN_QUEUED : RUN_NOT_SAVED;
	snprintf(d->message, sizeof(d->message), "%s %s%s%s", rc == 0 ? "kept in the spool" :
		 "report NOT saved: spool", r->prof.spool_dir, rc ? ": " : "", rc ? spool_why(rc) : "");
	return rc == 0 ? EXIT_QUEUED : spool_exit(rc);
}

/*
 * Nothing done, nothing gone wrong, and none of the facts of the last report changed
 * (run_facts.h); a state file of an older agent has only the digest of the ME's facts.
 */
static bool quiet(const struct run *r, const struct run_delivery *d)
{
	if (r->acted || r->refused || r->failed || r->unprovisioned_since || !r->st.present)
		return false;
	if (r->st.reported.known)
		return r->change_count == 0;
	return strcmp(r->st.reported_fingerprint, d->fingerprint) == 0;
}

/*
 * Nothing new to report, but reports of earlier runs may still wait for the server (it was
 * down): deliver them now, oldest first, rather than leave them until the box changes.
 */
static int flush_queue(struct run *r, struct run_delivery *d)
{
	struct report_server srv;
	struct spool_flush_result fr;
	struct spool_stats st = { 0 };
	struct spool sp;
	char pins[400];
	size_t at;
	int rc;

	d->outcome = RUN_QUIET;
	at = (size_t)snprintf(d->message, sizeof(d->message), "nothing new since report %s",
			      r->st.reported_id);
	if (!r->prof.server.present || r->dry_run || at >= sizeof(d->message))
		return EXIT_NOTHING_TO_DO;
	rc = spool_open(&sp, r->prof.spool_dir, NULL);
	if (rc < 0) {
		msg_warn("spool %s: %s (queued reports not sent)", r->prof.spool_dir,
			 spool_why(rc));
		return EXIT_NOTHING_TO_DO;
	}
	rc = spool_stat(&sp, &st);
	d->waiting = rc < 0 ? 0 : st.count;
	if (rc < 0 || st.count == 0) {
		spool_close(&sp);
		return EXIT_NOTHING_TO_DO;
	}
	run_deliver_server(&r->prof.server, &srv, pins, sizeof(pins));
	srv.first_delay_ms = first_delay_ms(&r->prof.server);
	rc = spool_flush(&sp, &srv, &fr);
	spool_close(&sp);
	if (rc == -EBUSY) {
		snprintf(d->message + at, sizeof(d->message) - at, "; earlier reports wait in %s "
			 "(another amtact is sending them now)", r->prof.spool_dir);
		return EXIT_QUEUED;
	}
	d->waiting = fr.remaining;
	snprintf(d->message + at, sizeof(d->message) - at, "; earlier reports: %u delivered, "
		 "%u refused, %u waiting%s%s", fr.delivered, fr.dead + fr.corrupt, fr.remaining,
		 rc < 0 ? ": " : "", rc < 0 ? fr.last.message : "");
	return spool_exit_code(rc, &fr);
}

/* What the report says; taken once everything, errors included, is known. */
static void report_in(const struct run *r, struct run_report_in *in)
{
	in->report_id = r->id;
	in->profile = r->prof.name;
	in->system_name = r->system_name;
	in->info = r->me_rc == 0 || r->me_rc == -ENODATA ? r->info : NULL;
	in->actions = r->actions;
	in->action_count = r->action_count;
	in->errors = r->errors;
	in->error_count = r->error_count;
	in->me_error = r->me_err.msg[0] ? r->me_err.msg : NULL;
	in->me_device = r->no_device ? &r->medev : NULL;
	in->unprovisioned_since_last_run = r->unprovisioned_since;
	in->changes = r->changes;
	in->change_count = r->change_count;
	in->facts = &r->facts;
	in->identity = run_facts_identity(&r->facts, in->info);
	in->pre = r->pre;
	in->checked = r->checked;
	in->blocked = r->blocked;
}

static int deliver(struct run *r, struct run_delivery *d)
{
	struct run_report_in in = { 0 };
	char *body = NULL;
	size_t len = 0;
	int secret = 0, code = EXIT_FAILURE_INTERNAL;
	bool otp;

	run_report_fingerprint(r->info, d->fingerprint);
	run_facts_collect(&r->facts, r->me_rc, r->info);
	if (r->no_device)
		run_facts_no_device(&r->facts, r->medev.absence);
	r->change_count = run_facts_diff(&r->st.reported, &r->facts, r->changes);
	for (size_t i = 0; i < r->change_count; i++)
		msg_info("changed since the last report: %s: \"%s\" -> \"%s\"",
			 run_fact_key(r->changes[i].fact), r->changes[i].old, r->changes[i].now);
	if (quiet(r, d))
		return flush_queue(r, d);
	if (r->dry_run) {
		d->outcome = RUN_DRY_RUN;
		snprintf(d->message, sizeof(d->message), "dry run: the report was not sent");
		return EXIT_OK;
	}
	/* Something new: the report describes the whole state (r->info is r->first unless
	   the run acted, which completed it first). */
	run_me_complete(r);
	/* A server-assigned OTP is not sent back to the server it came from; the others were
	 * sealed before they were sent (run_otp_begin): never in plaintext then. */
	otp = r->otp_sent && r->prof.otp.policy != PROFILE_OTP_SERVER;
	report_in(r, &in);
	body = run_report_body(&in, otp ? &r->otp : NULL, r->otp_cms, &len, &secret);
	if (!body) {
		snprintf(d->message, sizeof(d->message), "report NOT saved: out of memory");
		return code;
	}
	code = deliver_body(r, d, body, len);
	if (secret)
		explicit_bzero(body, len);
	free(body);
	if (d->outcome == RUN_NOT_SAVED)
		msg_error("%s", d->message);
	else if (code == EXIT_DELIVERY_CONFIG)
		msg_error("report %s: %s (the server cannot be used as configured; no retry cures "
			  "that: fix the profile's server settings)", r->id, d->message);
	else
		msg_info("report %s: %s", r->id, d->message);
	return code;
}

/*
 * "delivery": "must": the run succeeds only when the server has the report (and every report
 * that waited before it). One left in the spool, or refused into its dead/ area, fails the
 * run with exit 15: on a live boot medium the spool is a RAM disk, gone at the restart. It
 * is still kept there, so trying again before the restart sends it, OTP included.
 */
static int must_deliver(const struct run *r, struct run_delivery *d, int code)
{
	size_t at = strlen(d->message);

	if (r->prof.delivery != PROFILE_DELIVERY_MUST ||
	    (code != EXIT_QUEUED && code != EXIT_REPORT_REJECTED))
		return code;
	snprintf(d->message + at, sizeof(d->message) - at, "; NOT delivered, and the profile says "
		 "\"delivery\": \"must\" (kept in %s only until the restart)", r->prof.spool_dir);
	msg_error("%s", d->message);
	return EXIT_NOT_DELIVERED;
}

int run_deliver(struct run *r, struct run_delivery *d)
{
	return must_deliver(r, d, deliver(r, d));
}
