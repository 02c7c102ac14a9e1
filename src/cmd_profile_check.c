// SPDX-License-Identifier: MIT
/* `amtact profile-check`: validate a profile without touching the ME, and show it resolved. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cmd_common.h"
#include "json_out.h"
#include "cmds.h"
#include "exitcodes.h"
#include "info.h"
#include "msg.h"
#include "os.h"
#include "profile.h"
#include "report.h"
#include "run_deliver.h"

#define USAGE "amtact profile-check NAME|FILE [--connect] [--json]"

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *server_json(const struct profile_server *s)
{
	cJSON *o, *pins;

	if (!s->present)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	add_str(o, "url", s->url);
	add_str(o, "ca_file", s->ca_file);
	pins = cJSON_AddArrayToObject(o, "pin_sha256");
	for (unsigned i = 0; i < s->pin_count; i++)
		cJSON_AddItemToArray(pins, cJSON_CreateString(s->pin_sha256[i]));
	add_str(o, "client_cert", s->client_cert);
	add_str(o, "client_key", s->client_key);
	add_str(o, "token_file", s->token_file);
	add_str(o, "proxy", s->proxy);
	add_str(o, "report_cert", s->report_cert);
	cJSON_AddNumberToObject(o, "connect_timeout_ms", s->connect_timeout_ms);
	cJSON_AddNumberToObject(o, "timeout_ms", s->timeout_ms);
	cJSON_AddNumberToObject(o, "max_attempts", s->max_attempts);
	cJSON_AddNumberToObject(o, "backoff_base_ms", s->backoff_base_ms);
	cJSON_AddNumberToObject(o, "backoff_max_ms", s->backoff_max_ms);
	cJSON_AddNumberToObject(o, "first_delay_max_ms", s->first_delay_max_ms);
	return o;
}

/* The profile as amtact will use it: every field, defaults filled in. No secrets exist in
 * a profile (tokens, keys and OTPs are only named by path). */
static cJSON *profile_json(const struct profile *p)
{
	cJSON *o = cJSON_CreateObject(), *otp, *name, *log;

	cJSON_AddStringToObject(o, "path", p->path);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "method", profile_method_name(p->method));
	cJSON_AddItemToObject(o, "server", server_json(&p->server));
	otp = cJSON_AddObjectToObject(o, "otp");
	cJSON_AddStringToObject(otp, "policy", profile_otp_policy_name(p->otp.policy));
	add_str(otp, "file", p->otp.file);
	cJSON_AddNumberToObject(otp, "length", p->otp.length);
	add_str(otp, "alphabet", p->otp.alphabet);
	add_str(o, "pki_dns_suffix", p->pki_dns_suffix);
	cJSON_AddStringToObject(o, "hello", profile_hello_name(p->hello));
	cJSON_AddNumberToObject(o, "key_wait_s", p->key_wait_s);
	cJSON_AddStringToObject(o, "zero_touch", profile_zero_touch_name(p->zero_touch));
	cJSON_AddBoolToObject(o, "enable_amt", p->enable_amt);
	cJSON_AddBoolToObject(o, "ignore_intermediate_errors", p->ignore_intermediate_errors);
	cJSON_AddBoolToObject(o, "check_provision_server", p->check_provision_server);
	name = cJSON_AddObjectToObject(o, "system_name");
	cJSON_AddStringToObject(name, "source", profile_name_source_name(p->system_name.source));
	add_str(name, "value", p->system_name.value);
	cJSON_AddStringToObject(o, "delivery", profile_delivery_name(p->delivery));
	add_str(o, "report_file", p->report_file);
	add_str(o, "spool_dir", p->spool_dir);
	add_str(o, "state_dir", p->state_dir);
	log = cJSON_AddObjectToObject(o, "log");
	cJSON_AddStringToObject(log, "level", profile_log_level_name(p->log.level));
	add_str(log, "file", p->log.file);
	cJSON_AddBoolToObject(log, "syslog", p->log.syslog);
	cJSON_AddNumberToObject(o, "lock_timeout_ms", p->lock_timeout_ms);
	return o;
}

/* Text: one "key  value" line per leaf, in the JSON's order. */
static void print_tree(const cJSON *o, const char *prefix)
{
	const cJSON *it;
	char key[128];

	cJSON_ArrayForEach(it, o) {
		snprintf(key, sizeof(key), "%s%s", prefix, it->string ? it->string : "");
		if (cJSON_IsObject(it)) {
			char sub[130];

			snprintf(sub, sizeof(sub), "%s.", key);
			print_tree(it, sub);
		} else if (cJSON_IsString(it)) {
			msg_out("  %-30s %s\n", key, it->valuestring);
		} else if (cJSON_IsNull(it)) {
			msg_out("  %-30s -\n", key);
		} else if (cJSON_IsBool(it)) {
			msg_out("  %-30s %s\n", key, cJSON_IsTrue(it) ? "true" : "false");
		} else if (cJSON_IsNumber(it)) {
			msg_out("  %-30s %.0f\n", key, it->valuedouble);
		} else if (cJSON_IsArray(it)) {
			const cJSON *e;

			msg_out("  %-30s", key);
			cJSON_ArrayForEach(e, it)
				msg_out(" %s", cJSON_IsString(e) ? e->valuestring : "?");
			msg_out("%s\n", cJSON_GetArraySize(it) ? "" : " -");
		}
	}
}

/* 0 to go on, -1 after --help, else the exit code; the profile is argv[optind]. */
static int parse(const struct cmd_ctx *ctx, int argc, char **argv, int *json, bool *connect)
{
	static const struct option opts[] = {
		{ "connect", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'c' || c == 'j') {
			*connect |= c == 'c';
			*json |= c == 'j';
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr, "usage: %s\n", USAGE);
		return c == 'h' ? -1 : EXIT_USAGE;
	}
	if (argc - optind != 1) {
		msg_error("give one profile, a name or a path (usage: %s)", USAGE);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * --connect: try the profile's server as a run would deliver to it (TLS, CA, pin, client
 * certificate, token), sending no report. Adds "connect" to the document; 0 or the code.
 */
static int connect_check(const struct profile *p, cJSON *out, int json)
{
	struct report_server srv;
	struct report_result res;
	char pins[1024];
	cJSON *o;
	int rc;

	if (!p->server.url) {
		msg_error("--connect: the profile names no server (it writes its report to a file)");
		return EXIT_USAGE;
	}
	run_deliver_server(&p->server, &srv, pins, sizeof(pins));
	rc = report_global_init();
	if (rc == 0)
		rc = report_check(&srv, &res);
	else
		snprintf(res.message, sizeof(res.message), "cannot start the HTTPS client");
	report_global_cleanup();
	if (json) {
		o = cJSON_AddObjectToObject(out, "connect");
		cJSON_AddStringToObject(o, "url", p->server.url);
		cJSON_AddBoolToObject(o, "ok", rc == 0);
		cJSON_AddStringToObject(o, "class", rc == -EACCES ? "credentials" :
					report_class_name(res.cls));
		cJSON_AddNumberToObject(o, "http_status", res.http_status);
		cJSON_AddStringToObject(o, "message", res.message);
	} else {
		printf("%s: %s: %s\n", p->server.url, rc == 0 ? "reachable" : "NOT usable",
		       res.message);
	}
	if (rc == 0)
		return EXIT_OK;
	msg_error("--connect: %s: %s", p->server.url, res.message);
	return EXIT_BAD_INPUT;
}

int cmd_profile_check(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct profile_load_opts opts = { os_privileged(), 0 };
	struct profile p;
	char err[512];
	bool connect = false;
	cJSON *doc, *out = NULL;
	int json, ret, rc;

	ret = parse(ctx, argc, argv, &json, &connect);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	rc = profile_load_with(&p, argv[optind], &opts, err, sizeof(err));
	if (rc == 0)
		rc = profile_check_files(&p, &opts, err, sizeof(err));
	if (rc < 0) {
		ret = rc == -EACCES ? EXIT_PERMISSION : EXIT_BAD_INPUT;
		msg_error("%s", err);
		if (json)
			json_out_error(ret, err);
		profile_free(&p);
		return ret;
	}
	doc = profile_json(&p);
	if (json) {
		out = cJSON_CreateObject();
		cJSON_AddNumberToObject(out, "schema_version", INFO_SCHEMA_VERSION);
		cJSON_AddBoolToObject(out, "valid", true);
		cJSON_AddItemToObject(out, "profile", doc);
	} else {
		msg_out("%s: valid%s%s%s\n", p.path, opts.check_owner ? " (" : "",
			opts.check_owner ? os_hint(OS_HINT_CHECKED) : "", opts.check_owner ? ")" : "");
		print_tree(doc, "");
		cJSON_Delete(doc);
	}
	ret = connect ? connect_check(&p, out, json) : EXIT_OK;
	if (out)
		json_out_print(out);
	profile_free(&p);
	return ret;
}
