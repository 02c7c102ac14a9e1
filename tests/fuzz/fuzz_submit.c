// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: `amtact report --submit FILE` end to end (cmd_report): reading the
 * body file, queueing it in a private spool, reading the spool entry back (header, CRC)
 * and delivering it over TLS on loopback to the test server (tests/unit/testlib_tls.h,
 * answering 201). Input: the report body. Invariants: exit 0, the server received the
 * exact bytes (up to a NUL, as the fixture keeps them), nothing is left in the spool.
 * Bodies are capped at 16000 bytes, what the fixture keeps of one request.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#include "cmds.h"
#include "exitcodes.h"
#include "fuzztls.h"
#include "report.h"

#define BODY_MAX 16000

static struct testlib_tls_server *fx;
static char url[64], ca_path[512], spool_dir[512], body_path[512];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	(void)argc;
	(void)argv;
	/* the command prints a summary per run on stdout */
	FUZZ_CHECK(null >= 0 && dup2(null, STDOUT_FILENO) == STDOUT_FILENO);
	close(null);
	fx = fuzztls_start(201, url, sizeof(url), ca_path, sizeof(ca_path));
	snprintf(spool_dir, sizeof(spool_dir), "%s", fuzz_path("spool"));
	snprintf(body_path, sizeof(body_path), "%s", fuzz_path("report.json"));
	return 0;
}

/* Queued reports left in the spool (names ending in .report). */
static int queued(void)
{
	DIR *d = opendir(spool_dir);
	struct dirent *e;
	int n = 0;

	FUZZ_CHECK(d != NULL);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".report") != NULL;
	closedir(d);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long serial;
	const struct cmd_ctx ctx = { 0 };
	char id[32], *argv[16], *body;
	int argc = 0, requests = fx->requests, rc;

	if (size > BODY_MAX)
		return 0;
	fuzz_write_file(body_path, data, size);
	snprintf(id, sizeof(id), "fuzz-%lu", ++serial);
	argv[argc++] = "report";
	argv[argc++] = "--submit";
	argv[argc++] = body_path;
	argv[argc++] = "--id";
	argv[argc++] = id;
	argv[argc++] = "--spool";
	argv[argc++] = spool_dir;
	argv[argc++] = "--server";
	argv[argc++] = url;
	argv[argc++] = "--ca";
	argv[argc++] = ca_path;
	argv[argc++] = "--proxy";
	argv[argc++] = "";
	argv[argc++] = "--attempts";
	argv[argc++] = "1";
	argv[argc] = NULL;
	optind = 0;
	rc = cmd_report(&ctx, argc, argv);
	FUZZ_CHECK(rc == EXIT_OK);
	FUZZ_CHECK(fx->requests == requests + 1);
	body = fuzz_strndup(data, size);
	FUZZ_CHECK(strcmp(fx->last_body, body) == 0);
	free(body);
	FUZZ_CHECK(queued() == 0);
	return 0;
}
