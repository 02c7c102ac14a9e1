// SPDX-License-Identifier: MIT
/* One-time passwords: CSPRNG generation, validation and a private file to hand them over. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "otp.h"

int otp_generate(struct secret *s, size_t len)
{
	return otp_generate_from(s, len, OTP_ALPHABET);
}

int otp_generate_from(struct secret *s, size_t len, const char *alphabet)
{
	const size_t n = alphabet ? strlen(alphabet) : 0;
	/* Largest multiple of n up to 256: bytes at or above it are drawn again. */
	const unsigned limit = n ? 256 - 256 % (unsigned)n : 0;
	unsigned char pool[64];
	size_t have = 0;
	int ret = -EINVAL;

	secret_wipe(s);
	if (len < OTP_MIN_LEN || len > OTP_MAX_LEN || n < 2 || n > 256)
		return ret;
	while (have < len) {
		if (RAND_bytes(pool, sizeof(pool)) != 1) {
			ret = -EIO;
			goto out;
		}
		for (size_t i = 0; i < sizeof(pool) && have < len; i++)
			if (pool[i] < limit)
				s->buf[have++] = alphabet[pool[i] % n];
	}
	s->len = len;
	s->buf[len] = '\0';
	ret = 0;
out:
	secret_cleanse(pool, sizeof(pool));
	if (ret)
		secret_wipe(s);
	return ret;
}

const char *otp_invalid(const struct secret *s)
{
	if (s->len < OTP_MIN_LEN)
		return "the OTP is shorter than 8 characters";
	if (s->len > OTP_MAX_LEN)
		return "the OTP is longer than 32 characters";
	for (size_t i = 0; i < s->len; i++)
		if (s->buf[i] <= ' ' || s->buf[i] > '~')
			return "the OTP has a character that is not printable ASCII (or a space)";
	return NULL;
}

int otp_write_file(const struct secret *s, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int ret = -errno;
	size_t off = 0;

	if (fd < 0)
		return ret;
	while (off < s->len) {
		ssize_t n = write(fd, s->buf + off, s->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			goto fail;
		}
		off += (size_t)n;
	}
	for (;;) {
		ssize_t n = write(fd, "\n", 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1) {
			/* errno is not set by a write that wrote nothing: never report 0 here */
			ret = n < 0 ? -errno : -EIO;
			goto fail;
		}
		break;
	}
	if (fsync(fd) != 0) {
		ret = -errno;
		goto fail;
	}
	return close(fd) == 0 ? 0 : -errno;
fail:
	close(fd);
	unlink(path);
	return ret;
}
