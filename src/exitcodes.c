// SPDX-License-Identifier: MIT
/* Names and meanings of the exit codes (include/exitcodes.h). */
#include <stdbool.h>
#include <stddef.h>

#include "exitcodes.h"

static const struct {
	int code;
	const char *name;
	const char *meaning;
} codes[] = {
	{ EXIT_OK, "ok", "done; for status: AMT is provisioned" },
	{ EXIT_FAILURE_INTERNAL, "internal", "unexpected local failure" },
	{ EXIT_USAGE, "usage", "bad command line" },
	{ EXIT_NO_DEVICE, "no-device", "no MEI/HECI device or driver" },
	{ EXIT_PERMISSION, "permission", "access to the device or a file denied" },
	{ EXIT_BUSY, "busy", "the ME client or another amtact run is busy" },
	{ EXIT_FIRMWARE, "firmware", "firmware did not answer, answered malformed or kept resetting" },
	{ EXIT_NO_AMT, "no-amt", "no AMT on this machine, or AMT is disabled" },
	{ EXIT_BAD_INPUT, "bad-input", "a file given to amtact is unusable" },
	{ EXIT_REFUSED, "refused", "the firmware refused, or would refuse, the operation" },
	{ EXIT_NOT_PROVISIONED, "not-provisioned", "AMT present, not provisioned" },
	{ EXIT_IN_PROVISIONING, "in-provisioning", "AMT is in provisioning" },
	{ EXIT_QUEUED, "queued", "done; the report waits in the spool" },
	{ EXIT_NOTHING_TO_DO, "nothing-to-do", "nothing needed doing" },
	{ EXIT_REPORT_REJECTED, "report-rejected", "the interim server refused the report" },
	{ EXIT_NOT_DELIVERED, "not-delivered", "the report had to reach the server and did not" },
	{ EXIT_DELIVERY_CONFIG, "delivery-config", "the interim server cannot be used as configured; the report waits in the spool" },
	{ EXIT_BLOCKED, "blocked", "a prerequisite blocks provisioning; nothing was sent" },
};

const char *amtact_exit_name(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return NULL;
}

const char *amtact_exit_meaning(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].meaning;
	return NULL;
}

bool amtact_exit_is_error(int code)
{
	return code != EXIT_OK && code != EXIT_NOT_PROVISIONED && code != EXIT_IN_PROVISIONING &&
	       code != EXIT_QUEUED && code != EXIT_NOTHING_TO_DO;
}
