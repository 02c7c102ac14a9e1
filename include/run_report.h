/* SPDX-License-Identifier: MIT */
/* The report `amtact run` sends to the interim server: one JSON body, schema 1. */
#ifndef AMTACT_RUN_REPORT_H
#define AMTACT_RUN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "me.h"
#include "run.h"
#include "secret.h"

#define RUN_REPORT_SCHEMA 1

struct run_report_in {
	const char *report_id;
	const char *profile;
	const char *system_name;
	const struct me_info *info;  /* NULL when the ME could not be read */
	const struct run_action *actions; /* what run did (borrowed) */
	size_t action_count;
	const struct run_error *errors;   /* what went wrong (borrowed) */
	size_t error_count;
	const char *me_error;        /* why the ME could not be read, or NULL */
	const struct medev_probe *me_device; /* no ME device: why, or NULL (borrowed) */
	const struct diag_ctx *pre;  /* names and prerequisite checks, or NULL (borrowed) */
	bool checked, blocked;       /* as in struct run */
	int unprovisioned_since_last_run;
	const struct run_fact_change *changes; /* since the last report (borrowed) */
	size_t change_count;
	const struct run_facts *facts;    /* the SMBIOS and ME UUIDs (borrowed) */
	enum run_identity identity;
};

/*
 * The body to send: the report (keys documented in man/amtact.8, REPORT FORMAT, and
 * tests/report-schema.json) with the OTP when one was set: as "otp_cms" (sealed PEM, from
 * seal.h) when `otp_cms` is not NULL, else as plaintext "otp". The returned buffer is
 * malloc'd; when it holds a plaintext OTP *secret is set to 1 and the caller must
 * explicit_bzero() it before free(). Returns NULL on out of memory.
 */
char *run_report_body(const struct run_report_in *in, const struct secret *otp,
		      const char *otp_cms, size_t *len, int *secret);

/*
 * A short digest of the facts that make a report worth sending again (UUID, provisioning
 * state, control mode, firmware version, suffix, zero touch, AMT enabled). 16 hex chars.
 */
void run_report_fingerprint(const struct me_info *info, char out[17]);

/* A fresh report/run id (UUID v4 form) from the kernel's CSPRNG. 0 or -errno. */
int run_report_new_id(char out[37]);

#endif
