// SPDX-License-Identifier: MIT
/* The port layer's rules that are the same on every system (os_int.h). */
#include <errno.h>

#include "os_int.h"

int os_dir_verdict(const struct os_stat *st, unsigned flags)
{
	if (st->type != OS_TYPE_DIR)
		return -ENOTDIR;
	if ((flags & OS_DIR_PRIVATE) && (!st->owner_is_us || st->others_write))
		return -EPERM;
	return 0;
}
