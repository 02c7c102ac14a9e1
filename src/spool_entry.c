// SPDX-License-Identifier: MIT
/* The format of one queued spool entry: its name and its header line (spool_entry.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "report.h"
#include "spool_entry.h"
#include "spool_fs.h"

#define SUFFIX_LEN (sizeof(SPOOL_ENTRY_SUFFIX) - 1)
#define MAGIC "AMTACT-SPOOL 1 "
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define CRC_DIGITS 8

int spool_entry_parse_name(const char *name, char *id, size_t id_cap)
{
	size_t n = strlen(name), idlen;

	if (n <= SPOOL_ENTRY_TS_DIGITS + 1 + SUFFIX_LEN || name[SPOOL_ENTRY_TS_DIGITS] != '-' ||
	    strcmp(name + n - SUFFIX_LEN, SPOOL_ENTRY_SUFFIX) != 0)
		return -EINVAL;
	for (size_t i = 0; i < SPOOL_ENTRY_TS_DIGITS; i++)
		if (name[i] < '0' || name[i] > '9')
			return -EINVAL;
	idlen = n - SPOOL_ENTRY_TS_DIGITS - 1 - SUFFIX_LEN;
	if (idlen >= id_cap)
		return -EINVAL;
	memcpy(id, name + SPOOL_ENTRY_TS_DIGITS + 1, idlen);
	id[idlen] = 0;
	return report_id_valid(id) ? 0 : -EINVAL;
}

static int digit_value(char c, unsigned base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (base == 16 && c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (base == 16 && c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v;
}

/*
 * Digits in `base` from p up to the first other byte before lim (strtoull would skip
 * blanks, newlines included, accept a sign and "0x", and read past an unterminated
 * buffer). Returns where they end, or NULL for none or an overflow.
 */
static const char *digits(const char *p, const char *lim, unsigned base,
			  unsigned long long *out)
{
	const char *start = p;
	unsigned long long v = 0;
	int d;

	for (; p < lim && (d = digit_value(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return NULL;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return p > start ? p : NULL;
}

long spool_entry_check_header(const char *p, size_t size)
{
	const char *nl = memchr(p, '\n', size < SPOOL_ENTRY_HEADER_MAX ? size :
					     SPOOL_ENTRY_HEADER_MAX);
	unsigned long long len, crc;
	const char *q;
	size_t body;

	if (!nl || (size_t)(nl - p) < MAGIC_LEN || memcmp(p, MAGIC, MAGIC_LEN) != 0)
		return -EBADMSG;
	q = digits(p + MAGIC_LEN, nl, 10, &len);
	if (!q || *q != ' ' || (p[MAGIC_LEN] == '0' && q - p > (long)MAGIC_LEN + 1))
		return -EBADMSG; /* spool_put never writes leading zeros */
	if (digits(q + 1, nl, 16, &crc) != nl || nl - (q + 1) != CRC_DIGITS)
		return -EBADMSG;
	body = size - (size_t)(nl + 1 - p);
	if (len != body || spool_fs_crc32(nl + 1, body) != (uint32_t)crc)
		return -EBADMSG;
	return nl + 1 - p;
}
