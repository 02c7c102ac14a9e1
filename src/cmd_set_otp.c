// SPDX-License-Identifier: MIT
/* `amtact set-otp`: give the firmware the provisioning server's one-time password. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "exitcodes.h"
#include "msg.h"
#include "op.h"
#include "otp.h"

#define USAGE "amtact set-otp (--otp-file FILE|- | --otp-env VAR | --generate [--length N] " \
	      "[--show] [--otp-out FILE]) [--dry-run] [--force] [--json]"

enum { OPT_FILE = 256, OPT_ENV, OPT_GENERATE, OPT_LENGTH, OPT_SHOW, OPT_OUT };

struct otp_ctx {
	const char *file, *env, *out_path;
	bool generate, show;
	long length;
	int sources;
	struct secret otp;
};

static int on_option(void *p, int val, const char *arg)
{
	struct otp_ctx *c = p;
	char *end;

	switch (val) {
	case OPT_FILE: c->file = arg; c->sources++; break;
	case OPT_ENV: c->env = arg; c->sources++; break;
	case OPT_GENERATE: c->generate = true; c->sources++; break;
	case OPT_SHOW: c->show = true; break;
	case OPT_OUT: c->out_path = arg; break;
	case OPT_LENGTH:
		c->length = strtol(arg, &end, 10);
		if (*end || c->length < OTP_MIN_LEN || c->length > OTP_MAX_LEN) {
			msg_error("--length: \"%s\" is not a length from %d to %d", arg, OTP_MIN_LEN,
				  OTP_MAX_LEN);
			return EXIT_USAGE;
		}
		break;
	default:
		return EXIT_USAGE;
	}
	return 0;
}

static int check_options(const struct otp_ctx *c)
{
	if (c->sources != 1) {
		msg_error("give exactly one of --otp-file, --otp-env, --generate (the OTP is never "
			  "taken from the command line)");
		return EXIT_USAGE;
	}
	if (!c->generate && (c->show || c->out_path || c->length)) {
		msg_error("--show, --otp-out and --length go with --generate");
		return EXIT_USAGE;
	}
	if (c->generate && !c->show && !c->out_path) {
		msg_error("a generated OTP must go somewhere the provisioning server can get it: "
			  "--show or --otp-out FILE");
		return EXIT_USAGE;
	}
	return 0;
}

static int read_source(struct otp_ctx *c)
{
	int loose = 0, rc;

	if (c->generate)
		return otp_generate(&c->otp, c->length ? (size_t)c->length : OTP_DEFAULT_LEN);
	if (c->env)
		return secret_read_env(&c->otp, c->env, 1);
	rc = secret_read_file(&c->otp, c->file, &loose);
	if (rc == 0 && loose)
		msg_warn("%s is readable by other users; keep OTP files mode 0600", c->file);
	return rc;
}

static int prepare(void *p, struct op_request *req)
{
	struct otp_ctx *c = p;
	const char *bad;
	int rc = check_options(c);

	if (rc)
		return rc;
	rc = read_source(c);
	if (rc < 0) {
		msg_error("reading the OTP from %s: %s", c->generate ? "the CSPRNG" :
			  c->env ? c->env : c->file,
			  rc == -ENODATA ? "it is empty" : rc == -ENOENT && c->env ? "not set" :
			  strerror(-rc));
		return c->generate ? EXIT_FAILURE_INTERNAL : EXIT_BAD_INPUT;
	}
	bad = otp_invalid(&c->otp);
	if (bad) {
		msg_error("the OTP from %s is unusable: %s", c->env ? c->env : c->file, bad);
		return EXIT_BAD_INPUT;
	}
	/* Record a generated OTP before it is set, so it is never set without a copy. */
	if (c->out_path && !req->dry_run) {
		rc = otp_write_file(&c->otp, c->out_path);
		if (rc < 0) {
			msg_error("writing the OTP to %s: %s (the file must not exist yet)",
				  c->out_path, strerror(-rc));
			return EXIT_BAD_INPUT;
		}
	}
	req->otp = &c->otp;
	return 0;
}

static void decorate(void *p, cJSON *doc, const struct op_outcome *out)
{
	struct otp_ctx *c = p;

	if (c->show && out->kind == OP_DONE)
		cJSON_AddStringToObject(doc, "otp", c->otp.buf);
	if (c->out_path && out->kind == OP_DONE)
		cJSON_AddStringToObject(doc, "otp_file", c->out_path);
}

static void print_text(void *p, const struct op_outcome *out)
{
	struct otp_ctx *c = p;

	if (c->show && out->kind == OP_DONE)
		printf("  otp: %s\n", c->otp.buf);
	if (c->out_path && out->kind == OP_DONE)
		printf("  otp written to %s (mode 0600)\n", c->out_path);
}

static void cleanup(void *p)
{
	secret_wipe(&((struct otp_ctx *)p)->otp);
}

int cmd_set_otp(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{ "otp-file", required_argument, NULL, OPT_FILE },
		{ "otp-env", required_argument, NULL, OPT_ENV },
		{ "generate", no_argument, NULL, OPT_GENERATE },
		{ "length", required_argument, NULL, OPT_LENGTH },
		{ "show", no_argument, NULL, OPT_SHOW },
		{ "otp-out", required_argument, NULL, OPT_OUT },
		{ NULL, 0, NULL, 0 },
	};
	struct otp_ctx c = { 0 };
	struct op_request req = { .op = OP_SET_OTP };
	struct op_cli cli = { .options = options, .on_option = on_option, .prepare = prepare,
			      .decorate = decorate, .print_text = print_text,
			      .cleanup = cleanup, .ctx = &c };
	int ret;

	secret_init(&c.otp);
	ret = op_command(ctx, argc, argv, &req, USAGE, &cli);
	secret_wipe(&c.otp);
	return ret;
}
