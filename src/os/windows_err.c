// SPDX-License-Identifier: MIT
/*
 * strerror() with the same words as on Linux (the build links it with
 * -Wl,--wrap=strerror): messages, tests and scripts read alike on both systems, and the
 * C runtime's own table lacks most of the codes the agent uses.
 */
#include <errno.h>
#include <string.h>

#include "os.h"

char *__real_strerror(int err);
char *__wrap_strerror(int err);

static const struct {
	int err;
	const char *text;
} texts[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ ESRCH, "No such process" },
	{ EINTR, "Interrupted system call" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ EBADF, "Bad file descriptor" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ EMFILE, "Too many open files" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ EROFS, "Read-only file system" },
	{ EPIPE, "Broken pipe" },
	{ ERANGE, "Numerical result out of range" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOLCK, "No locks available" },
	{ ENOSYS, "Function not implemented" },
	{ ENOTEMPTY, "Directory not empty" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ ENODATA, "No data available" },
	{ ETIMEDOUT, "Connection timed out" },
	{ EPROTO, "Protocol error" },
	{ EBADMSG, "Bad message" },
	{ EOVERFLOW, "Value too large for defined data type" },
	{ EMSGSIZE, "Message too long" },
	{ ENOTSUP, "Operation not supported" },
	{ ECANCELED, "Operation canceled" },
	{ ECONNRESET, "Connection reset by peer" },
	{ ECONNREFUSED, "Connection refused" },
	{ EHOSTUNREACH, "No route to host" },
	{ EKEYREJECTED, "Key was rejected by service" },
	{ EREMOTEIO, "Remote I/O error" },
	{ ESTALE, "Stale file handle" },
};

char *__wrap_strerror(int err)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].err == err)
			return (char *)texts[i].text;
	return __real_strerror(err);
}
