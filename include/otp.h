/* SPDX-License-Identifier: MIT */
/* The provisioning-server one-time password: where it comes from, how it is checked. */
#ifndef AMTACT_OTP_H
#define AMTACT_OTP_H

#include <stddef.h>

#include "secret.h"

#define OTP_MIN_LEN 8
#define OTP_MAX_LEN 32
#define OTP_DEFAULT_LEN 16
/* No look-alike characters (0/O, 1/l/I), so a technician can read it aloud. */
#define OTP_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

/*
 * Fill `s` with `len` characters drawn uniformly from OTP_ALPHABET using the system's
 * CSPRNG (os_random: getrandom, BCryptGenRandom; rejection sampling, no modulo bias).
 * Returns 0, -EINVAL for a length outside OTP_MIN_LEN..OTP_MAX_LEN, -EIO if the CSPRNG
 * fails (s wiped).
 */
int otp_generate(struct secret *s, size_t len);

/* The same with the characters of `alphabet` (2..256 of them, e.g. a profile's otp.alphabet);
 * -EINVAL for an alphabet outside that range. */
int otp_generate_from(struct secret *s, size_t len, const char *alphabet);

/*
 * NULL if the OTP is acceptable (8..32 printable ASCII characters, no spaces: Intel's LMS
 * refuses other lengths before sending, doc/remote-config.md 7), else the reason. Never quotes the OTP.
 */
const char *otp_invalid(const struct secret *s);

/*
 * Write the OTP to a new file created with mode 0600 (O_EXCL|O_NOFOLLOW: an existing file
 * or a symlink is refused), followed by a newline, fsync'd. Returns 0 or -errno.
 */
int otp_write_file(const struct secret *s, const char *path);

#endif
