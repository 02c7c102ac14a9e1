// SPDX-License-Identifier: MIT
/* Building a setup.bin from a spec: versions per generation, PSK pairs, the PKI record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "usbkey.h"

void usbkey_spec_init(struct usbkey_spec *s)
{
	memset(s, 0, sizeof(*s));
	secret_init(&s->password);
}

void usbkey_spec_clear(struct usbkey_spec *s)
{
	if (s->psk) {
		secret_cleanse(s->psk, s->psk_count * sizeof(*s->psk));
		free(s->psk);
	}
	secret_wipe(&s->password);
	s->psk = NULL;
	s->psk_count = s->psk_cap = 0;
}

int usbkey_version_for_amt(unsigned amt_major, unsigned *type, uint8_t *minor)
{
	*minor = 0;
	if (amt_major < 2)
		return -EINVAL;
	if (amt_major == 2)
		*type = 1;
	else if (amt_major == 3)
		*type = 2;
	else if (amt_major <= 5) {
		*type = 2;
		*minor = 1;
	} else {
		*type = 3;
	}
	return 0;
}

int usbkey_version_parse(const char *s, unsigned *type, uint8_t *minor)
{
	static const struct {
		const char *name;
		unsigned type;
		uint8_t minor;
	} names[] = { { "1", 1, 0 }, { "2", 2, 0 }, { "2.0", 2, 0 }, { "2.1", 2, 1 },
		      { "3", 3, 0 }, { "4", 4, 0 } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*type = names[i].type;
			*minor = names[i].minor;
			return 0;
		}
	}
	return -EINVAL;
}

int usbkey_ipv4_parse(const char *s, uint8_t a[4])
{
	unsigned v = 0, part = 0, digits = 0;

	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s - '0');
			if (++digits > 3 || v > 255)
				return -EINVAL;
		} else if ((*s == '.' || *s == 0) && digits) {
			a[part++] = (uint8_t)v;
			if (*s == 0)
				return part == 4 ? 0 : -EINVAL;
			if (part == 4)
				return -EINVAL;
			v = digits = 0;
		} else {
			return -EINVAL;
		}
	}
}

int usbkey_hash_parse(const char *arg, struct usbkey_hash *h, struct amt_err *e)
{
	static const char *const algos[] = { "sha1", "sha256", "sha384" };
	const char *hex = strchr(arg, ':'), *name = hex ? strchr(hex + 1, ':') : NULL;
	size_t hexlen;

	memset(h, 0, sizeof(*h));
	if (!hex || !name)
		return err_set(e, -EINVAL, "certificate hash \"%s\": expected ALGORITHM:HEX:NAME "
			       "(sha1, sha256 or sha384)", arg);
	for (unsigned i = 0; i < 3; i++)
		if ((size_t)(hex - arg) == strlen(algos[i]) && !strncmp(arg, algos[i], strlen(algos[i])))
			h->algo = i + 1;
	hexlen = (size_t)(name - hex - 1);
	if (!h->algo)
		return err_set(e, -EINVAL, "certificate hash: unknown algorithm \"%.*s\" (sha1, "
			       "sha256 or sha384)", (int)(hex - arg), arg);
	h->len = setupbin_hash_len(h->algo);
	if (hexlen != 2 * h->len)
		return err_set(e, -EINVAL, "certificate hash: %zu hex digits, %s needs %zu",
			       hexlen, algos[h->algo - 1], 2 * h->len);
	for (size_t i = 0; i < h->len; i++) {
		int hi = hex_nibble(hex[1 + 2 * i]), lo = hex_nibble(hex[2 + 2 * i]);

		if (hi < 0 || lo < 0)
			return err_set(e, -EINVAL, "certificate hash: \"%.2s\" is not hex",
				       hex + 1 + 2 * i);
		h->hash[i] = (uint8_t)(hi << 4 | lo);
	}
	name++;
	if (!*name || strlen(name) > SETUPBIN_CERT_NAME_MAX)
		return err_set(e, -EINVAL, "certificate hash name: 1 to %d characters",
			       SETUPBIN_CERT_NAME_MAX);
	memcpy(h->name, name, strlen(name) + 1);
	return 0;
}

/* One "PID PPS" line into s->psk (grown as needed). */
static int psk_line(struct usbkey_spec *s, const char *p, size_t n, unsigned line,
		    struct amt_err *e)
{
	struct usbkey_psk pair = { { 0 }, { 0 } }, *grown;
	struct setupbin_err se = { 0, "" };
	size_t cut = 0, rest;
	int ret = -EINVAL;

	while (cut < n && !strchr(" \t,;", p[cut]))
		cut++;
	rest = cut;
	while (rest < n && strchr(" \t,;", p[rest]))
		rest++;
	if (cut == n || rest == n) {
		err_set(e, ret, "line %u: expected a PID and a PPS", line);
		goto out;
	}
	if (setupbin_pid_parse(p, cut, pair.pid, &se) < 0 ||
	    setupbin_pps_parse(p + rest, n - rest, pair.pps, &se) < 0) {
		err_set(e, ret, "line %u: %s", line, se.msg);
		goto out;
	}
	if (s->psk_count == USBKEY_RECORDS_MAX) {
		ret = err_set(e, -E2BIG, "line %u: more than %u pairs", line, USBKEY_RECORDS_MAX);
		goto out;
	}
	if (s->psk_count == s->psk_cap) {
		size_t cap = s->psk_cap ? 2 * s->psk_cap : 16;

		grown = calloc(cap, sizeof(*grown));
		if (!grown) {
			ret = err_set(e, -ENOMEM, "out of memory");
			goto out;
		}
		/* Copied by hand, not realloc'd: realloc would leave the old PPS copies unwiped. */
		if (s->psk_count)
			memcpy(grown, s->psk, s->psk_count * sizeof(*grown));
		if (s->psk) {
			secret_cleanse(s->psk, s->psk_count * sizeof(*s->psk));
			free(s->psk);
		}
		s->psk = grown;
		s->psk_cap = cap;
	}
	s->psk[s->psk_count] = pair;
	s->psk_count++;
	ret = 0;
out:
	secret_cleanse(&pair, sizeof(pair));
	secret_cleanse(&se, sizeof(se));
	return ret;
}

int usbkey_psk_parse(struct usbkey_spec *s, const char *text, size_t len, struct amt_err *e)
{
	size_t start = 0, end, n;
	unsigned line = 0;
	int ret;

	while (start < len) {
		line++;
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		n = end - start;
		while (n && (text[start + n - 1] == '\r' || text[start + n - 1] == ' ' ||
			     text[start + n - 1] == '\t'))
			n--;
		while (n && (text[start] == ' ' || text[start] == '\t')) {
			start++;
			n--;
		}
		if (n && text[start] != '#') {
			ret = psk_line(s, text + start, n, line, e);
			if (ret < 0)
				return ret;
		}
		start = end + 1;
	}
	return 0;
}
