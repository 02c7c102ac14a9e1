// SPDX-License-Identifier: MIT
/* `amtact run` with otp.policy "server": the OTP the interim server assigned to this box. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "amt.h"
#include "diag_int.h"
#include "msg.h"
#include "otp.h"
#include "run_deliver.h"

/* Without the OTP nothing the profile asks can work: a prerequisite that blocks. */
__attribute__((format(printf, 4, 5)))
static void block(struct run *r, const char *id, const char *hint, const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg_error("set-otp: %s", text);
	r->blocked = true;
	if (r->pre)
		diag_add(r->pre, DIAG_FAIL, "otp_server", id, hint, "%s", text);
	else
		run_error(r, "set-otp", "%s", text);
}

void run_fetch_otp(struct run *r)
{
	struct report_server srv;
	struct report_result res;
	char pins[400], uuid[37];
	int rc;

	if (r->dry_run) {
		/* Nothing goes to the server: a stand-in shows the request's shape (redacted). */
		if (otp_generate_from(&r->otp, 16, PROFILE_OTP_ALPHABET_DEFAULT) < 0)
			run_error(r, "set-otp", "no random bytes for the dry run's stand-in OTP");
		return;
	}
	if (r->first->uuid_item.state != ME_ITEM_OK || amt_uuid_invalid(r->first->uuid)) {
		block(r, "otp_no_uuid", "amtact info shows what the firmware answered", "the ME "
		      "gave no usable UUID, and the server names the OTPs it assigns by UUID");
		return;
	}
	amt_uuid_str(r->first->uuid, uuid);
	run_deliver_server(&r->prof.server, &srv, pins, sizeof(pins));
	rc = report_fetch_otp(&srv, uuid, &r->otp, &res);
	if (rc == 0) {
		msg_info("set-otp: the OTP the server assigned to this box was fetched");
		return;
	}
	if (rc == -ENOENT)
		block(r, "otp_unknown", "assign it one on the server (amtact-interim otp-assign "
		      "--uuid UUID)", "the interim server does not know this box: no OTP is "
		      "assigned to UUID %s (%s)", uuid, res.message);
	else if (rc == -ESTALE)
		block(r, "otp_expired", "assign it a new one on the server", "the OTP the interim "
		      "server assigned to UUID %s has expired (%s)", uuid, res.message);
	else if (rc == -EACCES)
		block(r, "otp_refused", "check the profile's token or client certificate", "the "
		      "interim server refused to hand out this box's OTP (%s)", res.message);
	else
		block(r, "otp_unreachable", "the next run tries again", "the OTP could not be "
		      "fetched from the interim server: %s", res.message);
}
