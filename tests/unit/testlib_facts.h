/* SPDX-License-Identifier: MIT */
/* What the firmware answers to each write command, by generation and state: one table of
 * facts, each with its public source, shared by the emulator's and the agent's tests. */
#ifndef AMTACT_TESTLIB_FACTS_H
#define AMTACT_TESTLIB_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The write commands the facts speak of (the agent's write operations, in its order). */
enum testlib_write {
	TESTLIB_SET_OTP,         /* AMTHI CFG_SetProvisioningServerOTP */
	TESTLIB_START_CONFIG,    /* AMTHI CFG_StartConfiguration */
	TESTLIB_STOP_CONFIG,     /* AMTHI CFG_StopConfiguration */
	TESTLIB_SET_SUFFIX,      /* AMTHI SET_DNS_SUFFIX */
	TESTLIB_ZT_ENABLE,       /* AMTHI SET_ZERO_TOUCH_ENABLED 1 */
	TESTLIB_ZT_DISABLE,      /* AMTHI SET_ZERO_TOUCH_ENABLED 0 */
	TESTLIB_ENABLE_AMT,      /* WD SetAmtOperationalState (AMT on) */
	TESTLIB_UNPROVISION,     /* AMTHI UNPROVISION */
	TESTLIB_WRITE_COUNT
};

/* The provisioning states the facts tell apart (the hello window open or elapsed). */
enum testlib_pstate {
	TESTLIB_PRE,
	TESTLIB_IN_OPEN,
	TESTLIB_IN_ELAPSED,
	TESTLIB_POST_CCM,
	TESTLIB_POST_ACM,
	TESTLIB_PSTATE_COUNT
};

/* The generations the tests cover, oldest first (as the emulator names them). */
#define TESTLIB_GEN_COUNT 7
extern const char *const testlib_generations[TESTLIB_GEN_COUNT];
extern const char *const testlib_pstate_names[TESTLIB_PSTATE_COUNT];

/* Firmware statuses the facts use (AMT_STATUS_*). */
#define TESTLIB_ST_SUCCESS 0x000u
#define TESTLIB_ST_INVALID_AMT_MODE 0x003u
#define TESTLIB_ST_NOT_PERMITTED 0x010u
#define TESTLIB_ST_CERT_NOT_READY 0x031u

/*
 * One fact: `write` sent to a box of major version major_from..major_to in one of the
 * `states` (a mask of 1 << enum testlib_pstate), on a box prepared so that the command asks
 * for a change, is answered with `status`. `already` marks the cells where the box already
 * is as asked (AMT enabled, nothing provisioned to unprovision): an agent sends nothing.
 * `source` names the public document, or starts with "UNCONFIRMED" for a project decision.
 */
struct testlib_fact {
	enum testlib_write write;
	unsigned major_from, major_to;
	unsigned states;
	uint32_t status;
	bool already;
	const char *source;
};

/* The one fact for a cell; the test fails unless exactly one row covers it. */
const struct testlib_fact *testlib_fact(enum testlib_write w, size_t gen,
					enum testlib_pstate s);

/* The major version of testlib_generations[gen] (2 for "2.6"). */
unsigned testlib_gen_major(size_t gen);

/*
 * Whether the host can tell state a from state b on generation gen: the hello window is not
 * readable over HECI, and before 6.0 there is no GET_CONTROL_MODE.
 */
bool testlib_pstate_distinguishable(size_t gen, enum testlib_pstate a, enum testlib_pstate b);

/* The hello window the firmware opens: 24 h on the first start, 6 h on a later one
 * (Symantec Altiris Out-of-Band Management 7.0 SP3 guide, p. 68). */
#define TESTLIB_FIRST_WINDOW_S 86400
#define TESTLIB_LATER_WINDOW_S 21600

/*
 * The window a start opens, from the table of window facts: on a PSK (PID/PPS) box or a
 * PKI one, on its first start or a later one. Fails the test unless exactly one row fits.
 */
long testlib_window_s(bool psk, bool first);

/* How a generation is configured remotely (doc/remote-config.md 11.5). */
enum testlib_rcfg { TESTLIB_PSK_ONLY, TESTLIB_HOST_PKI, TESTLIB_BARE_METAL_PKI };

/*
 * What a generation offers for remote configuration: how hellos start, whether PSK is
 * there, whether wildcard provisioning certificates are accepted, whether the host can
 * read zero touch (GetZeroTouchConfigurationMode), with the public source.
 */
struct testlib_gen_fact {
	const char *generation;   /* as the emulator names it */
	enum testlib_rcfg rcfg;
	bool psk, wildcard, zero_touch_query;
	const char *source;
	unsigned fwsts_count;     /* FWSTS registers the kernel shows (its chipset config) */
	unsigned mkhi_blocks;     /* MKHI GET_FW_VERSION version blocks */
};

/* The generation facts, oldest first; *count gets their number. */
const struct testlib_gen_fact *testlib_gen_facts(size_t *count);

/* Whether generation gen's machines provision by PSK by default (before AMT 11). */
bool testlib_gen_psk(size_t gen);

#endif
