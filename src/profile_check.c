// SPDX-License-Identifier: MIT
/* Profile value checks (DNS names, URLs, pins), cross-field rules and defaults. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "os.h"
#include "profile_int.h"

static int why_fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

int profile_check_dns_name(const char *s, size_t max_len, char *why, size_t whylen)
{
	size_t len = strlen(s), label = 0, i;

	if (len == 0)
		return why_fail(why, whylen, "is empty");
	if (len > max_len)
		return why_fail(why, whylen, "is %zu bytes long, at most %zu allowed", len, max_len);
	for (i = 0; i <= len; i++) {
		char ch = s[i];

		if (ch == '.' || ch == '\0') {
			if (label == 0)
				return why_fail(why, whylen, "is not a DNS name: empty label at byte %zu",
						i);
			if (s[i - 1] == '-')
				return why_fail(why, whylen, "is not a DNS name: a label ends with '-'");
			label = 0;
			continue;
		}
		if (!is_alnum(ch) && ch != '-')
			return why_fail(why, whylen, "is not a DNS name: character '%c' at byte %zu "
					"(letters, digits, '-' and '.' only)", ch, i);
		if (ch == '-' && label == 0)
			return why_fail(why, whylen, "is not a DNS name: a label starts with '-'");
		if (++label > 63)
			return why_fail(why, whylen, "is not a DNS name: a label is longer than 63 bytes");
	}
	return 0;
}

int profile_check_name(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > PROFILE_NAME_MAX || !is_alnum(s[0]))
		return -EINVAL;
	for (i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return -EINVAL;
	return 0;
}

int profile_check_path(const char *s, char *why, size_t whylen)
{
	if (s[0] != '/')
		return why_fail(why, whylen, "is not an absolute path");
	return 0;
}

/* host[:port] up to the first '/', without user info: a profile never holds a password. */
static int check_authority(const char *a, char *why, size_t whylen)
{
	size_t len = strcspn(a, "/?#"), host_len, i;
	const char *colon, *at = memchr(a, '@', len);
	char *end;
	long port;

	if (at)
		return why_fail(why, whylen, "must not carry a user name or password");
	if (a[0] == '[') {
		const char *rb = memchr(a, ']', len);

		if (!rb || rb == a + 1)
			return why_fail(why, whylen, "has a malformed [IPv6] host");
		for (i = 1; a + i < rb; i++)
			if (!strchr("0123456789abcdefABCDEF:.", a[i]))
				return why_fail(why, whylen, "has a malformed [IPv6] host");
		colon = rb + 1 < a + len ? rb + 1 : NULL;
		if (colon && *colon != ':')
			return why_fail(why, whylen, "has a malformed [IPv6] host");
		host_len = (size_t)(rb - a) + 1;
	} else {
		colon = memchr(a, ':', len);
		host_len = colon ? (size_t)(colon - a) : len;
		if (host_len == 0)
			return why_fail(why, whylen, "has no host");
		for (i = 0; i < host_len; i++)
			if (!is_alnum(a[i]) && a[i] != '-' && a[i] != '.')
				return why_fail(why, whylen, "has an invalid host name");
	}
	if (colon) {
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || end != a + len || errno || port < 1 || port > 65535)
			return why_fail(why, whylen, "has an invalid port (1..65535)");
	}
	return 0;
}

static int check_no_space(const char *s, char *why, size_t whylen)
{
	if (strpbrk(s, " \t"))
		return why_fail(why, whylen, "contains a space");
	return 0;
}

int profile_check_https_url(const char *s, char *why, size_t whylen)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return why_fail(why, whylen, "uses http: only https is allowed");
	if (strncasecmp(s, "https://", 8) != 0)
		return why_fail(why, whylen, "is not an https:// URL");
	if (check_no_space(s, why, whylen))
		return -EINVAL;
	if (strchr(s, '#'))
		return why_fail(why, whylen, "must not have a #fragment");
	return check_authority(s + 8, why, whylen);
}

int profile_check_proxy(const char *s, char *why, size_t whylen)
{
	static const char *const schemes[] = {
		"http://", "https://", "socks4://", "socks4a://", "socks5://", "socks5h://", NULL
	};
	const char *rest;
	size_t i;

	if (strcmp(s, "direct") == 0)
		return 0;
	for (i = 0; schemes[i]; i++)
		if (strncasecmp(s, schemes[i], strlen(schemes[i])) == 0)
			break;
	if (!schemes[i])
		return why_fail(why, whylen, "is not \"direct\" or a proxy URL (http, https, "
				"socks4, socks4a, socks5, socks5h)");
	if (check_no_space(s, why, whylen))
		return -EINVAL;
	rest = s + strlen(schemes[i]);
	if (rest[strcspn(rest, "/")] && strcmp(rest + strcspn(rest, "/"), "/") != 0)
		return why_fail(why, whylen, "must not have a path");
	return check_authority(rest, why, whylen);
}

/* Base64 of a 32-byte SHA-256: 43 characters and one '=', the last with 2 zero bits. */
int profile_check_pin(const char *s, char *why, size_t whylen)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *pos;
	size_t i;

	if (strncmp(s, "sha256//", 8) == 0)
		return why_fail(why, whylen, "must be written without the \"sha256//\" prefix");
	if (strlen(s) != 44 || s[43] != '=')
		return why_fail(why, whylen, "is not the base64 of a SHA-256 (44 characters "
				"ending in '=')");
	for (i = 0; i < 43; i++)
		if (!s[i] || !(pos = strchr(b64, s[i])))
			return why_fail(why, whylen, "is not base64: character '%c' at byte %zu",
					s[i], i);
	pos = strchr(b64, s[42]);
	if ((pos - b64) & 3)
		return why_fail(why, whylen, "is not canonical base64 of 32 bytes");
	return 0;
}

int profile_check_alphabet(const char *s, char *why, size_t whylen)
{
	size_t len = strlen(s), i;
	unsigned char seen[128] = { 0 };

	if (len < 2)
		return why_fail(why, whylen, "needs at least 2 characters");
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x21 || ch > 0x7e)
			return why_fail(why, whylen, "may only hold printable ASCII without spaces");
		if (seen[ch]++)
			return why_fail(why, whylen, "repeats '%c'", ch);
	}
	return 0;
}

static int set_default(char **dst, const char *val)
{
	if (*dst)
		return 0;
	*dst = strdup(val);
	return *dst ? 0 : -ENOMEM;
}

int profile_set_defaults(struct profile *p)
{
	/*
	 * A building's PCs boot together. The first attempt waits a random 0..10 s, which
	 * spreads them; the retries then cover at least 15.5 s (equal jitter, report.h), so
	 * a server that is down for the first seconds of the storm still gets every report
	 * in the boot run. An attempt waits longer than the interim server may take to store
	 * a report under load (its 30 s database lock wait), so a slow answer is not taken
	 * for a lost one and posted again.
	 */
	p->server.connect_timeout_ms = 10000;
	p->server.timeout_ms = 90000;
	p->server.max_attempts = 6;
	p->server.backoff_base_ms = 1000;
	p->server.backoff_max_ms = 60000;
	p->server.first_delay_max_ms = 10000;
	p->otp.policy = PROFILE_OTP_NONE;
	p->otp.length = 16;
	p->hello = PROFILE_HELLO_WHEN_NOT_OPEN;
	p->zero_touch = PROFILE_ZERO_TOUCH_LEAVE;
	p->system_name.source = PROFILE_NAME_HOSTNAME;
	p->log.level = MSG_INFO;
	p->lock_timeout_ms = 30000;
	return 0;
}

static int set_dir_defaults(struct profile *p)
{
	if (set_default(&p->otp.alphabet, PROFILE_OTP_ALPHABET_DEFAULT) ||
	    set_default(&p->spool_dir, os_default_dir(OS_DIR_SPOOL)) ||
	    set_default(&p->state_dir, os_default_dir(OS_DIR_STATE)))
		return -ENOMEM;
	return 0;
}

static const cJSON *item(const cJSON *root, const char *obj, const char *key)
{
	if (obj)
		root = cJSON_GetObjectItemCaseSensitive(root, obj);
	return root ? cJSON_GetObjectItemCaseSensitive(root, key) : NULL;
}

/* The base name of the file without ".json", if that is a valid profile name. */
static int default_name(struct profile *p, struct profile_ctx *c)
{
	const char *base = os_path_base(c->origin);
	char name[PROFILE_NAME_MAX + 1];
	size_t len;

	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".json") == 0)
		len -= 5;
	if (len == 0 || len > PROFILE_NAME_MAX)
		goto bad;
	memcpy(name, base, len);
	name[len] = '\0';
	if (profile_check_name(name))
		goto bad;
	p->name = strdup(name);
	return p->name ? 0 : -ENOMEM;
bad:
	return profile_fail(c, "name", "is required: the file name is not a valid profile name");
}

static int check_otp(struct profile *p, const cJSON *root, struct profile_ctx *c)
{
	const char *policy = profile_otp_policy_name(p->otp.policy);

	if (p->otp.policy == PROFILE_OTP_FILE && !p->otp.file)
		return profile_fail(c, "otp.file", "is required when otp.policy is \"file\"");
	if (p->otp.policy != PROFILE_OTP_FILE && p->otp.file)
		return profile_fail(c, "otp.file", "only applies to otp.policy \"file\", not \"%s\"",
				    policy);
	if (p->otp.policy != PROFILE_OTP_RANDOM && item(root, "otp", "length"))
		return profile_fail(c, "otp.length", "only applies to otp.policy \"random\", "
				    "not \"%s\"", policy);
	if (p->otp.policy != PROFILE_OTP_RANDOM && item(root, "otp", "alphabet"))
		return profile_fail(c, "otp.alphabet", "only applies to otp.policy \"random\", "
				    "not \"%s\"", policy);
	if (p->otp.policy == PROFILE_OTP_SERVER && !p->server.present)
		return profile_fail(c, "otp.policy", "\"server\" needs a \"server\" to fetch the "
				    "OTP from");
	if (p->method == PROFILE_METHOD_PSK && p->otp.policy != PROFILE_OTP_NONE)
		return profile_fail(c, "otp.policy", "\"%s\" conflicts with method \"psk\": "
				    "the OTP belongs to remote configuration", policy);
	if (p->method == PROFILE_METHOD_PSK && p->pki_dns_suffix)
		return profile_fail(c, "pki_dns_suffix", "conflicts with method \"psk\": the PKI "
				    "DNS suffix belongs to remote configuration");
	return 0;
}

/* report_only writes nothing to the firmware: a write asked for is a contradiction. */
static int check_report_only(struct profile *p, const cJSON *root, struct profile_ctx *c)
{
	static const char why[] = "conflicts with method \"report_only\", which changes nothing";

	if (p->method != PROFILE_METHOD_REPORT_ONLY)
		return 0;
	if (p->otp.policy != PROFILE_OTP_NONE)
		return profile_fail(c, "otp.policy", "\"%s\" %s",
				    profile_otp_policy_name(p->otp.policy), why);
	if (p->pki_dns_suffix)
		return profile_fail(c, "pki_dns_suffix", "%s", why);
	if (!item(root, NULL, "hello"))
		p->hello = PROFILE_HELLO_NEVER;
	if (p->hello != PROFILE_HELLO_NEVER)
		return profile_fail(c, "hello", "\"%s\" %s", profile_hello_name(p->hello), why);
	if (p->zero_touch != PROFILE_ZERO_TOUCH_LEAVE)
		return profile_fail(c, "zero_touch", "\"%s\" %s",
				    profile_zero_touch_name(p->zero_touch), why);
	if (p->enable_amt)
		return profile_fail(c, "enable_amt", "true %s", why);
	return 0;
}

static int check_server(struct profile *p, struct profile_ctx *c)
{
	struct profile_server *s = &p->server;

	if (!s->present)
		return p->delivery == PROFILE_DELIVERY_MUST ?
		       profile_fail(c, "delivery", "\"must\" needs a \"server\" to deliver to") : 0;
	if (!s->url)
		return profile_fail(c, "server.url", "is required in \"server\"");
	if (!s->client_cert != !s->client_key)
		return profile_fail(c, s->client_cert ? "server.client_key" : "server.client_cert",
				    "is required with server.%s", s->client_cert ? "client_cert" :
				    "client_key");
	if (s->timeout_ms < s->connect_timeout_ms)
		return profile_fail(c, "server.timeout_ms", "%u is less than "
				    "server.connect_timeout_ms (%u)", s->timeout_ms,
				    s->connect_timeout_ms);
	if (s->backoff_max_ms < s->backoff_base_ms)
		return profile_fail(c, "server.backoff_max_ms", "%u is less than "
				    "server.backoff_base_ms (%u)", s->backoff_max_ms,
				    s->backoff_base_ms);
	if (p->report_file)
		return profile_fail(c, "report_file", "conflicts with \"server\": a report goes "
				    "to one place");
	return 0;
}

/*
 * Where a directory is, or would be once created: its real path (links and "..", "."
 * resolved), else its parent's real path and its last name. False when neither resolves.
 */
static bool real_dir(const char *path, char out[PATH_MAX])
{
	char copy[PATH_MAX], parent[PATH_MAX];
	size_t len = strlen(path);
	char *slash;
	int n;

	if (os_real_path(path, out, PATH_MAX) == 0)
		return true;
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(copy))
		return false;
	memcpy(copy, path, len);
	copy[len] = '\0';
	slash = strrchr(copy, '/');
	if (!slash || !slash[1])
		return false;
	*slash = '\0';
	if (os_real_path(slash == copy ? "/" : copy, parent, sizeof(parent)) < 0)
		return false;
	n = snprintf(out, PATH_MAX, "%s/%s", strcmp(parent, "/") ? parent : "", slash + 1);
	return n > 0 && n < PATH_MAX;
}

/* The same directory under two names (a link, "..", a trailing slash)? */
static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (strcmp(a, b) == 0)
		return true;
	return real_dir(a, ra) && real_dir(b, rb) && strcmp(ra, rb) == 0;
}

static int check_misc(struct profile *p, struct profile_ctx *c)
{
	if (p->system_name.source == PROFILE_NAME_FIXED && !p->system_name.value)
		return profile_fail(c, "system_name.value", "is required when system_name.source "
				    "is \"fixed\"");
	if (p->system_name.source != PROFILE_NAME_FIXED && p->system_name.value)
		return profile_fail(c, "system_name.value", "only applies to system_name.source "
				    "\"fixed\", not \"%s\"",
				    profile_name_source_name(p->system_name.source));
	if (same_dir(p->spool_dir, p->state_dir))
		return profile_fail(c, "state_dir", "must differ from spool_dir (\"%s\" and \"%s\" "
				    "are the same directory)", p->state_dir, p->spool_dir);
	return 0;
}

int profile_check_conflicts(struct profile *p, const cJSON *root, struct profile_ctx *c)
{
	int ret;

	ret = set_dir_defaults(p);
	if (!ret && !p->name)
		ret = default_name(p, c);
	if (!ret)
		ret = check_otp(p, root, c);
	if (!ret)
		ret = check_report_only(p, root, c);
	if (!ret)
		ret = check_server(p, c);
	if (!ret)
		ret = check_misc(p, c);
	return ret;
}
