// SPDX-License-Identifier: MIT
/* `amtact diagnose`: why this box can or cannot be provisioned, as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "certcheck.h"
#include "cmd_common.h"
#include "json_out.h"
#include "cmds.h"
#include "diag.h"
#include "diag_int.h"
#include "exitcodes.h"
#include "me.h"
#include "module.h"
#include "msg.h"
#include "prereq.h"
#include "prereq_json.h"

#define DIAG_SCHEMA_VERSION 1

static const char usage_line[] =
	"amtact diagnose [--cert-chain FILE] [--server-fqdn NAME] [--json]";

struct diag_opts {
	const char *chain;
	const char *server_fqdn;
	int json;
};

/* 0 to go on, -1 after --help, else the exit code. */
static int parse_opts(const struct cmd_ctx *ctx, int argc, char **argv, struct diag_opts *o)
{
	static const struct option opts[] = {
		{ "cert-chain", required_argument, NULL, 'c' },
		{ "server-fqdn", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->json = ctx->json;
	while ((c = getopt_long(argc, argv, "c:s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->chain = optarg;
			break;
		case 's':
			o->server_fqdn = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'h':
			printf("usage: %s\n", usage_line);
			return -1;
		default:
			fprintf(stderr, "usage: %s\n", usage_line);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		msg_error("unexpected argument \"%s\" (usage: %s)", argv[optind], usage_line);
		return EXIT_USAGE;
	}
	if (o->server_fqdn && (!o->server_fqdn[0] || strlen(o->server_fqdn) >= DIAG_NAME_MAX)) {
		msg_error("--server-fqdn: \"%s\" is not a host name", o->server_fqdn);
		return EXIT_USAGE;
	}
	return 0;
}

/* The readable hash entries, compacted; the caller frees. */
static struct amt_certhash *usable_hashes(const struct me_info *in, size_t *count, bool *known)
{
	struct amt_certhash *t = calloc(in->hash_count ? in->hash_count : 1, sizeof(*t));

	*count = 0;
	*known = t && in->hashes_item.state == ME_ITEM_OK;
	for (size_t i = 0; t && *known && i < in->hash_count; i++)
		if (in->hash_item[i].state == ME_ITEM_OK)
			t[(*count)++] = in->hashes[i];
	return t;
}

static const char *result_word(enum diag_result r)
{
	return r == DIAG_FAIL ? "FAIL" : r == DIAG_WARN ? "warn" : "ok";
}

static void print_text(const struct diag_ctx *d)
{
	const char *lease = d->leases.newest >= 0 ? d->leases.lease[d->leases.newest].path : "";

	printf("Names\n");
	printf("  %-22s %s\n", "OS host name", d->os_host[0] ? d->os_host : "(none)");
	printf("  %-22s %s\n", "OS FQDN", d->os_fqdn[0] ? d->os_fqdn : "(none)");
	printf("  %-22s %s\n", "PKI DNS suffix (ME)", d->pki[0] ? d->pki : "(none)");
	printf("  %-22s %s%s%s%s\n", "DHCP option 15 (OS)", d->dhcp[0] ? d->dhcp : "(none)",
	       lease[0] ? "  (" : "", lease, lease[0] ? ")" : "");
	printf("  %-22s %s\n", "OS DNS suffix", d->os[0] ? d->os : "(none)");
	printf("  %-22s %s\n", "AMT FQDN", d->amt_fqdn[0] ? d->amt_fqdn : "(none)");
	printf("  %-22s %s (%s)\n", "firmware uses", d->used[0] ? d->used : "(none)",
	       d->src == DIAG_SUFFIX_PKI ? "PKI DNS suffix" :
	       d->src == DIAG_SUFFIX_DHCP ? "DHCP option 15" : "no suffix");
	if (d->ps_checked)
		printf("  %-22s %s\n", "looked up", d->ps_name);
	printf("\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_check *c = &d->c[i];

		printf("%-4s  %s: %s", result_word(c->result), c->id, c->message);
		if (c->result != DIAG_OK && c->hint[0])
			printf(" (hint: %s)", c->hint);
		printf("\n");
	}
}

static cJSON *provision_server_json(const struct diag_ctx *d)
{
	cJSON *o = cJSON_CreateObject(), *a;

	cJSON_AddStringToObject(o, "name", d->ps_name);
	cJSON_AddBoolToObject(o, "resolved", d->ps.rc == 0);
	a = cJSON_AddArrayToObject(o, "addresses");
	for (size_t i = 0; i < d->ps.addr_count; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(d->ps.addr[i]));
	return o;
}

static void print_json(const struct diag_ctx *d, int exit_code)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddNumberToObject(doc, "schema_version", DIAG_SCHEMA_VERSION);
	cJSON_AddItemToObject(doc, "suffixes", prereq_names_json(d));
	cJSON_AddItemToObject(doc, "provision_server", provision_server_json(d));
	cJSON_AddItemToObject(doc, "checks", prereq_checks_json(d, false));
	cJSON_AddNumberToObject(doc, "exit_code", exit_code);
	json_out_print(doc);
}

static void check_state(struct diag_ctx *d, const struct me_info *in)
{
	if (in->prov_state_item.state == ME_ITEM_OK && in->prov_state != AMT_PROV_STATE_PRE)
		diag_add(d, DIAG_WARN, "provisioning_state", "already_provisioned", "remote "
			 "configuration applies to boxes in pre-provisioning only", "AMT is %s",
			 in->prov_state == AMT_PROV_STATE_POST ? "already provisioned" : "in provisioning");
}

/* Which interface carries the OS's network, and is it a USB adapter (AMTACT_SYSROOT: a
 * faked system root for tests). */
static void check_network(struct diag_ctx *d)
{
	const char *root = getenv("AMTACT_SYSROOT");
	struct usbdev_net *net = malloc(sizeof(*net));

	if (!net)
		return;
	usbdev_net_scan(root ? root : "", net);
	diag_check_network_path(d, net);
	free(net);
}

/* The checks and the exit code: EXIT_REFUSED when any check fails. */
static int judge(struct diag_ctx *d, const struct me_info *in, const struct diag_opts *o,
		 const struct certcheck_chain *chain)
{
	struct prereq_want want = { PROFILE_METHOD_REMOTE_CONFIGURATION,
				    PROFILE_ZERO_TOUCH_LEAVE, NULL };

	check_state(d, in);
	if (in->prov_state_item.state != ME_ITEM_OK || in->prov_state != AMT_PROV_STATE_POST)
		prereq_check(d, in, &want);
	d->server_fqdn = o->server_fqdn;
	diag_check_suffixes(d);
	diag_check_provision_server(d, DIAG_RESOLVE_TIMEOUT_MS);
	check_network(d);
	if (chain) {
		d->chain = chain;
		diag_check_chain(d);
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].result == DIAG_FAIL)
			return EXIT_REFUSED;
	return EXIT_OK;
}

/* Reads --cert-chain before the device: a bad file is the caller's mistake. */
static int load_chain(const struct diag_opts *o, struct certcheck_chain **out)
{
	char err[512];
	int rc, ret;

	*out = NULL;
	if (!o->chain)
		return 0;
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		msg_error("out of memory");
		return EXIT_FAILURE_INTERNAL;
	}
	rc = certcheck_load(o->chain, *out, err, sizeof(err));
	if (rc == 0)
		return 0;
	/* A crypto module that cannot be loaded is the installation's fault, not the file's. */
	if (crypto_module_error())
		msg_error("--cert-chain: %s", err);
	else
		msg_error("--cert-chain: %s (expected the provisioning certificate chain as PEM)",
			  err);
	ret = rc == -ENOMEM || crypto_module_error() ? EXIT_FAILURE_INTERNAL : EXIT_BAD_INPUT;
	if (o->json)
		json_out_error(ret, err);
	return ret;
}

static int read_me(const struct cmd_ctx *ctx, struct me *me, struct me_info *in, int json)
{
	int rc = me_read(me, in, ME_READ_FULL), ret;

	if (rc == 0)
		return 0;
	ret = cmd_me_failed(ctx, me, rc, "reading the ME");
	if (json)
		json_out_error(ret, me_error_text(me, rc));
	return ret;
}

int cmd_diagnose(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct certcheck_chain *chain = NULL;
	struct amt_certhash *hashes = NULL;
	struct diag_ctx *d = NULL;
	struct me_info *in = NULL;
	struct diag_opts o;
	struct me me;
	int ret;

	ret = parse_opts(ctx, argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = load_chain(&o, &chain);
	if (ret)
		goto out_chain;
	ret = cmd_open_me(ctx, &me, o.json);
	if (ret)
		goto out_chain;
	ret = EXIT_FAILURE_INTERNAL;
	in = calloc(1, sizeof(*in));
	d = calloc(1, sizeof(*d));
	if (!in || !d) {
		msg_error("out of memory");
		goto out;
	}
	ret = read_me(ctx, &me, in, o.json);
	if (ret)
		goto out;
	prereq_names(d, in, NULL);
	hashes = usable_hashes(in, &d->hash_count, &d->hashes_known);
	d->hashes = hashes;
	ret = judge(d, in, &o, chain);
	if (o.json)
		print_json(d, ret);
	else
		print_text(d);
out:
	free(hashes);
	free(d);
	free(in);
	me_close(&me);
out_chain:
	free(chain);
	return ret;
}
