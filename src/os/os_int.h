/* SPDX-License-Identifier: MIT */
/* Private to the port layer (src/os/): the rules every system's files share. */
#ifndef AMTACT_OS_INT_H
#define AMTACT_OS_INT_H

#include "os.h"

/* os_dir_open's verdict on what it opened: -ENOTDIR, -EPERM (OS_DIR_PRIVATE) or 0. */
int os_dir_verdict(const struct os_stat *st, unsigned flags);

#endif
