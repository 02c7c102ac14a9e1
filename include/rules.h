/* SPDX-License-Identifier: MIT */
/* The firmware's rules for write operations, checked against the state read beforehand. */
#ifndef AMTACT_RULES_H
#define AMTACT_RULES_H

#include <stdint.h>

#include "me.h"

enum op {
	OP_SET_OTP = 0,
	OP_START_CONFIG,
	OP_STOP_CONFIG,
	OP_SET_SUFFIX,
	OP_ZERO_TOUCH_ENABLE,
	OP_ZERO_TOUCH_DISABLE,
	OP_ENABLE_AMT,
	OP_UNPROVISION,
	OP_COUNT
};

enum rule_verdict {
	RULE_ALLOW = 0,   /* the firmware should accept it */
	RULE_MAYBE,       /* depends on something the host cannot read (the hello window) */
	RULE_NO_CHANGE,   /* the box is already in the asked-for state: nothing to send */
	RULE_REFUSE,      /* the firmware would refuse: say why, send only with --force */
};

struct rule_result {
	enum rule_verdict verdict;
	const char *rule;    /* the rule in plain words, e.g. "the OTP cannot be set once ..." */
	const char *source;  /* where the rule comes from, or "UNCONFIRMED: ..." */
	const char *hint;    /* what to do instead; may be "" */
	uint32_t expected_status; /* the status the firmware would answer on RULE_REFUSE */
};

/* Stable operation names ("set-otp", "start-config", ...). */
const char *rules_op_name(enum op op);

/*
 * Check an operation against the state in `before` (read at ME_READ_STATE or more).
 * `suffix` is the requested PKI DNS suffix for OP_SET_SUFFIX (else ignored).
 * Always fills *out; never touches the firmware.
 */
void rules_check(enum op op, const struct me_info *before, const char *suffix,
		 struct rule_result *out);

/*
 * Validate a PKI DNS suffix: 1..223 bytes, labels of 1..63 letters, digits and hyphens,
 * not starting or ending with a hyphen, no empty label (one trailing dot is allowed).
 * Returns NULL if fine, else the reason.
 */
const char *rules_dns_suffix_invalid(const char *suffix);

#endif
