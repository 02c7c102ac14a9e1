/* SPDX-License-Identifier: MIT */
/* Internal to the AMTHI codec (amthi.c, amthi_dec.c): recording why a reply is refused. */
#ifndef AMTACT_AMTHI_INT_H
#define AMTACT_AMTHI_INT_H

#include "amthi.h"

/*
 * Set r->fault, and r->err to -EBADMSG with "reply to <COMMAND>: <formatted defect>".
 * Returns -EBADMSG so callers can `return amthi_fail(...)`.
 */
int amthi_fail(struct amthi_reply *r, enum amthi_fault f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
