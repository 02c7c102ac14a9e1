// SPDX-License-Identifier: MIT
/* What the firmware answers to each write command, by generation and state, with sources
 * (the project's own account of them: doc/remote-config.md 11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testlib_facts.h"

const char *const testlib_generations[TESTLIB_GEN_COUNT] = {
	"2.6", "6.2", "9.1", "11.8", "12.0", "16.1", "19.0",
};

const char *const testlib_pstate_names[TESTLIB_PSTATE_COUNT] = {
	"pre", "in(window open)", "in(window elapsed)", "post-ccm", "post-acm",
};

#define PRE (1u << TESTLIB_PRE)
#define IN_OPEN (1u << TESTLIB_IN_OPEN)
#define IN_ELAPSED (1u << TESTLIB_IN_ELAPSED)
#define POST ((1u << TESTLIB_POST_CCM) | (1u << TESTLIB_POST_ACM))
#define ALL (PRE | IN_OPEN | IN_ELAPSED | POST)
#define ANY_GEN 0, 99
#define OK TESTLIB_ST_SUCCESS
#define MODE TESTLIB_ST_INVALID_AMT_MODE
#define NOT_PERMITTED TESTLIB_ST_NOT_PERMITTED

#define SDK "Intel AMT SDK (Implementation and Reference Guide), "
#define SDK_OTP SDK "CFG_SetProvisioningServerOTP: refused once provisioned, and in " \
	"provisioning until the provisioning period has passed"
#define SDK_START SDK "CFG_StartConfiguration: refused once provisioned, and in provisioning " \
	"until the provisioning period has passed"
#define PTHI_STOP "Intel PTHI C code, pthi_StopConfiguration (comment): INVALID_AMT_MODE " \
	"when not in provisioning or when the provisioning period has expired"
#define SDK_SUFFIX SDK "CFG_SetPkiFQDNSuffix: refused once provisioned, and in provisioning " \
	"until the provisioning period has passed (the status INVALID_AMT_MODE is UNCONFIRMED)"
#define SDK_ZT_ON SDK "CFG_SetZeroTouchEnabled: from ME 12 the host may only disable " \
	"remote configuration (the status of a refused enable is UNCONFIRMED; NOT_PERMITTED is " \
	"the emulator's, amtsim(5))"
#define SDK_ZT_OFF SDK "CFG_SetZeroTouchEnabled: from ME 12 the host may disable remote " \
	"configuration only before provisioning, else INVALID_AMT_MODE"
#define ZT_BEFORE_12 SDK "CFG_SetZeroTouchEnabled: host software may use it from ME 12 only " \
	"(the status before 12 is UNCONFIRMED; NOT_PERMITTED is the emulator's, amtsim(5))"
#define ZT_IN_PROV "Intel AMT remote configuration use-case document (Setup and " \
	"Configuration): SetZeroTouchConfigurationMode while in provisioning answers " \
	"NOT_PERMITTED"
#define RPCGO "device-management-toolkit/rpc-go "
#define SDK_UNPROV SDK "CFG_Unprovision: only in client control mode"
#define BEFORE_CCM "UNCONFIRMED: project decision, control modes exist from AMT 6.2 (Intel " \
	"SCS guide, Control Modes); before, the emulator unprovisions a provisioned box unless " \
	"its state marks it admin control mode (amtsim(5))"
#define SRC_ALTIRIS "Symantec Altiris Out-of-Band Management 7.0 SP3 guide, p. 68: 24 h the " \
	"first time, 6 h on every later start"
#define HP_PSK "HP white paper on Intel AMT provisioning, p. 21: a PID/PPS (PSK) box looks " \
	"for its setup server for 6 h while powered and networked"

/* Sorted by write; within a write the rows cover every generation and state once. */
static const struct testlib_fact facts[] = {
	{ TESTLIB_SET_OTP, ANY_GEN, PRE | IN_ELAPSED, OK, false, SDK_OTP },
	{ TESTLIB_SET_OTP, ANY_GEN, IN_OPEN | POST, MODE, false, SDK_OTP },
	{ TESTLIB_START_CONFIG, ANY_GEN, PRE | IN_ELAPSED, OK, false, SDK_START },
	{ TESTLIB_START_CONFIG, ANY_GEN, IN_OPEN | POST, MODE, false, SDK_START },
	{ TESTLIB_STOP_CONFIG, ANY_GEN, IN_OPEN, OK, false, PTHI_STOP },
	{ TESTLIB_STOP_CONFIG, ANY_GEN, PRE | IN_ELAPSED | POST, MODE, false, PTHI_STOP },
	{ TESTLIB_SET_SUFFIX, ANY_GEN, PRE | IN_ELAPSED, OK, false, SDK_SUFFIX },
	{ TESTLIB_SET_SUFFIX, ANY_GEN, IN_OPEN | POST, MODE, false, SDK_SUFFIX },
	{ TESTLIB_ZT_ENABLE, 0, 11, ALL, NOT_PERMITTED, false, ZT_BEFORE_12 },
	{ TESTLIB_ZT_ENABLE, 12, 99, ALL, NOT_PERMITTED, false, SDK_ZT_ON },
	{ TESTLIB_ZT_DISABLE, 0, 11, ALL, NOT_PERMITTED, false, ZT_BEFORE_12 },
	{ TESTLIB_ZT_DISABLE, 12, 99, PRE, OK, false, SDK_ZT_OFF },
	{ TESTLIB_ZT_DISABLE, 12, 99, IN_OPEN | IN_ELAPSED, NOT_PERMITTED, false, ZT_IN_PROV },
	{ TESTLIB_ZT_DISABLE, 12, 99, POST, MODE, false, SDK_ZT_OFF },
	{ TESTLIB_ENABLE_AMT, ANY_GEN, ALL, OK, true,
	  SDK "Checking Whether Intel AMT Is Enabled: nothing to do when AMT is already enabled "
	  "(the tests' boxes answer on AMTHI, so AMT is on); SDK MHC_SetAmtOperationalState: "
	  "only while unprovisioned" },
	{ TESTLIB_UNPROVISION, ANY_GEN, PRE, MODE, true,
	  SDK_UNPROV ", and nothing is provisioned (the status INVALID_AMT_MODE is "
	  "UNCONFIRMED, the emulator's)" },
	{ TESTLIB_UNPROVISION, ANY_GEN, IN_OPEN | IN_ELAPSED, MODE, false,
	  SDK_UNPROV ", which a box in provisioning does not have yet (the status "
	  "INVALID_AMT_MODE is UNCONFIRMED, the emulator's)" },
	{ TESTLIB_UNPROVISION, 0, 5, 1u << TESTLIB_POST_CCM, OK, false, BEFORE_CCM },
	{ TESTLIB_UNPROVISION, 0, 5, 1u << TESTLIB_POST_ACM, MODE, false, BEFORE_CCM },
	{ TESTLIB_UNPROVISION, 6, 99, 1u << TESTLIB_POST_CCM, OK, false,
	  SDK_UNPROV "; " RPCGO "internal/commands/deactivate.go" },
	{ TESTLIB_UNPROVISION, 6, 99, 1u << TESTLIB_POST_ACM, MODE, false,
	  SDK_UNPROV "; " RPCGO "pkg/pthi tests (TestUnprovisionFirmwareRejects): admin "
	  "control mode answers INVALID_AMT_MODE" },
};

/* The hello windows: { psk, first start, seconds, source }. */
static const struct {
	bool psk, first;
	long seconds;
	const char *source;
} windows[] = {
	{ false, true, TESTLIB_FIRST_WINDOW_S, SRC_ALTIRIS },
	{ false, false, TESTLIB_LATER_WINDOW_S, SRC_ALTIRIS },
	{ true, true, TESTLIB_LATER_WINDOW_S, HP_PSK },
	{ true, false, TESTLIB_LATER_WINDOW_S, HP_PSK },
};

long testlib_window_s(bool psk, bool first)
{
	long found = -1;

	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		if (windows[i].psk != psk || windows[i].first != first)
			continue;
		if (found >= 0)
			fail_msg("two window facts for psk=%d first=%d", psk, first);
		found = windows[i].seconds;
	}
	if (found < 0)
		fail_msg("no window fact for psk=%d first=%d", psk, first);
	return found;
}

/* PSK was removed in AMT 11 (Intel AMT SDK, "Setup Mode Hello Messages"); the emulator's
 * machines before 11 default to PSK (amtsim(5)). */
bool testlib_gen_psk(size_t gen)
{
	return testlib_gen_major(gen) < 11;
}

#define SDK_HELLO SDK "Setup Mode Hello Messages; PSK was removed in AMT 11"
#define PSK_2X "Intel AMT SDK, Intel AMT and USB Versions (setup.bin 1 for AMT 2.x: PID/PPS " \
	"only); remote configuration arrived with 2.2/2.6 and bare-metal with 3.0 (UNCONFIRMED " \
	"for which 2.x releases lack it)"
#define AGENT_PKI "Intel AMT 2.2 and 2.6: remote configuration started by host software " \
	"(GetZeroTouchConfigurationMode documented for 2.2, 2.6 and 3.0); wildcard " \
	"certificates accepted from 2.6 and 3.2"
#define BARE_PKI "Intel blog 2008 and Symantec 2010: bare-metal remote configuration from " \
	"AMT 3.0 (doc/remote-config.md 11.5); wildcard certificates accepted from 2.6 and 3.2"

/* The last two columns: the kernel's mei_me chipset configs (drivers/misc/mei/pci-me.c:
 * ICH8/9 show no FWSTS register, ICH10 one, the 5-7 series PCH two, the 8 series and
 * later six); MKHI version blocks, 3 as metee's and coreboot's readers expect from 6.x,
 * 2 before (UNCONFIRMED). */
static const struct testlib_gen_fact gen_facts[] = {
	{ "2.0", TESTLIB_PSK_ONLY, true, false, false, PSK_2X, 0, 2 },
	{ "2.1", TESTLIB_PSK_ONLY, true, false, false, PSK_2X, 0, 2 },
	{ "2.2", TESTLIB_HOST_PKI, true, false, true, AGENT_PKI, 0, 2 },
	{ "2.5", TESTLIB_PSK_ONLY, true, false, false, PSK_2X, 0, 2 },
	{ "2.6", TESTLIB_HOST_PKI, true, true, true, AGENT_PKI, 0, 2 },
	{ "3.0", TESTLIB_BARE_METAL_PKI, true, false, true, BARE_PKI, 0, 2 },
	{ "3.2", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 0, 2 },
	{ "4.0", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 0, 2 },
	{ "5.0", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 1, 2 },
	{ "6.2", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 2, 3 },
	{ "7.0", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 2, 3 },
	{ "9.1", TESTLIB_BARE_METAL_PKI, true, true, true, BARE_PKI, 6, 3 },
	{ "10.0", TESTLIB_BARE_METAL_PKI, true, true, true, SDK_HELLO, 6, 3 },
	{ "11.8", TESTLIB_BARE_METAL_PKI, false, true, true, SDK_HELLO, 6, 3 },
	{ "12.0", TESTLIB_BARE_METAL_PKI, false, true, true, SDK_ZT_ON, 6, 3 },
	{ "16.1", TESTLIB_BARE_METAL_PKI, false, true, true, SDK_HELLO, 6, 3 },
	{ "19.0", TESTLIB_BARE_METAL_PKI, false, true, true, SDK_HELLO, 6, 3 },
};

const struct testlib_gen_fact *testlib_gen_facts(size_t *count)
{
	*count = sizeof(gen_facts) / sizeof(gen_facts[0]);
	return gen_facts;
}

unsigned testlib_gen_major(size_t gen)
{
	assert_true(gen < TESTLIB_GEN_COUNT);
	return (unsigned)strtoul(testlib_generations[gen], NULL, 10);
}

const struct testlib_fact *testlib_fact(enum testlib_write w, size_t gen,
					enum testlib_pstate s)
{
	unsigned major = testlib_gen_major(gen);
	const struct testlib_fact *found = NULL;

	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct testlib_fact *f = &facts[i];

		if (f->write != w || major < f->major_from || major > f->major_to ||
		    !(f->states & (1u << s)))
			continue;
		if (found)
			fail_msg("facts %zu and %zu both cover write %d on %s %s",
				 (size_t)(found - facts), i, w, testlib_generations[gen],
				 testlib_pstate_names[s]);
		found = f;
	}
	if (!found)
		fail_msg("no fact covers write %d on %s %s", w, testlib_generations[gen],
			 testlib_pstate_names[s]);
	return found;
}

/* The host reads the provisioning state but not the hello window (UNCONFIRMED: no read
 * command for it is known), and the control mode only from 6.0 on (GET_CONTROL_MODE;
 * UNCONFIRMED before, the emulator's 2.6 lacks it). */
bool testlib_pstate_distinguishable(size_t gen, enum testlib_pstate a, enum testlib_pstate b)
{
	static const int window_blind[TESTLIB_PSTATE_COUNT] = { 0, 1, 1, 2, 3 };
	static const int mode_blind[TESTLIB_PSTATE_COUNT] = { 0, 1, 1, 2, 2 };
	const int *cls = testlib_gen_major(gen) < 6 ? mode_blind : window_blind;

	return cls[a] != cls[b];
}
