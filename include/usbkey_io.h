/* SPDX-License-Identifier: MIT */
/* Reading the inputs of `amtact usbkey` and writing setup.bin atomically. */
#ifndef AMTACT_USBKEY_IO_H
#define AMTACT_USBKEY_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "secret.h"

/*
 * Read a whole regular file (or standard input for "-") of at most `max` bytes into a
 * malloc'd buffer (*out, *len; one spare byte). With `secret` a symbolic link is refused
 * and *loose_mode says whether the file is group- or world-readable. The caller wipes
 * (secret_cleanse(*out, *len)) and frees. Returns 0 or a negative errno with e filled.
 */
int usbkey_read_file(const char *path, size_t max, bool secret, uint8_t **out, size_t *len,
		     int *loose_mode, struct amt_err *e);

/* "" when dir ends in a path separator already (a drive's root, E:\), else "/". */
const char *usbkey_dir_sep(const char *dir);

/*
 * Write dir/name atomically: a new temporary file in dir (O_EXCL, 0600), written, flushed
 * (fsync), renamed over name, then the folder flushed, so a pulled key holds the old file or
 * the new one, never half of one. An existing name is replaced only with `force` and only
 * when it is a regular file. Returns 0 or a negative errno with e filled.
 */
int usbkey_write_atomic(const char *dir, const char *name, const uint8_t *data, size_t len,
			bool force, struct amt_err *e);

#endif
