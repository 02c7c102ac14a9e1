/* SPDX-License-Identifier: MIT */
/* The subcommands and the options every command shares. */
#ifndef AMTACT_CMDS_H
#define AMTACT_CMDS_H

/* Global options, parsed by main before the command name. */
struct amtact_opts {
	const char *device;  /* --device / AMTACT_DEVICE; NULL: platform default */
	int timeout_ms;      /* --timeout; per firmware exchange */
	int json;            /* --json given before the command */
	int verbose;         /* -v count */
};

extern struct amtact_opts amtact_opts;

/* Each command gets argv[0] = its name and returns an exit code (exitcodes.h). */
int cmd_info(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_profile_check(int argc, char **argv);
int cmd_set_otp(int argc, char **argv);
int cmd_set_suffix(int argc, char **argv);
int cmd_start_config(int argc, char **argv);
int cmd_stop_config(int argc, char **argv);
int cmd_zero_touch(int argc, char **argv);
int cmd_enable_amt(int argc, char **argv);
int cmd_unprovision(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);

#endif
