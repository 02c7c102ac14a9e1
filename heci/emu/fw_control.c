// SPDX-License-Identifier: MIT
/* The emulator's control language: fault injection, clock, field edits, "show" and "clear". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fw_int.h"

#define MAX_ARGS 3

static const char *const malformed_names[] = { "", "empty", "short", "length", "command",
					       "reserved", "version", "size", "trailing" };

const char *fw_malformed_name(enum fw_malformed m)
{
	return (unsigned)m < sizeof(malformed_names) / sizeof(malformed_names[0]) ?
		       malformed_names[m] : "";
}

int fw_malformed_parse(const char *s, enum fw_malformed *m)
{
	unsigned i;

	for (i = 1; i < sizeof(malformed_names) / sizeof(malformed_names[0]); i++)
		if (strcmp(s, malformed_names[i]) == 0) {
			*m = (enum fw_malformed)i;
			return 0;
		}
	return -1;
}

/* Split into words; the last argument of "set" keeps the rest of the line. */
static int split(char *line, char *argv[], int max, bool rest_last)
{
	int argc = 0;
	char *p = line;

	while (*p && argc < max) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		if (rest_last && argc == max)
			break;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (*p && !(rest_last && argc == max)) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return -1;
	}
	return argc;
}

static int num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, outlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int show(struct fw *fw, char *out, size_t outlen)
{
	char *s = fw_state_json(fw);

	if (!s)
		return fail(out, outlen, "%s", "out of memory");
	snprintf(out, outlen, "%s", s);
	free(s);
	return 0;
}

static int cmd_code(const char *name, uint32_t *code, char *out, size_t outlen)
{
	*code = fw_cmd_by_name(name);
	if (!*code)
		return fail(out, outlen, "unknown command name \"%s\"", name);
	return 0;
}

static int faults(struct fw *fw, int argc, char *argv[], char *out, size_t outlen)
{
	long long a = 0, b = 500;
	struct fw_faults *f = &fw->faults;
	enum fw_malformed m;
	uint32_t code;

	if (strcmp(argv[0], "busy") == 0 && (argc == 2 || argc == 3) &&
	    !num(argv[1], 0, 1000000, &a)) {
		static const char *const clients[] = { "AMTHI", "MKHI", "WD" };
		unsigned which = 0;

		for (unsigned i = 0; argc == 3 && i < 3; i++)
			if (strcasecmp(argv[2], clients[i]) == 0)
				which = i + 1;
		if (argc == 3 && !which) {
			snprintf(out, outlen, "busy: the client is AMTHI, MKHI or WD, not \"%s\"",
				 argv[2]);
			return -EINVAL;
		}
		f->busy = (unsigned)a;
		f->busy_client = which;
	} else if (strcmp(argv[0], "reset-after") == 0 && (argc == 2 || argc == 3) &&
		   !num(argv[1], 0, 1000000, &a) &&
		   (argc == 2 || !num(argv[2], 0, 600000, &b))) {
		f->reset_after = (unsigned)a;
		f->recovery_ms = (unsigned)b;
	} else if (strcmp(argv[0], "noreply") == 0 && argc == 2) {
		if (cmd_code(argv[1], &code, out, outlen))
			return -EINVAL;
		f->noreply = code;
	} else if (strcmp(argv[0], "malformed") == 0 && argc == 3) {
		if (cmd_code(argv[1], &code, out, outlen))
			return -EINVAL;
		if (fw_malformed_parse(argv[2], &m))
			return fail(out, outlen, "unknown malformation \"%s\" (empty short "
				    "length command reserved version size trailing)", argv[2]);
		f->malformed_cmd = code;
		f->malformed = m;
	} else if (strcmp(argv[0], "latency") == 0 && argc == 2 &&
		   !num(argv[1], 0, 600000, &a)) {
		f->latency_ms = (unsigned)a;
	} else {
		return fail(out, outlen, "bad arguments to \"%s\"", argv[0]);
	}
	snprintf(out, outlen, "ok");
	return 0;
}

static int clock_cmds(struct fw *fw, int argc, char *argv[], char *out, size_t outlen)
{
	long long a;

	if (argc != 2 || num(argv[1], -3153600000LL, 3153600000LL, &a))
		return fail(out, outlen, "bad arguments to \"%s\"", argv[0]);
	if (strcmp(argv[0], "advance") == 0)
		fw->clock_offset += a;
	else
		fw->cert_ready_at = fw_now(fw) + a;
	fw->dirty = 1;
	snprintf(out, outlen, "ok");
	return 0;
}

/*
 * "hello-now" needs a front end that sends (amtsim --hello-to / --hello-dns): amtsim takes
 * the command before it reaches the core. Here only the refusals remain.
 */
static int hello_now(struct fw *fw, char *out, size_t outlen)
{
	if (fw_hello_silent(fw))
		return fail(out, outlen, "%s", fw_hello_silent(fw));
	if (!fw_hello_open(fw, fw_now(fw)))
		return fail(out, outlen, "%s", "the hello window is closed "
			    "(START_CONFIGURATION opens it)");
	return fail(out, outlen, "%s", "no hello sender here (amtsim --hello-to or "
		    "--hello-dns sends hellos)");
}

static int dispatch(struct fw *fw, int argc, char *argv[], char *out, size_t outlen)
{
	const char *c = argv[0];

	if (strcmp(c, "show") == 0 && argc == 1)
		return show(fw, out, outlen);
	if (strcmp(c, "clear") == 0 && argc == 1) {
		memset(&fw->faults, 0, sizeof(fw->faults));
		fw->faults.recovery_ms = 500;
		fw->reset_until_ms = 0;
		snprintf(out, outlen, "ok");
		return 0;
	}
	if (strcmp(c, "strict") == 0 && argc == 2 &&
	    (strcmp(argv[1], "on") == 0 || strcmp(argv[1], "off") == 0)) {
		fw->strict = strcmp(argv[1], "on") == 0;
		fw->dirty = 1;
		snprintf(out, outlen, "ok");
		return 0;
	}
	if (strcmp(c, "set") == 0 && argc == 3) {
		if (fw_state_set(fw, argv[1], argv[2], out, outlen))
			return -EINVAL;
		snprintf(out, outlen, "ok");
		return 0;
	}
	if (strcmp(c, "power-cycle") == 0 && argc == 1)
		return fw_power_cycle(fw, out, outlen);
	if (strcmp(c, "usb-key") == 0 && argc == 2)
		return fw_usbkey_insert(fw, argv[1], out, outlen);
	if (strcmp(c, "facts") == 0 && argc == 1)
		return fw_facts(fw, out, outlen);
	if (strcmp(c, "sysfs") == 0 && argc == 2)
		return fw_dev_sysfs(fw, argv[1], out, outlen);
	if (strcmp(c, "hello-now") == 0 && argc == 1)
		return hello_now(fw, out, outlen);
	if (strcmp(c, "advance") == 0 || strcmp(c, "slow-key") == 0)
		return clock_cmds(fw, argc, argv, out, outlen);
	if (strcmp(c, "busy") == 0 || strcmp(c, "reset-after") == 0 ||
	    strcmp(c, "noreply") == 0 || strcmp(c, "malformed") == 0 ||
	    strcmp(c, "latency") == 0)
		return faults(fw, argc, argv, out, outlen);
	return fail(out, outlen, "unknown control command \"%s\"", c);
}

int fw_control(struct fw *fw, const char *line, char *out, size_t outlen)
{
	char *argv[MAX_ARGS], *copy;
	size_t len;
	int argc, ret;

	if (outlen)
		out[0] = '\0';
	copy = strdup(line ? line : "");
	if (!copy)
		return fail(out, outlen, "%s", "out of memory");
	len = strlen(copy);
	while (len && (copy[len - 1] == '\n' || copy[len - 1] == '\r' || copy[len - 1] == ' '))
		copy[--len] = '\0';
	argc = split(copy, argv, MAX_ARGS, strncmp(copy, "set", 3) == 0);
	if (argc <= 0)
		ret = fail(out, outlen, "%s", argc ? "too many arguments" : "empty command");
	else
		ret = dispatch(fw, argc, argv, out, outlen);
	free(copy);
	return ret;
}
