/* SPDX-License-Identifier: MIT */
/* Reading a whole file descriptor into a caller's buffer, EINTR retried. */
#ifndef AMTACT_FILEIO_H
#define AMTACT_FILEIO_H

#include <stddef.h>

/*
 * Read from fd until end of file or until `cap` bytes are in buf; *len is what was read.
 * A caller that must tell "too long" passes one byte more than it accepts and checks
 * *len. Returns 0 or a negative errno (what was read so far stays in buf: the caller wipes
 * it if it is a secret).
 */
int fileio_read_all(int fd, void *buf, size_t cap, size_t *len);

#endif
