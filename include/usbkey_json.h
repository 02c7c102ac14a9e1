/* SPDX-License-Identifier: MIT */
/* Showing a setup.bin: one decoded file, rendered as text or as a JSON document. */
#ifndef AMTACT_USBKEY_JSON_H
#define AMTACT_USBKEY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "err.h"

#define USBKEY_SCHEMA_VERSION 1

/*
 * Render the file `file[0..len)` (any setup.bin, ours or another tool's). Secret values
 * (MEBx passwords, PPS, enrollment passcode) are shown only with `secrets`; otherwise as
 * their length. A file whose header cannot be read: nothing rendered, -EINVAL with e
 * ("offset N: what"). A record that cannot be read is rendered with its error and the
 * others still are; the return is then -EINVAL too (e names the first bad record).
 */
int usbkey_show_text(FILE *out, const char *name, const uint8_t *file, size_t len,
		     bool secrets, struct amt_err *e);
/* The same as a JSON document (*doc; NULL on a header error). */
int usbkey_show_json(cJSON **doc, const char *name, const uint8_t *file, size_t len,
		     bool secrets, struct amt_err *e);

#endif
