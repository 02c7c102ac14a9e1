/* SPDX-License-Identifier: MIT */
/* Profiles: what `amtact run` should do, read strictly from a JSON file (amtact-profile(5)). */
#ifndef AMTACT_PROFILE_H
#define AMTACT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"

/* The only schema version this code reads. */
#define PROFILE_SCHEMA 1
/* Profile names: [A-Za-z0-9][A-Za-z0-9._-]*, at most this many bytes. */
#define PROFILE_NAME_MAX 64
/* The firmware's limit on the PKI DNS suffix (SET_DNS_SUFFIX). */
#define PROFILE_DNS_SUFFIX_MAX 223
/* A profile file larger than this is refused without parsing. */
#define PROFILE_FILE_MAX (64 * 1024)
#define PROFILE_MAX_PINS 4
#define PROFILE_OTP_LENGTH_MIN 8
#define PROFILE_OTP_LENGTH_MAX 32
/* Ambiguous characters (0 O 1 l I) left out so a technician can read it aloud. */
#define PROFILE_OTP_ALPHABET_DEFAULT \
	"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

/* Where `--profile NAME` is looked up (the environment AMTACT_PROFILE_DIR overrides it),
   and the default state and spool folders: os_default_dir() (os.h). */

enum profile_method {
	PROFILE_METHOD_REMOTE_CONFIGURATION = 0,
	PROFILE_METHOD_PSK,
	PROFILE_METHOD_REPORT_ONLY,
};

enum profile_otp_policy {
	PROFILE_OTP_NONE = 0,
	PROFILE_OTP_RANDOM,
	PROFILE_OTP_FILE,
	PROFILE_OTP_SERVER,       /* fetched from the interim server (GET .../otp/UUID) */
};

enum profile_hello {
	PROFILE_HELLO_WHEN_NOT_OPEN = 0,
	PROFILE_HELLO_ALWAYS,
	PROFILE_HELLO_NEVER,
};

enum profile_zero_touch {
	PROFILE_ZERO_TOUCH_LEAVE = 0,
	PROFILE_ZERO_TOUCH_DISABLE,
	PROFILE_ZERO_TOUCH_ENABLE,
};

/* What a run does when the server cannot take the report now. */
enum profile_delivery {
	PROFILE_DELIVERY_SPOOL = 0, /* keep it in the spool for the next run (exit 12) */
	PROFILE_DELIVERY_MUST,      /* retry within the server's bounds, then fail (exit 15) */
};

enum profile_name_source {
	PROFILE_NAME_HOSTNAME = 0,
	PROFILE_NAME_HOSTNAME_SHORT,
	PROFILE_NAME_FIXED,
	PROFILE_NAME_ASK,
};

/*
 * Ownership: every `char *` below is owned by the struct (heap, NUL-terminated) and freed by
 * profile_free(); NULL means "absent" where the field has no default. Numbers are already
 * range-checked and defaults are filled in, so a consumer never re-validates. A profile
 * holds no secrets: tokens, keys and OTPs are only ever named by path.
 */
struct profile_server {
	bool present;             /* false: no "server" object; reports go to report_file/spool */
	char *url;                /* https://..., no user:password part */
	char *ca_file;            /* NULL: the system trust store */
	char *pin_sha256[PROFILE_MAX_PINS]; /* base64 SHA-256 of the server's SPKI (44 chars) */
	unsigned pin_count;
	char *client_cert;        /* both or neither of client_cert/client_key */
	char *client_key;
	char *token_file;         /* bearer token, read at send time */
	char *proxy;              /* NULL: environment; "" : no proxy at all ("direct") */
	char *report_cert;        /* PEM certificate the OTP is sealed to; NULL: not sealed */
	unsigned connect_timeout_ms;
	unsigned timeout_ms;
	unsigned max_attempts;
	unsigned backoff_base_ms;
	unsigned backoff_max_ms;
	unsigned first_delay_max_ms; /* a random wait in [0, this] before a run's first attempt */
};

struct profile_otp {
	enum profile_otp_policy policy;
	char *file;               /* policy file only: the file holding the OTP */
	unsigned length;          /* policy random only */
	char *alphabet;           /* policy random only; never NULL after a load */
};

struct profile_system_name {
	enum profile_name_source source;
	char *value;              /* source fixed only */
};

struct profile_log {
	enum msg_level level;
	char *file;               /* NULL: no log file */
	bool syslog;
};

struct profile {
	char *path;               /* the file this was read from */
	char *name;               /* what the server is told; never NULL after a load */
	unsigned schema;
	struct profile_server server;
	enum profile_method method;
	struct profile_otp otp;
	char *pki_dns_suffix;     /* NULL: leave the firmware's suffix alone */
	enum profile_hello hello;
	unsigned key_wait_s;      /* after a hello restart, wait this long for the firmware's
				     key (0: do not wait; the firmware starts by itself) */
	enum profile_zero_touch zero_touch;
	bool enable_amt;
	bool ignore_intermediate_errors;
	bool check_provision_server; /* run looks ProvisionServer.<suffix> up before acting */
	struct profile_system_name system_name;
	enum profile_delivery delivery; /* must: only with a server */
	char *report_file;        /* only without a server: write the report here */
	char *spool_dir;          /* never NULL after a load (defaults filled in) */
	char *state_dir;
	struct profile_log log;
	unsigned lock_timeout_ms;
};

/*
 * How the file itself is checked. profile_load() uses { os_privileged(), 0 }: as root the file
 * and its directory must be owned by root and writable by nobody else. Tests pass their own
 * uid to exercise the check without root.
 */
struct profile_load_opts {
	bool check_owner;
	unsigned long owner_uid;
};

/*
 * Turns `--profile` into a file path. A value containing '/' or ending in ".json" is a path
 * and is copied; anything else must be a valid profile name and becomes
 * "$AMTACT_PROFILE_DIR/NAME.json" (default os_default_dir(OS_DIR_PROFILES)).
 * Returns 0, -EINVAL (not a valid name; `path` then holds why), -ENAMETOOLONG.
 */
int profile_resolve(const char *name_or_path, char *path, size_t pathlen);

/*
 * Resolves, reads, parses and validates a profile into `p` (which need not be initialised).
 * Returns 0; -ENOENT (no such profile); -EACCES (unreadable, or insecure ownership/mode);
 * -EINVAL (not valid: syntax, unknown key, type, range, enum, conflict); -ENOMEM.
 * On failure `p` is left empty and `err` says "<file>: field \"<json.path>\": <reason>".
 * Never prints; never reads the files the profile names (see profile_check_files()).
 */
int profile_load(struct profile *p, const char *name_or_path, char *err, size_t errlen);
int profile_load_with(struct profile *p, const char *name_or_path,
		      const struct profile_load_opts *opts, char *err, size_t errlen);

/* Parses a profile from memory; `origin` names it in messages. Same returns as above. */
int profile_parse(struct profile *p, const char *origin, const char *text, size_t len,
		  char *err, size_t errlen);

/*
 * Checks that the files the profile names for reading (CA file, client certificate and key,
 * token file, report certificate, OTP file) exist, are regular and readable, and, with
 * opts->check_owner, are owned by opts->owner_uid and not group/world-writable; secret files
 * (client_key, token_file, otp.file) must then also not be group/world-readable.
 * Called by `run` at start, separately from the load so a profile can be checked anywhere.
 * Returns 0, -ENOENT, -EACCES; `err` as for profile_load().
 */
int profile_check_files(const struct profile *p, const struct profile_load_opts *opts,
			char *err, size_t errlen);

/* Frees everything `p` owns and empties it; safe on an empty or already-freed profile. */
void profile_free(struct profile *p);

/*
 * 0 if `s` is a DNS name of at most `max_len` bytes (labels 1..63 of letters, digits and
 * inner '-', dot-separated, no trailing dot); else -EINVAL with the reason in `why`.
 * Used for pki_dns_suffix, system_name.value and a technician's typed name.
 */
int profile_check_dns_name(const char *s, size_t max_len, char *why, size_t whylen);

/* 0 if `s` is a valid profile name, else -EINVAL. */
int profile_check_name(const char *s);

/* The JSON spelling of each enum value ("remote_configuration"), or "?" */
const char *profile_method_name(enum profile_method m);
const char *profile_otp_policy_name(enum profile_otp_policy o);
const char *profile_hello_name(enum profile_hello h);
const char *profile_zero_touch_name(enum profile_zero_touch z);
const char *profile_name_source_name(enum profile_name_source s);
const char *profile_log_level_name(enum msg_level l);
const char *profile_delivery_name(enum profile_delivery d);

#endif
