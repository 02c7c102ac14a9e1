/* SPDX-License-Identifier: MIT */
/* Shared helpers for the AMTHI codec tests: replies with every header field under control. */
#ifndef AMTACT_TESTLIB_AMTHI_H
#define AMTACT_TESTLIB_AMTHI_H

#include <stddef.h>
#include <stdint.h>

#include "amthi.h"

/* Length value meaning "the correct Length for the payload". */
#define TESTLIB_AUTO_LEN UINT32_MAX

/* The message the builders below write; a test parses it from here. */
extern uint8_t testlib_amthi_msg[8192];

/* A reply with every header field given (length TESTLIB_AUTO_LEN: correct); returns its
 * size in bytes. */
size_t testlib_amthi_raw(uint8_t major, uint8_t minor, uint16_t reserved, uint32_t cmd,
			 uint32_t length, uint32_t status, const void *p, size_t n);

/* A well-formed version 1.1 reply to cmd with status and payload p; returns its size. */
size_t testlib_amthi_reply(uint32_t cmd, uint32_t status, const void *p, size_t n);

/* A good reply around payload p, parsed into r (r points into testlib_amthi_msg); the test
 * fails unless it parses with status 0 and all n payload bytes. */
void testlib_amthi_parsed(uint32_t cmd, const void *p, size_t n, struct amthi_reply *r);

/* ret is -EBADMSG with fault f, and the reason contains in_why (unless NULL). */
void testlib_amthi_expect_fault(int ret, const struct amthi_reply *r, enum amthi_fault f,
				const char *in_why);

#endif
