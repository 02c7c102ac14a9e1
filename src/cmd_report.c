// SPDX-License-Identifier: MIT
/* `amtact report`: flush, submit and list the report spool (for tests and administrators). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "cmds.h"
#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"
#include "os.h"
#include "profile.h"
#include "report.h"
#include "run_deliver.h"
#include "run_state.h"
#include "secret.h"
#include "spool.h"


struct report_args {
	const char *spool_dir;
	const char *submit;  /* file with a ready report body, "-" for stdin */
	const char *id;      /* its report id */
	const char *profile; /* --flush --profile: spool, server and lock of that profile */
	const char *requeue; /* a dead letter's report id, or "all" */
	int flush;
	int list;
	int json;
	struct spool_limits lim;
	struct report_server srv;
};

static void usage(void)
{
	fputs("usage: amtact report --flush [--spool DIR] --server URL [options]\n"
	      "       amtact report --flush --profile NAME|FILE\n"
	      "       amtact report --submit FILE|- --id ID [--spool DIR] --server URL [options]\n"
	      "       amtact report --list [--spool DIR | --profile NAME|FILE]\n"
	      "       amtact report --requeue ID|all [--spool DIR | --profile NAME|FILE]\n"
	      "       (every form takes --json)\n"
	      "options: --ca FILE --pin SHA256 --cert FILE --key FILE --token-file FILE\n"
	      "         --proxy URL --connect-timeout MS --timeout MS --attempts N\n"
	      "         --backoff MS --backoff-max MS --retry-after-max MS\n"
	      "         --max-count N --max-bytes N\n", stderr);
}

static int parse_num(const char *s, const char *opt, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || *end || end == s || *out < 0) {
		msg_error("bad value for %s: \"%s\" (expected a non-negative number)", opt, s);
		return -1;
	}
	return 0;
}

static int set_number(struct report_args *a, int opt, const char *arg)
{
	static const char *const names[] = { "--connect-timeout", "--timeout", "--attempts",
					     "--backoff", "--backoff-max", "--retry-after-max",
					     "--max-count", "--max-bytes" };
	long long v;

	if (parse_num(arg, names[opt - 'A'], &v) < 0)
		return -1;
	switch (opt) {
	case 'A': a->srv.connect_timeout_ms = (long)v; break;
	case 'B': a->srv.total_timeout_ms = (long)v; break;
	case 'C': a->srv.max_attempts = (unsigned)v; break;
	case 'D': a->srv.backoff_base_ms = (long)v; break;
	case 'E': a->srv.backoff_max_ms = (long)v; break;
	case 'F': a->srv.retry_after_max_ms = (long)v; break;
	case 'G': a->lim.max_count = (unsigned)v; break;
	default: a->lim.max_bytes = (unsigned long long)v; break;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{ "flush", no_argument, NULL, 'f' }, { "list", no_argument, NULL, 'l' },
		{ "submit", required_argument, NULL, 's' }, { "id", required_argument, NULL, 'i' },
		{ "spool", required_argument, NULL, 'S' }, { "server", required_argument, NULL, 'u' },
		{ "ca", required_argument, NULL, 'c' }, { "pin", required_argument, NULL, 'p' },
		{ "cert", required_argument, NULL, 'e' }, { "key", required_argument, NULL, 'k' },
		{ "token-file", required_argument, NULL, 't' },
		{ "proxy", required_argument, NULL, 'x' },
		{ "connect-timeout", required_argument, NULL, 'A' },
		{ "timeout", required_argument, NULL, 'B' },
		{ "attempts", required_argument, NULL, 'C' },
		{ "backoff", required_argument, NULL, 'D' },
		{ "backoff-max", required_argument, NULL, 'E' },
		{ "retry-after-max", required_argument, NULL, 'F' },
		{ "max-count", required_argument, NULL, 'G' },
		{ "max-bytes", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "profile", required_argument, NULL, 'P' },
		{ "requeue", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': a->flush = 1; break;
		case 'l': a->list = 1; break;
		case 's': a->submit = optarg; break;
		case 'i': a->id = optarg; break;
		case 'S': a->spool_dir = optarg; break;
		case 'u': a->srv.url = optarg; break;
		case 'c': a->srv.ca_file = optarg; break;
		case 'p': a->srv.pin_sha256 = optarg; break;
		case 'e': a->srv.client_cert = optarg; break;
		case 'k': a->srv.client_key = optarg; break;
		case 't': a->srv.token_file = optarg; break;
		case 'x': a->srv.proxy = optarg; break;
		case 'j': a->json = 1; break;
		case 'P': a->profile = optarg; break;
		case 'r': a->requeue = optarg; break;
		case 'h': usage(); return 1;
		default:
			if (c >= 'A' && c <= 'H' && set_number(a, c, optarg) == 0)
				break;
			usage();
			return -1;
		}
	}
	return 0;
}

static int check_args(const struct report_args *a, int argc, char **argv)
{
	if (optind < argc) {
		msg_error("unexpected argument \"%s\" (see amtact report --help)", argv[optind]);
		return -1;
	}
	if (a->flush + a->list + (a->submit != NULL) + (a->requeue != NULL) != 1) {
		msg_error("give exactly one of --flush, --submit, --list or --requeue (see amtact "
			  "report --help)");
		return -1;
	}
	if (a->requeue && strcmp(a->requeue, "all") != 0 && !report_id_valid(a->requeue)) {
		msg_error("--requeue \"%s\": not a report id (see amtact report --list) nor "
			  "\"all\"", a->requeue);
		return -1;
	}
	if (a->submit && !a->id) {
		msg_error("--submit needs --id (the report id, stable across retries)");
		return -1;
	}
	if (!a->list && !a->requeue && !a->srv.url) {
		msg_error("no interim server: give --server https://... (from the profile)");
		return -1;
	}
	if (!a->list && !a->requeue && strncasecmp(a->srv.url, "https://", 8) != 0) {
		msg_error("server URL %s: only https:// is allowed (reports may carry secrets)",
			  a->srv.url);
		return -1;
	}
	return 0;
}

/* The body may hold a sealed or even a plain OTP: our buffer, wiped by the caller. */
static int read_body(const char *path, char **body, size_t *len, size_t max)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : os_fopen(path, "re");
	size_t cap = 0, n;
	char *p = NULL, *q;
	int ret = -EMSGSIZE;

	*len = 0;
	if (!f)
		return -errno;
	for (;;) {
		if (*len == cap) {
			if (cap > max)
				goto out;
			cap = cap ? cap * 2 : 4096;
			q = malloc(cap + 1);
			ret = -ENOMEM;
			if (!q)
				goto out;
			if (p) {
				memcpy(q, p, *len);
				secret_cleanse(p, *len);
				free(p);
			}
			p = q;
		}
		n = fread(p + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	ret = ferror(f) ? -EIO : *len > max ? -EMSGSIZE : 0;
out:
	if (f != stdin)
		fclose(f);
	if (ret < 0 && p) {
		secret_cleanse(p, *len);
		free(p);
		p = NULL;
	}
	*body = p;
	return ret;
}

static const char *hint_of(const struct report_result *res)
{
	switch (res->cls) {
	case REPORT_TEMPORARY:
		return "kept in the spool; sent at the next run or with amtact report --flush";
	case REPORT_TLS:
	case REPORT_CONFIG:
		return "nothing was sent; the report stays in the spool until the setting is fixed";
	case REPORT_PERMANENT:
	case REPORT_SET_ASIDE:
		return "kept in the spool's dead/ area with the reason; see amtact report --list";
	default:
		return "fix the setting; the report stays in the spool";
	}
}

static void on_result(const char *id, const struct report_result *res, void *arg)
{
	static int warned;

	(void)arg;
	if ((res->warnings & REPORT_WARN_TOKEN_MODE) && !warned++)
		msg_warn("the token file is %s", os_hint(OS_HINT_SECRET));
	if (res->cls == REPORT_DELIVERED)
		msg_info("report %s: %s", id, res->message);
	else if (res->cls == REPORT_PERMANENT)
		msg_error("server refused report %s: %s (%s)", id, res->message, hint_of(res));
	else
		msg_error("delivering report %s: %s (%s)", id, res->message, hint_of(res));
}

static void print_summary(const struct spool_flush_result *fr, int ret, int json)
{
	cJSON *o;

	if (!json) {
		printf("delivered %u, refused %u, corrupt %u, queued %u\n", fr->delivered,
		       fr->dead, fr->corrupt, fr->remaining);
		return;
	}
	o = cJSON_CreateObject();
	if (!o)
		return;
	cJSON_AddNumberToObject(o, "delivered", fr->delivered);
	cJSON_AddNumberToObject(o, "refused", fr->dead);
	cJSON_AddNumberToObject(o, "corrupt", fr->corrupt);
	cJSON_AddNumberToObject(o, "queued", fr->remaining);
	if (ret < 0 && fr->last_id[0]) {
		cJSON_AddStringToObject(o, "stopped_at", fr->last_id);
		cJSON_AddStringToObject(o, "class", report_class_name(fr->last.cls));
		cJSON_AddNumberToObject(o, "http_status", (double)fr->last.http_status);
		cJSON_AddStringToObject(o, "message", fr->last.message);
	}
	json_out_print_compact(o);
}

static int print_entry(const char *name, const char *id, void *arg)
{
	const struct spool *sp = arg;
	char path[PATH_MAX + 300], line[600];
	FILE *f;

	if (!sp) {
		printf("queued %s %s\n", id, name);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/dead/%s.reason", sp->path, name);
	printf("dead %s %s\n", id, name);
	f = os_fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		printf("  %s", line);
	if (f)
		fclose(f);
	return 0;
}

static int do_list(struct spool *sp)
{
	struct spool_stats st;
	int ret = spool_stat(sp, &st);

	if (ret == 0)
		ret = spool_foreach(sp, 0, print_entry, NULL);
	if (ret == 0)
		ret = spool_foreach(sp, 1, print_entry, sp);
	if (ret < 0) {
		msg_error("reading the spool %s: %s", sp->path, strerror(-ret));
		return EXIT_FAILURE_INTERNAL;
	}
	printf("%u queued (%llu bytes), %u dead\n", st.count, st.bytes, st.dead);
	return EXIT_OK;
}

static int finish_flush(struct spool *sp, int ret, const struct spool_flush_result *fr,
			int json)
{
	if (ret == -EBUSY)
		msg_error("flushing the spool %s: another amtact is flushing it (try again "
			  "when it is done)", sp->path);
	else if (ret < 0 && ret != -EAGAIN)
		msg_error("flushing the spool %s: %s (check the directory and the disk)",
			  sp->path, strerror(-ret));
	print_summary(fr, ret, json);
	return spool_exit_code(ret, fr);
}

static int do_submit(struct spool *sp, const struct report_args *a)
{
	struct spool_flush_result fr;
	char *body = NULL;
	size_t len = 0;
	int ret, saved = 0;

	ret = read_body(a->submit, &body, &len, sp->lim.max_report_bytes);
	if (ret < 0) {
		msg_error("reading the report %s: %s (give a JSON file up to %zu bytes)",
			  a->submit, strerror(-ret), sp->lim.max_report_bytes);
		return EXIT_BAD_INPUT;
	}
	ret = spool_submit(sp, &a->srv, a->id, body, len, &fr, &saved);
	secret_cleanse(body, len);
	free(body);
	if (ret == -EINVAL) {
		msg_error("report id \"%s\": invalid (1 to 64 of A-Z a-z 0-9 . _ -)", a->id);
		return EXIT_USAGE;
	}
	if (!saved) {
		msg_error("report %s NOT saved: %s, and the server did not take it (%s)", a->id,
			  ret == -ENOSPC ? "the spool is full" : strerror(-ret),
			  fr.last.message[0] ? fr.last.message : "no server reply");
		print_summary(&fr, ret, a->json);
		return EXIT_FAILURE_INTERNAL;
	}
	return finish_flush(sp, ret, &fr, a->json);
}

/*
 * --flush --profile NAME: what the flush timer runs. The spool and server come from the
 * profile and the flush holds the profile's run lock, so it never overlaps a run.
 */
static int use_profile(struct report_args *a, struct profile *p, char *pins, size_t cap)
{
	static const struct report_server none;
	struct profile_load_opts opts = { os_privileged(), 0 };
	char err[512];
	int rc;

	if (!(a->flush || a->list || a->requeue) || a->spool_dir ||
	    memcmp(&a->srv, &none, sizeof(none)) != 0) {
		msg_error("--profile goes with --flush and no other option (or with --list or "
			  "--requeue): the spool and the server settings come from the profile");
		return EXIT_USAGE;
	}
	rc = profile_load(p, a->profile, err, sizeof(err));
	if (rc == 0)
		rc = profile_check_files(p, &opts, err, sizeof(err));
	if (rc < 0) {
		msg_error("profile: %s", err);
		return rc == -EACCES ? EXIT_PERMISSION : EXIT_BAD_INPUT;
	}
	if (!p->server.present && a->flush) {
		msg_error("profile %s has no \"server\": its reports are not sent, there is nothing "
			  "to flush", p->name);
		return EXIT_BAD_INPUT;
	}
	if (p->server.present)
		run_deliver_server(&p->server, &a->srv, pins, cap);
	a->spool_dir = p->spool_dir;
	return 0;
}

static int do_requeue(struct spool *sp, const char *what)
{
	const char *id = strcmp(what, "all") == 0 ? NULL : what;
	unsigned moved = 0, skipped = 0;
	int ret = spool_requeue(sp, id, &moved, &skipped);

	if (skipped)
		msg_warn("%u entr%s in %s/dead not a regular file: left there (look at it, then "
			 "remove it)", skipped, skipped == 1 ? "y is" : "ies are", sp->path);
	if (ret == -ENOENT) {
		msg_error("--requeue %s: no such report in %s/dead (see amtact report --list)",
			  what, sp->path);
		return EXIT_USAGE;
	}
	if (ret < 0) {
		msg_error("--requeue %s: %s", what, ret == -EEXIST ? "it is queued already" :
			  strerror(-ret));
		return EXIT_FAILURE_INTERNAL;
	}
	printf("requeued %u\n", moved);
	return EXIT_OK;
}

static int flush(struct spool *sp, const struct report_args *a)
{
	struct spool_flush_result fr;
	struct spool_stats st = { 0 };
	int ret;

	/* An empty spool (the flush timer's usual case) loads no HTTP stack at all. */
	if (spool_stat(sp, &st) == 0 && st.count == 0)
		return finish_flush(sp, spool_flush(sp, &a->srv, &fr), &fr, a->json);
	if (report_global_init() == -ENOMEM) {
		/* A missing HTTPS module is not fatal here: each send says why, nothing is lost. */
		msg_error("starting libcurl: out of memory");
		return EXIT_FAILURE_INTERNAL;
	}
	ret = finish_flush(sp, spool_flush(sp, &a->srv, &fr), &fr, a->json);
	report_global_cleanup();
	return ret;
}

int cmd_report(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct report_args a;
	struct profile prof;
	struct spool sp;
	char pins[400];
	int ret, lock = -1;

	memset(&a, 0, sizeof(a));
	memset(&prof, 0, sizeof(prof));
	a.json = ctx->json;
	report_server_init(&a.srv);
	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret > 0 ? EXIT_OK : EXIT_USAGE;
	if (a.profile && (ret = use_profile(&a, &prof, pins, sizeof(pins))) != 0)
		goto out;
	ret = EXIT_USAGE;
	if (check_args(&a, argc, argv) < 0)
		goto out;
	if (a.profile) {
		lock = run_lock_take(prof.state_dir, prof.lock_timeout_ms);
		if (lock < 0) {
			msg_error("%s/run.lock: %s", prof.state_dir, lock == -EBUSY ?
				  "an amtact run is working (the next flush sends the reports)" :
				  strerror(-lock));
			ret = lock == -EBUSY ? EXIT_BUSY : EXIT_PERMISSION;
			goto out;
		}
	}
	if (!a.spool_dir)
		a.spool_dir = getenv("AMTACT_SPOOL") ? getenv("AMTACT_SPOOL")
							: os_default_dir(OS_DIR_SPOOL);
	ret = spool_open(&sp, a.spool_dir, &a.lim);
	if (ret < 0) {
		msg_error("opening the spool %s: %s (%s)", a.spool_dir, (ret == -EPERM ||
			  ret == -ELOOP) && os_path_refusal()[0] ? os_path_refusal() : strerror(-ret),
			  ret == -EPERM || ret == -ELOOP ? os_hint(OS_HINT_PATH) :
			  "check --spool and permissions");
		ret = ret == -EACCES || ret == -EPERM || ret == -ELOOP ? EXIT_PERMISSION :
									 EXIT_FAILURE_INTERNAL;
		goto out;
	}
	sp.on_result = on_result;
	if (a.list) {
		ret = do_list(&sp);
	} else if (a.requeue) {
		ret = do_requeue(&sp, a.requeue);
	} else if (a.submit) {
		if (report_global_init() == -ENOMEM) {
			msg_error("starting libcurl: out of memory");
			ret = EXIT_FAILURE_INTERNAL;
		} else {
			ret = do_submit(&sp, &a);
			report_global_cleanup();
		}
	} else {
		ret = flush(&sp, &a);
	}
	spool_close(&sp);
out:
	run_lock_release(lock);
	profile_free(&prof);
	return ret;
}
