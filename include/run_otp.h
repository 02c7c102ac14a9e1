/* SPDX-License-Identifier: MIT */
/*
 * `run`'s OTP write-ahead (src/run_otp.c, record format in otp_pending.h): the OTP is kept
 * in the state directory before the firmware is given it, until the report carrying it is
 * saved; a run killed in between is made good by the next run. Crash points for the tests
 * (AMTACT_CRASH_AT, spool.h): otp-pending, otp-set, otp-report-saved (and hello-started,
 * run_actions.c).
 */
#ifndef AMTACT_RUN_OTP_H
#define AMTACT_RUN_OTP_H

#include "op.h"
#include "run.h"

/*
 * Before SET_OTP: seal r->otp to server.report_cert when the profile has one (into
 * r->otp_cms, which the report then uses) and save the record. 0, or -errno after a
 * run_error (the OTP must then not be sent). A dry run, or an OTP the interim server
 * assigned (otp.policy "server"), saves nothing.
 */
int run_otp_begin(struct run *r);

/* After SET_OTP answered `kind`: keep the record (taken or unknown) or drop it (refused). */
void run_otp_answered(struct run *r, enum op_kind kind);

/* The report carrying the OTP is saved (queued, delivered, written): drop the record. */
void run_otp_saved(struct run *r);

/*
 * At the start of a run (after the ME was read, before any action): an OTP an interrupted
 * run left goes into the spool under that run's report id, unless its report is there
 * already. A record that cannot be read is set aside (otp.pending.bad) with an error.
 * When the firmware took that OTP and the box went into provisioning since the last saved
 * run (the interrupted run restarted the hellos), r->st is made what that run would have
 * saved: that report as the last one, the hello restart at the record's time; the run
 * then finds nothing new and delivers that report alone.
 */
void run_otp_recover(struct run *r);

#endif
