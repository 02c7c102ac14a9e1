// SPDX-License-Identifier: MIT
/* Delivering the run's report (spool first, oldest first) and the run's summary output. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "amt.h"
#include "cmd_common.h"
#include "exitcodes.h"
#include "info.h"
#include "msg.h"
#include "run_deliver.h"
#include "run_report.h"
#include "seal.h"
#include "spool.h"

static const char *const outcome_names[] = {
	"quiet", "delivered", "queued", "dead_letter", "not_saved", "written", "dry_run",
};

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

static void server_of(const struct profile_server *p, struct report_server *s, char *pins,
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
 * Create a private temporary file next to `path`. Its name is not guessable and it must be
 * new (O_EXCL): a file planted there beforehand (the report may carry the OTP) is never
 * written to nor renamed into place.
 */
static int create_tmp(const char *path, char *tmp, size_t cap)
{
	unsigned int r = 0;

	for (int tries = 0; tries < 8; tries++) {
		int fd;

		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -EIO;
		if ((size_t)snprintf(tmp, cap, "%s.tmp.%ld.%08x", path, (long)getpid(), r) >= cap)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

static int write_file(const char *path, const char *body, size_t len)
{
	char tmp[PATH_MAX];
	int fd, rc = 0;

	fd = create_tmp(path, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	while (len && rc == 0) {
		ssize_t n = write(fd, body, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = n < 0 ? -errno : -EIO;
		else {
			body += n;
			len -= (size_t)n;
		}
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

static int to_server(struct run *r, struct run_delivery *d, const char *body, size_t len)
{
	struct report_server srv;
	struct spool_flush_result fr;
	struct spool sp;
	char pins[400];
	int saved = 0, rc;

	server_of(&r->prof.server, &srv, pins, sizeof(pins));
	rc = spool_open(&sp, r->prof.spool_dir, NULL);
	if (rc < 0) {
		snprintf(d->message, sizeof(d->message), "spool %s: %s; report NOT saved",
			 r->prof.spool_dir, strerror(-rc));
		d->outcome = RUN_NOT_SAVED;
		return rc == -EPERM || rc == -EACCES ? EXIT_PERMISSION : EXIT_FAILURE_INTERNAL;
	}
	rc = spool_submit(&sp, &srv, r->id, body, len, &fr, &saved);
	spool_close(&sp);
	d->saved = saved;
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
	d->outcome = rc == 0 ? RUN_QUEUED : RUN_NOT_SAVED;
	snprintf(d->message, sizeof(d->message), "%s %s%s%s", rc == 0 ? "kept in the spool" :
		 "report NOT saved: spool", r->prof.spool_dir, rc ? ": " : "", rc ? strerror(-rc) : "");
	return rc == 0 ? EXIT_QUEUED : EXIT_FAILURE_INTERNAL;
}

static bool quiet(const struct run *r, const struct run_delivery *d)
{
	return !r->acted && !r->refused && !r->failed && !r->unprovisioned_since &&
	       r->st.present && strcmp(r->st.reported_fingerprint, d->fingerprint) == 0;
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
			 strerror(-rc));
		return EXIT_NOTHING_TO_DO;
	}
	rc = spool_stat(&sp, &st);
	if (rc < 0 || st.count == 0) {
		spool_close(&sp);
		return EXIT_NOTHING_TO_DO;
	}
	server_of(&r->prof.server, &srv, pins, sizeof(pins));
	rc = spool_flush(&sp, &srv, &fr);
	spool_close(&sp);
	snprintf(d->message + at, sizeof(d->message) - at, "; earlier reports: %u delivered, "
		 "%u refused, %u waiting%s%s", fr.delivered, fr.dead + fr.corrupt, fr.remaining,
		 rc < 0 ? ": " : "", rc < 0 ? fr.last.message : "");
	return spool_exit_code(rc, &fr);
}

int run_deliver(struct run *r, struct run_delivery *d)
{
	struct run_report_in in = { r->id, r->prof.name, r->system_name,
				    r->me_rc == 0 || r->me_rc == -ENODATA ? r->info : NULL,
				    r->actions, r->errors, r->me_error[0] ? r->me_error : NULL,
				    r->unprovisioned_since };
	char *cms = NULL, *body = NULL;
	size_t cms_len = 0, len = 0;
	int secret = 0, code = EXIT_FAILURE_INTERNAL, rc;
	cJSON *doc;

	run_report_fingerprint(r->info, d->fingerprint);
	if (quiet(r, d))
		return flush_queue(r, d);
	if (r->dry_run) {
		d->outcome = RUN_DRY_RUN;
		snprintf(d->message, sizeof(d->message), "dry run: the report was not sent");
		return EXIT_OK;
	}
	if (r->otp_sent && r->prof.server.report_cert) {
		rc = seal_to_cert_file(r->prof.server.report_cert, r->otp.buf, r->otp.len, &cms,
				       &cms_len);
		if (rc < 0) {
			/* Never fall back to plaintext when the profile asked for sealing. */
			run_error(r, "report", "sealing the OTP to %s failed: %s; the OTP is left "
				  "out of the report", r->prof.server.report_cert, strerror(-rc));
			secret_wipe(&r->otp);
		}
	}
	doc = run_report_doc(&in);
	body = doc ? run_report_body(doc, r->otp_sent ? &r->otp : NULL, cms, &len, &secret) :
		     NULL;
	cJSON_Delete(doc);
	free(cms);
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
	else
		msg_info("report %s: %s", r->id, d->message);
	return code;
}

static void summary_json(cJSON *o, const struct me_info *in, bool ok)
{
	if (!ok) {
		cJSON_AddNullToObject(o, "provisioning_state");
		cJSON_AddNullToObject(o, "control_mode");
		return;
	}
	cJSON_AddStringToObject(o, "provisioning_state", in->prov_state_item.state == ME_ITEM_OK ?
				amt_prov_state_name(in->prov_state) : "unknown");
	cJSON_AddStringToObject(o, "control_mode", in->control_mode_item.state == ME_ITEM_OK ?
				amt_control_mode_name(in->control_mode) : "unknown");
}

static void print_json(const struct run *r, const struct run_delivery *d, int code)
{
	cJSON *doc = cJSON_CreateObject(), *rep;
	bool ok = r->me_rc == 0;

	cJSON_AddNumberToObject(doc, "schema_version", INFO_SCHEMA_VERSION);
	cJSON_AddStringToObject(doc, "run_id", r->id);
	cJSON_AddStringToObject(doc, "profile", r->prof.name);
	cJSON_AddStringToObject(doc, "system_name", r->system_name);
	summary_json(cJSON_AddObjectToObject(doc, "found"), r->first, ok);
	summary_json(cJSON_AddObjectToObject(doc, "now"), r->info, ok);
	cJSON_AddBoolToObject(doc, "amt_disabled", r->me_rc == -ENODATA);
	cJSON_AddItemReferenceToObject(doc, "actions", r->actions);
	cJSON_AddItemReferenceToObject(doc, "errors", r->errors);
	rep = cJSON_AddObjectToObject(doc, "report");
	cJSON_AddStringToObject(rep, "id", r->id);
	cJSON_AddStringToObject(rep, "outcome", outcome_names[d->outcome]);
	cJSON_AddStringToObject(rep, "message", d->message);
	cJSON_AddNumberToObject(doc, "exit_code", code);
	cJSON_AddStringToObject(doc, "exit_name", amtact_exit_name(code));
	cmd_print_json(doc);
}

static void print_action(const cJSON *a)
{
	const cJSON *op = cJSON_GetObjectItem(a, "operation");
	const cJSON *outcome = cJSON_GetObjectItem(a, "outcome");
	const cJSON *why = cJSON_GetObjectItem(a, "reason");
	const cJSON *status = cJSON_GetObjectItem(a, "status_name");
	const cJSON *c;

	printf("  %-18s %s", op->valuestring, outcome->valuestring);
	if (cJSON_IsString(status) && strcmp(status->valuestring, "SUCCESS") != 0)
		printf(" (%s)", status->valuestring);
	if (cJSON_IsString(why))
		printf(": %s", why->valuestring);
	printf("\n");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(a, "changes")) {
		const char *before = cJSON_GetObjectItem(c, "before")->valuestring;
		const char *after = cJSON_GetObjectItem(c, "after")->valuestring;

		printf("  %-18s   %s: %s -> %s\n", "", cJSON_GetObjectItem(c, "item")->valuestring,
		       before[0] ? before : "(none)", after[0] ? after : "(none)");
	}
}

/* The state in the "Found:" line: anything but in provisioning or provisioned reads "not
 * provisioned", as the line always said (also when the state could not be read). */
static const char *prov_state_words(enum amt_prov_state v)
{
	if (v != AMT_PROV_STATE_IN && v != AMT_PROV_STATE_POST)
		v = AMT_PROV_STATE_PRE;
	return amt_prov_state_text(v);
}

static void print_found(const struct run *r)
{
	const struct me_info *in = r->first;
	const char *version = "(version unknown)";
	char uuid[37];

	if (r->found_disabled)
		printf("Found: Intel AMT is disabled\n");
	if (r->me_rc == -ENODATA)
		return;
	if (r->me_rc < 0) {
		printf("Found: no usable ME: %s\n", r->me_error);
		return;
	}
	amt_uuid_str(in->uuid, uuid);
	for (uint32_t i = 0; i < in->versions.count && i < AMT_VERSIONS_MAX; i++)
		if (strcmp(in->versions.v[i].desc, "AMT") == 0)
			version = in->versions.v[i].ver;
	printf("%s AMT %s, %s, control mode %s, zero touch %s, PKI DNS suffix \"%s\"\n",
	       r->found_disabled ? "Enabled:" : "Found:", version,
	       prov_state_words(in->prov_state), amt_control_mode_name(in->control_mode),
	       in->zero_touch ? "enabled" : "disabled", in->pki_suffix);
	printf("       UUID %s%s\n", uuid, amt_uuid_invalid(in->uuid) ? " (INVALID)" : "");
}

/* What happens next, in one or two lines for the person who reads the console. */
static void print_next(const struct run *r, const struct run_delivery *d, int code)
{
	const struct me_info *in = r->info;
	time_t until = (time_t)run_state_hello_until(&r->st);
	char stamp[32];
	struct tm tm;

	printf("Next: ");
	if (r->me_rc < 0 && r->me_rc != -ENODATA)
		printf("nothing amtact can do on this machine: %s\n", r->me_error);
	else if (r->me_rc == -ENODATA || in->amt_disabled)
		printf("enable Intel AMT in the BIOS/MEBx%s\n",
		       r->prof.enable_amt ? "" : ", or set \"enable_amt\": true in the profile");
	else if (code == EXIT_REFUSED || code == EXIT_FIRMWARE)
		printf("see what was refused above; fix the profile or the box and run again\n");
	else if (in->prov_state == AMT_PROV_STATE_POST)
		printf("nothing: the box is provisioned (control mode %s)\n",
		       amt_control_mode_name(in->control_mode));
	else if (until > r->now && in->prov_state == AMT_PROV_STATE_IN) {
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", gmtime_r(&until, &tm));
		printf("the box sends hello packets to ProvisionServer.%s until about %s;\n"
		       "      the provisioning server can now configure it\n",
		       in->pki_suffix[0] ? in->pki_suffix : "<DHCP option 15 domain>", stamp);
	} else
		printf("nothing until the next run\n");
	if (d->outcome == RUN_QUEUED)
		printf("      the report is sent at the next run (or: amtact report --flush)\n");
	else if (d->outcome == RUN_DEAD || d->outcome == RUN_NOT_SAVED)
		printf("      the report did not reach the server: see the message above\n");
}

void run_print(const struct run *r, const struct run_delivery *d, int code, int json)
{
	const cJSON *a;

	if (json) {
		print_json(r, d, code);
		return;
	}
	printf("amtact run: profile %s, run %s%s\n", r->prof.name, r->id,
	       r->dry_run ? " (dry run)" : "");
	print_found(r);
	printf("Did:%s\n", cJSON_GetArraySize(r->actions) ? "" : " nothing");
	cJSON_ArrayForEach(a, r->actions)
		print_action(a);
	printf("Report: %s: %s\n", outcome_names[d->outcome], d->message);
	if (!r->dry_run)
		print_next(r, d, code);
	printf("Result: %s (exit %d)\n", code == EXIT_OK ? "done" : amtact_exit_meaning(code),
	       code);
}
