/* SPDX-License-Identifier: MIT */
/* Private to the spool: the format of one queued entry, its name and header (spool_entry.c). */
#ifndef AMTACT_SPOOL_ENTRY_H
#define AMTACT_SPOOL_ENTRY_H

#include <stddef.h>

#define SPOOL_ENTRY_SUFFIX ".report"
#define SPOOL_ENTRY_TS_DIGITS 20
/* The header line is never longer than this, newline included. */
#define SPOOL_ENTRY_HEADER_MAX 64

/*
 * A queued report's name: 20 digits, '-', a valid report id, ".report". Returns 0 and
 * copies the id (NUL-terminated) into `id`, or -EINVAL. `name` is a C string.
 */
int spool_entry_parse_name(const char *name, char *id, size_t id_cap);

/*
 * Check the `size` bytes of a whole spool file (not NUL-terminated; nothing past `size`
 * is read): "AMTACT-SPOOL 1 <length> <crc32>\n" then exactly <length> body bytes whose
 * CRC-32 is <crc32>. The length is decimal digits without leading zeros, the CRC exactly 8
 * hex digits, as spool_put writes them: no sign, blank or "0x". Returns the header length (where the
 * body starts) or -EBADMSG.
 */
long spool_entry_check_header(const char *p, size_t size);

#endif
