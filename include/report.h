/* SPDX-License-Identifier: MIT */
/* Delivering one ready report body to the interim server over HTTPS, with retries. */
#ifndef AMTACT_REPORT_H
#define AMTACT_REPORT_H

#include <stddef.h>

#include "secret.h"

/*
 * Where and how to deliver. Every string may be NULL (= not used). Nothing here is secret:
 * the bearer token is read from `token_file` only for the transfer and wiped afterwards.
 *
 * Security that no field can turn off: https:// only (any other scheme is -EPROTONOSUPPORT,
 * redirects are not followed), TLS 1.2 minimum, peer and host verification always on.
 */
struct report_server {
	const char *url;         /* https://host[:port]/path the report is POSTed to */
	const char *ca_file;     /* PEM CA bundle trusted instead of the system store */
	const char *pin_sha256;  /* SPKI sha256 of the server key: base64 (44 chars), hex (64),
				    or curl's "sha256//b64;sha256//b64" list */
	const char *client_cert; /* PEM client certificate for mutual TLS */
	const char *client_key;  /* its PEM private key (unencrypted; mode 0600) */
	const char *token_file;  /* bearer token file (O_NOFOLLOW; warned if group/world-readable) */
	const char *proxy;       /* proxy URL; NULL: from the environment; "": no proxy */
	long connect_timeout_ms; /* per attempt; <= 0: 10000 */
	long total_timeout_ms;   /* per attempt, whole transfer; <= 0: 90000 */
	unsigned max_attempts;   /* attempts for temporary failures; 0: 4 */
	long backoff_base_ms;    /* first backoff ceiling; <= 0: 500 */
	long backoff_max_ms;     /* backoff ceiling cap; <= 0: 30000 */
	long retry_after_max_ms; /* longest Retry-After we wait for; <= 0: 60000. A longer one
				    ends the retries (the report stays queued) */
	long first_delay_ms;     /* wait before the first attempt of a session (of the report
				    for report_send); <= 0: none. Callers pick it at random to
				    spread a boot storm */
};

/* What happened to a delivery. */
enum report_class {
	REPORT_DELIVERED = 0, /* 2xx: the server has it */
	REPORT_TEMPORARY,     /* network, timeout, 5xx, 408, 429: try again later */
	REPORT_PERMANENT,     /* any other 4xx: the server will not take it (dead letter) */
	REPORT_TLS,           /* server certificate, its name or the pin rejected: nothing was
				 sent; a configuration to fix (kept queued) */
	REPORT_LOCAL,         /* our side: bad URL/config, unreadable token or client key */
	REPORT_SET_ASIDE,     /* a spool file not sent: torn, corrupt or not a regular file;
				 moved to the dead-letter area (spool.c) */
	REPORT_CONFIG,        /* 401, 403 or any 3xx (redirects are never followed): the
				 agent's settings are wrong, not the report; kept queued */
};

/* Which TLS check failed, for REPORT_TLS. */
enum report_tls_failure {
	REPORT_TLS_NONE = 0,
	REPORT_TLS_EXPIRED,      /* server certificate expired (or not yet valid) */
	REPORT_TLS_UNKNOWN_CA,   /* not signed by a trusted CA (self-signed, wrong CA) */
	REPORT_TLS_HOSTNAME,     /* certificate does not name the host in the URL */
	REPORT_TLS_PIN,          /* public key does not match pin_sha256 */
	REPORT_TLS_OTHER,        /* another verification failure (revoked, bad chain ...) */
};

/* report_result.warnings: the token file is group- or world-readable. */
#define REPORT_WARN_TOKEN_MODE 1u

struct report_result {
	enum report_class cls;
	enum report_tls_failure tls;
	long http_status;      /* last HTTP status, 0 if none was received */
	unsigned attempts;     /* attempts made */
	long retry_after_ms;   /* last Retry-After seen, -1 if none */
	unsigned warnings;     /* REPORT_WARN_* bits for the caller to print */
	/* The last attempt's phases in microseconds (0 when it did not get there, or when
	   it reused a connection): TCP connect, TLS handshake, the server's answer (request
	   sent to first byte back), and the whole attempt. */
	long tcp_us, tls_us, server_us, total_us;
	char message[512];     /* one line for people: what happened and why */
};

/* Fill `srv` with zeros/NULLs (the defaults above apply to zero fields). */
void report_server_init(struct report_server *srv);

/*
 * The HTTP stack (libcurl) lives in a module, amtact-http.so, loaded on the first call
 * below that needs it, so that commands that do not report never load it. It is looked for
 * next to the executable, in ../lib/amtact/ from it, then in the installed library folder;
 * a missing or mismatched module is a REPORT_LOCAL failure whose message says where it was
 * looked for (report_send, report_session_send) or -ENOENT / -ELIBBAD (report_global_init).
 * Builds with AMTACT_HTTP_STATIC (Windows) link it in instead.
 *
 * Process-wide libcurl setup; call once before threads. Returns 0, -ENOMEM, or -ENOENT /
 * -ELIBBAD when the module is missing or from another version (report_http_error() says).
 */
int report_global_init(void);
void report_global_cleanup(void);
/* Why the module could not be loaded ("" when it was). */
const char *report_http_error(void);

/*
 * A session sends several reports over one connection (one TLS handshake) when the server
 * keeps it open: a spool flush sends all its reports through one. `srv` must outlive it.
 * report_session_open returns NULL only when out of memory; report_session_send behaves
 * like report_send; report_session_close(NULL) does nothing.
 */
struct report_session;
struct report_session *report_session_open(const struct report_server *srv);
int report_session_send(struct report_session *s, const char *report_id, const void *body,
			size_t len, struct report_result *res);
void report_session_close(struct report_session *s);

/*
 * POST `body` (`len` bytes of JSON) to srv->url with headers
 *   Content-Type: application/json, Idempotency-Key: <report_id>
 * and, when configured, "Authorization: Bearer <token>". Temporary failures are retried up
 * to max_attempts with exponential backoff and equal jitter (sleep uniform in
 * [c/2, c] where c = min(backoff_max, base * 2^n)), so the retries span at least half the
 * sum of the ceilings; a Retry-After (seconds) on 429/503 is honoured as a
 * lower bound. Permanent, TLS and local failures are not retried.
 *
 * `body` stays the caller's: it is handed to libcurl without a copy (CURLOPT_POSTFIELDS)
 * and the caller wipes it. Blocks for up to about max_attempts * (total timeout + backoff).
 *
 * Returns 0 when delivered; otherwise a negative errno that matches res->cls:
 *   -EAGAIN (temporary), -EREMOTEIO (permanent), -EKEYREJECTED (tls, config),
 *   -EINVAL / -EPROTONOSUPPORT / -ENOENT / -EACCES ... (local).
 * `res` is always filled.
 */
int report_send(const struct report_server *srv, const char *report_id, const void *body,
		size_t len, struct report_result *res);

/*
 * GET the OTP the interim server assigned to this box (otp.policy "server") from
 * <srv->url without its last path segment>/otp/<uuid> (so ".../reports" -> ".../otp/UUID"),
 * with the same TLS rules, CA, pin, client certificate, bearer token and proxy as
 * report_send, and its retries for temporary failures. The reply goes only into wipeable
 * buffers; the OTP into *otp (wiped on every failure); nothing is logged. Returns 0, -ENOENT
 * (404: the server knows no OTP for this box), -ESTALE (410: it expired), -EACCES (401,
 * 403), -EBADMSG (an answer without a usable OTP), or as report_send; res says what
 * happened (never the OTP).
 */
int report_fetch_otp(const struct report_server *srv, const char *uuid, struct secret *otp,
		     struct report_result *res);

/*
 * Try the server as a delivery would (TLS 1.2+, the CA or system store, the pin, the client
 * certificate, the bearer token) with a GET on srv->url, which sends no report; one
 * attempt, no first delay. amtact-interim answers 405 with "X-Amtact-Credentials:
 * accepted" when it would take the token, 401 when not. Returns 0 when the server answered
 * over a verified connection and did not refuse the credentials (res->cls
 * REPORT_DELIVERED), -EACCES on 401/403, -EKEYREJECTED on a TLS failure (res->tls says
 * which check), -EAGAIN when it could not be reached, or a local error; res->message says
 * what happened.
 */
int report_check(const struct report_server *srv, struct report_result *res);

/* A report id is 1..64 of [A-Za-z0-9._-], not starting with '.'. Returns 1 if valid. */
int report_id_valid(const char *id);

/* Pure classification helpers (unit-tested). */
enum report_class report_classify_http(long http_status);
/*
 * Classify a transfer that ended with libcurl code `transport_code` (a CURLcode as int,
 * 0 = transfer completed) and OpenSSL verify result `verify_result` (an X509_V_* value as
 * long); fills res->cls, res->tls and res->message (prefixing `detail` when given).
 */
void report_classify_transport(int transport_code, long verify_result, const char *detail,
			       struct report_result *res);
/* The backoff ceiling for retry number `n` (0-based), in ms. */
long report_backoff_ceiling_ms(const struct report_server *srv, unsigned n);
/* Parse a Retry-After header value in seconds; -1 if absent or not a number (dates). */
long report_parse_retry_after_ms(const char *value);

const char *report_class_name(enum report_class cls);

/* The pure half of report_fetch_otp (report_otp.c, unit-tested). */
/* url without its last path segment + "otp/" + uuid; -ENAMETOOLONG when it does not fit. */
int report_otp_url(const char *url, const char *uuid, char *out, size_t cap);
/* The "otp" string of a {"uuid": ..., "otp": ...} answer into *otp; -EBADMSG if none. */
int report_otp_parse(const struct secret *body, struct secret *otp);
/* A non-200 answer: res->cls and res->message (the server's words), and the errno above. */
int report_otp_status(long status, const struct secret *body, struct report_result *res);

#endif
