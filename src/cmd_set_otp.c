// SPDX-License-Identifier: MIT
/* `amtact set-otp`: give the firmware the provisioning server's one-time password. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_write.h"
#include "exitcodes.h"
#include "msg.h"
#include "os.h"
#include "otp.h"

#define USAGE "amtact set-otp (--otp-file FILE|- | --otp-env VAR | --generate [--length N] " \
	      "[--show] [--otp-out FILE]) [--dry-run] [--force] [--json]"

enum {
	OPT_FILE = CMD_WRITE_OPT_LAST + 1, OPT_ENV, OPT_GENERATE, OPT_LENGTH, OPT_SHOW, OPT_OUT,
	OPT_OTP,
};

struct otp_args {
	const char *file, *env, *out_path;
	bool generate, show;
	long length;
	int sources;
	struct secret otp;
};

static int parse_length(const char *arg, long *length)
{
	char *end;

	*length = strtol(arg, &end, 10);
	if (*end || *length < OTP_MIN_LEN || *length > OTP_MAX_LEN) {
		msg_error("--length: \"%s\" is not a length from %d to %d", arg, OTP_MIN_LEN,
			  OTP_MAX_LEN);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * --otp VALUE is refused with the safe ways, whatever the form (--otp, --otp=V, --otp V);
 * the value is wiped from our copy of the command line at once, though other processes may
 * already have read it.
 */
static int refuse_otp_argument(int argc, char **argv, char *arg)
{
	if (arg)
		explicit_bzero(arg, strlen(arg));
	else if (optind < argc && argv[optind][0] != '-')
		explicit_bzero(argv[optind], strlen(argv[optind]));
	msg_error("--otp: an OTP is never taken from the command line, where every user "
		  "can read it (ps, /proc); give it as --otp-file FILE, --otp-file - (standard "
		  "input, e.g. printf '%%s' \"$OTP\" | amtact set-otp --otp-file -), --otp-env VAR, "
		  "or let amtact make one: --generate --otp-out FILE");
	fprintf(stderr, "usage: %s\n", USAGE);
	return EXIT_USAGE;
}

static int take_option(struct otp_args *a, int c, const char *arg, struct op_request *req,
		       int *json)
{
	switch (c) {
	case OPT_FILE: a->file = arg; a->sources++; return 0;
	case OPT_ENV: a->env = arg; a->sources++; return 0;
	case OPT_GENERATE: a->generate = true; a->sources++; return 0;
	case OPT_SHOW: a->show = true; return 0;
	case OPT_OUT: a->out_path = arg; return 0;
	case OPT_LENGTH: return parse_length(arg, &a->length);
	default: return cmd_write_option(c, req, json, USAGE);
	}
}

static int parse(const struct cmd_ctx *ctx, int argc, char **argv, struct otp_args *a,
		 struct op_request *req, int *json)
{
	static const struct option opts[] = {
		CMD_WRITE_OPTIONS,
		{ "otp-file", required_argument, NULL, OPT_FILE },
		{ "otp-env", required_argument, NULL, OPT_ENV },
		{ "generate", no_argument, NULL, OPT_GENERATE },
		{ "length", required_argument, NULL, OPT_LENGTH },
		{ "show", no_argument, NULL, OPT_SHOW },
		{ "otp-out", required_argument, NULL, OPT_OUT },
		{ "otp", optional_argument, NULL, OPT_OTP },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_OTP)
			return refuse_otp_argument(argc, argv, optarg);
		ret = take_option(a, c, optarg, req, json);
		if (ret)
			return ret;
	}
	return cmd_write_no_args(argc, argv, USAGE);
}

static int check_options(const struct otp_args *c)
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

/* --otp-file - on a console: typed twice, never shown. */
static const struct secret_prompt otp_prompt = {
	"OTP (not shown): ", "the same OTP again (not shown): ",
};

static int read_source(struct otp_args *c)
{
	int loose = 0, rc;

	if (c->generate)
		return otp_generate(&c->otp, c->length ? (size_t)c->length : OTP_DEFAULT_LEN);
	if (c->env)
		return secret_read_env(&c->otp, c->env, 1);
	rc = secret_read_input(&c->otp, c->file, &otp_prompt, &loose);
	if (rc == 0 && loose)
		msg_warn("%s is readable by other users; keep OTP files %s", c->file,
			 os_hint(OS_HINT_PRIVATE));
	return rc;
}

/* Check the options, get the OTP, record a generated one; then the request carries it. */
static int prepare(struct otp_args *c, struct op_request *req)
{
	const char *bad;
	int rc = check_options(c);

	if (rc)
		return rc;
	rc = read_source(c);
	if (rc < 0) {
		msg_error("reading the OTP from %s: %s", c->generate ? "the CSPRNG" :
			  c->env ? c->env : c->file,
			  rc == -ENODATA ? "it is empty" : rc == -ENOENT && c->env ? "not set" :
			  rc == SECRET_MISMATCH ? "the two entries differ" : strerror(-rc));
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
	req->show_otp = c->show;
	req->otp_file = c->out_path;
	return 0;
}

int cmd_set_otp(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct otp_args a = { 0 };
	struct op_request req = { .op = OP_SET_OTP };
	int json, ret;

	secret_init(&a.otp);
	ret = parse(ctx, argc, argv, &a, &req, &json);
	if (ret == 0)
		ret = prepare(&a, &req);
	if (ret == 0)
		ret = cmd_write(ctx, &req, json);
	secret_wipe(&a.otp);
	return ret < 0 ? EXIT_OK : ret;
}
