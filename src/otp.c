// SPDX-License-Identifier: MIT
/* One-time passwords: generation from the system's CSPRNG, validation, a private file. */
#include <errno.h>
#include <string.h>

#include "os.h"
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
		if (os_random(pool, sizeof(pool), 0) < 0) {
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
	int fd = os_open(path, OS_WRONLY | OS_CREATE | OS_EXCL);
	int ret = fd;

	if (fd < 0)
		return ret;
	ret = os_write_all(fd, s->buf, s->len);
	if (ret == 0)
		ret = os_write_all(fd, "\n", 1);
	if (ret == 0)
		ret = os_fsync(fd);
	if (ret == 0)
		return os_close(fd);
	os_close(fd);
	os_unlink_at(NULL, path);
	return ret;
}
