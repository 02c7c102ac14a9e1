// SPDX-License-Identifier: MIT
/* `amtact usbkey`: write a USB provisioning key (setup.bin) and show what a key holds. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"
#include "usbkey.h"
#include "usbkey_io.h"
#include "usbkey_json.h"
#include "usbdev.h"

#define USAGE_WRITE "amtact usbkey write --out FILE|--key TARGET [--spec FILE] [--amt VERSION | " \
	"--file-version V] [--psk FILE] --mebx-password FILE [--suffix NAME] [--server " \
	"NAME|ADDRESS]... [--port N] [--hash ALGO:HEX:NAME]... [--enable-amt] [--scramble] " \
	"[--no-consume] [--force] [--log FILE] [--json]"
#define USAGE_SHOW "amtact usbkey show FILE [--show-secrets] [--json]"

/* Largest file `show` reads: 100 000 records (doc/remote-config.md 6.1) and some. */
#define SHOW_MAX (64u * 1024 * 1024)
#define PSK_FILE_MAX (1024u * 1024)

struct write_opts {
	const char *out, *key, *spec, *psk, *password, *log;
	bool force, json;
};

/* Exit code for a failed input or output. */
static int exit_for(int err)
{
	if (err == -EACCES || err == -EPERM)
		return EXIT_PERMISSION;
	if (err == -ENOMEM || err == -EIO || err == -ENOSPC)
		return EXIT_FAILURE_INTERNAL;
	return EXIT_BAD_INPUT;
}

static int failed(bool json, int code, const struct amt_err *e)
{
	msg_error("%s", err_text(e));
	if (json)
		json_out_error(code, err_text(e));
	return code;
}

static int add_server(struct usbkey_spec *s, const char *arg, struct amt_err *e)
{
	if (usbkey_ipv4_parse(arg, s->address) == 0) {
		s->have_address = true;
	} else {
		if (!arg[0] || strlen(arg) >= sizeof(s->server_fqdn) || strchr(arg, ':'))
			return err_set(e, -EINVAL, "--server: \"%s\" is neither a host name nor an "
				       "IPv4 address", arg);
		memcpy(s->server_fqdn, arg, strlen(arg) + 1);
	}
	s->pki = true;
	return 0;
}

/* One option of `write` into s or o; 0, or an exit code. */
static int write_opt(int c, struct usbkey_spec *s, struct write_opts *o, struct amt_err *e)
{
	char *end;
	unsigned long v;

	switch (c) {
	case 'o': o->out = optarg; return 0;
	case 'k': o->key = optarg; return 0;
	case 'S': o->spec = optarg; return 0;
	case 'p': o->psk = optarg; return 0;
	case 'P': o->password = optarg; return 0;
	case 'l': o->log = optarg; return 0;
	case 'f': o->force = true; return 0;
	case 'j': o->json = true; return 0;
	case 'e': s->enable_amt = true; return 0;
	case 'x': s->scramble = true; return 0;
	case 'n': s->no_consume = true; return 0;
	case 'a':
		v = strtoul(optarg, &end, 10);
		if (end == optarg || (*end && *end != '.') || v < 2 || v > 99)
			return err_set(e, EXIT_USAGE, "--amt: \"%s\" is not an AMT version", optarg);
		s->amt_major = (unsigned)v;
		return 0;
	case 'F':
		if (usbkey_version_parse(optarg, &s->type, &s->minor) < 0)
			return err_set(e, EXIT_USAGE, "--file-version: \"%s\" (1, 2.0, 2.1, 3 or 4)",
				       optarg);
		return 0;
	case 's':
		if (strlen(optarg) >= sizeof(s->suffix) || !optarg[0])
			return err_set(e, EXIT_USAGE, "--suffix: 1 to 255 characters");
		memcpy(s->suffix, optarg, strlen(optarg) + 1);
		s->pki = true;
		return 0;
	case 'r':
		return add_server(s, optarg, e) < 0 ? EXIT_USAGE : 0;
	case 't':
		v = strtoul(optarg, &end, 10);
		if (end == optarg || *end || v < 1 || v > 65535)
			return err_set(e, EXIT_USAGE, "--port: \"%s\" (1 to 65535)", optarg);
		s->port = (uint16_t)v;
		s->pki = true;
		return 0;
	case 'H':
		if (s->hash_count == USBKEY_HASHES_MAX)
			return err_set(e, EXIT_USAGE, "--hash: at most %u hashes", USBKEY_HASHES_MAX);
		if (usbkey_hash_parse(optarg, &s->hashes[s->hash_count], e) < 0)
			return EXIT_USAGE;
		s->hash_count++;
		s->pki = true;
		return 0;
	case 'h':
		printf("usage: %s\n", USAGE_WRITE);
		return -1;
	default:
		return err_set(e, EXIT_USAGE, "usage: %s", USAGE_WRITE);
	}
}

static int parse_write(const struct cmd_ctx *ctx, int argc, char **argv, struct usbkey_spec *s,
		       struct write_opts *o, struct amt_err *e)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "key", required_argument, NULL, 'k' },
		{ "spec", required_argument, NULL, 'S' },
		{ "psk", required_argument, NULL, 'p' },
		{ "mebx-password", required_argument, NULL, 'P' },
		{ "log", required_argument, NULL, 'l' }, { "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' }, { "enable-amt", no_argument, NULL, 'e' },
		{ "scramble", no_argument, NULL, 'x' }, { "no-consume", no_argument, NULL, 'n' },
		{ "amt", required_argument, NULL, 'a' },
		{ "file-version", required_argument, NULL, 'F' },
		{ "suffix", required_argument, NULL, 's' }, { "server", required_argument, NULL, 'r' },
		{ "port", required_argument, NULL, 't' }, { "hash", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->json = ctx->json;
	/* The spec file first, so that options given beside it win. */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--spec") == 0 && (ret = usbkey_spec_load(argv[i + 1], s, e)) < 0)
			return exit_for(ret);
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		ret = write_opt(c, s, o, e);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return err_set(e, EXIT_USAGE, "unexpected argument \"%s\" (usage: %s)",
			       argv[optind], USAGE_WRITE);
	if (!o->out == !o->key)
		return err_set(e, EXIT_USAGE, "say where to write: --out FILE or --key TARGET, "
			       "one of them (usage: %s)", USAGE_WRITE);
	if (!o->psk && s->psk_file[0])
		o->psk = s->psk_file;
	if (!o->password && s->password_file[0])
		o->password = s->password_file;
	if (o->psk && o->password && !strcmp(o->psk, "-") && !strcmp(o->password, "-"))
		return err_set(e, EXIT_USAGE, "--psk and --mebx-password cannot both read standard "
			       "input");
	return 0;
}

/* --mebx-password - on a console: typed twice, never shown. */
static const struct secret_prompt password_prompt = {
	"new MEBx password (not shown): ", "the same password again (not shown): ",
};

/* The secrets: the PID/PPS file and the new MEBx password, never from argv. */
static int read_secrets(struct usbkey_spec *s, const struct write_opts *o, struct amt_err *e)
{
	uint8_t *text = NULL;
	size_t len = 0;
	int loose = 0, ret;

	if (o->password) {
		ret = secret_read_input(&s->password, o->password, &password_prompt, &loose);
		if (ret < 0)
			return err_set(e, ret, "--mebx-password %s: %s", o->password,
				       ret == -ENODATA ? "empty" : ret == SECRET_MISMATCH ?
				       "the two entries differ" : strerror(-ret));
		if (loose)
			msg_warn("%s: readable by other users; the MEBx password should not be",
				 o->password);
	}
	if (!o->psk)
		return 0;
	ret = usbkey_read_file(o->psk, PSK_FILE_MAX, true, &text, &len, &loose, e);
	if (ret == 0 && loose)
		msg_warn("%s: readable by other users; PPS values should not be", o->psk);
	if (ret == 0 && (ret = usbkey_psk_parse(s, (const char *)text, len, e)) < 0)
		err_prefix(e, "%s", o->psk);
	if (ret == 0 && !s->psk_count)
		ret = err_set(e, -EINVAL, "%s: no PID/PPS pairs", o->psk);
	if (text) {
		secret_cleanse(text, len);
		free(text);
	}
	return ret;
}

/*
 * --key: the USB key behind a mount point or /dev name, refused unless it is a removable
 * USB mass-storage device with FAT on it; its identity is shown before anything is written.
 * AMTACT_SYSROOT (tests) is a faked system root. The USB library is a module loaded here
 * only; without it the names are sysfs's, with a warning saying why.
 */
static int find_key(const char *target, struct usbdev_key *k, bool json, struct amt_err *e)
{
	const char *root = getenv("AMTACT_SYSROOT");
	char why[512];
	const struct usb_backend *usb = usb_backend_load(why, sizeof(why));
	int ret;

	if (!usb)
		msg_warn("%s", why);
	ret = usbdev_find(root ? root : "", target, usb, k, e);
	if (ret < 0)
		return ret;
	if (k->note[0])
		msg_warn("%s", k->note);
	if (!json)
		printf("USB key: %s %s (%04x:%04x), serial %s: %s on %s (%s)\n",
		       k->id.manufacturer[0] ? k->id.manufacturer : "(no manufacturer)",
		       k->id.product[0] ? k->id.product : "(no product name)", k->id.vendor_id,
		       k->id.product_id, k->id.serial[0] ? k->id.serial : "(none)", k->source,
		       k->mount, k->fstype);
	return fflush(stdout) == 0 ? 0 : err_set(e, -EIO, "standard output: write error");
}

static void key_json(cJSON *doc, const struct usbdev_key *k)
{
	cJSON *o = cJSON_AddObjectToObject(doc, "key");
	char id[8];

	snprintf(id, sizeof(id), "%04x", k->id.vendor_id);
	cJSON_AddStringToObject(o, "vendor_id", id);
	snprintf(id, sizeof(id), "%04x", k->id.product_id);
	cJSON_AddStringToObject(o, "product_id", id);
	cJSON_AddStringToObject(o, "manufacturer", k->id.manufacturer);
	cJSON_AddStringToObject(o, "product", k->id.product);
	cJSON_AddStringToObject(o, "serial", k->id.serial);
	cJSON_AddStringToObject(o, "device", k->source);
	cJSON_AddStringToObject(o, "mount", k->mount);
	cJSON_AddBoolToObject(o, "from_descriptors", k->from_descriptors);
}

static void print_written(const struct usbkey_spec *s, const char *path, const uint8_t *file,
			  size_t len, const struct usbdev_key *key, bool json)
{
	struct setupbin_header h;
	cJSON *doc, *recs, *r;

	setupbin_header_decode(file, len, &h, NULL);
	if (!json) {
		printf("wrote %s: setup.bin version %u.%u, %u records (%s), %s\n", path, h.type,
		       h.minor, (unsigned)h.record_count,
		       s->no_consume ? "not consumed: every box applies the first" :
		       "each box consumes one", s->scramble ? "scrambled" : "not scrambled");
		for (size_t i = 0; i < s->psk_count; i++)
			printf("  record %zu: PSK, PID %.4s-%.4s\n", i + 1, s->psk[i].pid,
			       s->psk[i].pid + 4);
		if (s->pki)
			printf("  record %zu: PKI, suffix \"%s\", server %s%s, %zu certificate "
			       "hashes\n", s->psk_count + 1, s->suffix,
			       s->server_fqdn[0] ? s->server_fqdn : "(none)",
			       s->have_address ? " (address given)" : "", s->hash_count);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "schema_version", USBKEY_SCHEMA_VERSION);
	cJSON_AddStringToObject(doc, "written", path);
	if (key)
		key_json(doc, key);
	cJSON_AddNumberToObject(doc, "file_type", h.type);
	cJSON_AddNumberToObject(doc, "minor", h.minor);
	cJSON_AddBoolToObject(doc, "consume", !s->no_consume);
	cJSON_AddBoolToObject(doc, "scrambled", s->scramble);
	recs = cJSON_AddArrayToObject(doc, "records");
	for (size_t i = 0; i < s->psk_count + (s->pki ? 1 : 0); i++) {
		r = cJSON_CreateObject();
		cJSON_AddItemToArray(recs, r);
		cJSON_AddNumberToObject(r, "number", (double)i + 1);
		cJSON_AddStringToObject(r, "kind", i < s->psk_count ? "psk" : "pki");
		if (i < s->psk_count)
			cJSON_AddStringToObject(r, "pid", s->psk[i].pid);
		else
			cJSON_AddStringToObject(r, "suffix", s->suffix);
	}
	json_out_print(doc);
}

/* The log line: which file or key got which records; PIDs shown, never a PPS. */
static void log_written(const struct usbkey_spec *s, const char *where)
{
	char pids[512] = "";
	size_t o = 0;

	for (size_t i = 0; i < s->psk_count && o + 10 < sizeof(pids); i++)
		o += (size_t)snprintf(pids + o, sizeof(pids) - o, "%s%s", i ? " " : "",
				      s->psk[i].pid);
	msg_info("usbkey: %s: %zu PSK records%s%s%s", where, s->psk_count, o ? " (PIDs " : "",
		 pids, o ? ")" : "");
	if (s->pki)
		msg_info("usbkey: %s: 1 PKI record, suffix \"%s\"", where, s->suffix);
}

/* Where the file goes: --out FILE, or setup.bin at the root of the --key. */
static int destination(const struct write_opts *o, struct usbdev_key *key, char *dir,
		       char *name, size_t cap, struct amt_err *e)
{
	char *dup;
	int ret;

	if (o->key) {
		ret = find_key(o->key, key, o->json, e);
		snprintf(dir, cap, "%s", key->mount);
		snprintf(name, cap, "setup.bin");
		return ret;
	}
	dup = strdup(o->out);
	if (!dup)
		return err_set(e, -ENOMEM, "out of memory");
	snprintf(dir, cap, "%s", dirname(dup));
	memcpy(dup, o->out, strlen(o->out) + 1);
	snprintf(name, cap, "%s", basename(dup));
	free(dup);
	return 0;
}

static int usbkey_write(const struct cmd_ctx *ctx, int argc, char **argv)
{
	char dir[600], name[600], path[1210], where[700];
	struct usbdev_key key;
	struct usbkey_spec s;
	struct write_opts o;
	struct amt_err e;
	uint8_t *file = NULL;
	size_t len = 0;
	int ret, code;

	err_clear(&e);
	usbkey_spec_init(&s);
	code = parse_write(ctx, argc, argv, &s, &o, &e);
	if (code) {
		if (code > 0)
			failed(o.json, code, &e);
		code = code < 0 ? EXIT_OK : code;
		goto out;
	}
	if (o.log && (ret = msg_open_log_file(o.log, MSG_INFO)) < 0) {
		err_set(&e, ret, "--log %s: %s", o.log, strerror(-ret));
		code = failed(o.json, EXIT_BAD_INPUT, &e);
		goto out;
	}
	if (!o.log && o.key)
		msg_open_syslog(MSG_INFO);
	ret = read_secrets(&s, &o, &e);
	if (ret == 0)
		ret = usbkey_build(&s, &file, &len, &e);
	if (ret == 0)
		ret = destination(&o, &key, dir, name, sizeof(dir), &e);
	if (ret == 0)
		ret = usbkey_write_atomic(dir, name, file, len, o.force, &e);
	if (ret < 0) {
		code = failed(o.json, ret == -EEXIST ? EXIT_USAGE : exit_for(ret), &e);
		goto out;
	}
	snprintf(path, sizeof(path), "%s%s%s", dir, usbkey_dir_sep(dir), name);
	if (o.key)
		snprintf(where, sizeof(where), "key serial %s (%04x:%04x %s, %s)", key.id.serial,
			 key.id.vendor_id, key.id.product_id, key.id.product, key.source);
	else
		snprintf(where, sizeof(where), "%s", o.out);
	log_written(&s, where);
	print_written(&s, o.key ? path : o.out, file, len, o.key ? &key : NULL, o.json);
	code = EXIT_OK;
out:
	if (file) {
		secret_cleanse(file, len);
		free(file);
	}
	usbkey_spec_clear(&s);
	return code;
}

static int usbkey_show(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "show-secrets", no_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	bool json = ctx->json, secrets = false;
	struct amt_err e;
	uint8_t *file = NULL;
	cJSON *doc = NULL;
	size_t len = 0;
	int c, ret;

	err_clear(&e);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 's')
			secrets = true;
		else if (c == 'j')
			json = true;
		else if (c == 'h')
			return printf("usage: %s\n", USAGE_SHOW) < 0 ? EXIT_FAILURE_INTERNAL : EXIT_OK;
		else
			return err_set(&e, 0, "usage: %s", USAGE_SHOW), failed(json, EXIT_USAGE, &e);
	}
	if (argc - optind != 1) {
		err_set(&e, 0, "give one file (usage: %s)", USAGE_SHOW);
		return failed(json, EXIT_USAGE, &e);
	}
	ret = usbkey_read_file(argv[optind], SHOW_MAX, false, &file, &len, NULL, &e);
	if (ret < 0)
		return failed(json, exit_for(ret), &e);
	if (json) {
		ret = usbkey_show_json(&doc, argv[optind], file, len, secrets, &e);
		if (doc)
			json_out_print(doc);
		else
			json_out_error(EXIT_BAD_INPUT, err_text(&e));
	} else {
		ret = usbkey_show_text(stdout, argv[optind], file, len, secrets, &e);
	}
	if (ret < 0)
		msg_error("%s", err_text(&e));
	secret_cleanse(file, len);
	free(file);
	return ret < 0 ? EXIT_BAD_INPUT : EXIT_OK;
}

int cmd_usbkey(const struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "write") == 0)
		return usbkey_write(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return usbkey_show(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: %s\n       %s\n", USAGE_WRITE, USAGE_SHOW);
		return EXIT_OK;
	}
	msg_error("say write or show (usage: %s | %s)", USAGE_WRITE, USAGE_SHOW);
	return EXIT_USAGE;
}
