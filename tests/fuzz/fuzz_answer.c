// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the interim server's answer as report_send handles it (status line,
 * headers with Retry-After, body kept for the message, classification), over a real TLS
 * connection on loopback: the test server (tests/unit/testlib_tls.h) reads the request and
 * sends the input as the raw response bytes, then closes. Every input goes through one
 * report session, as a spool flush sends its reports: libcurl keeps the CA store and the
 * TLS session between them, so only the first handshake is a full one (report_send is a
 * session of one send). Invariants: the return matches
 * the class; a status, when one was read, is classified as report_classify_http says; the
 * message is one line of printable text (the server's words reach a terminal); a
 * Retry-After is -1 or whole seconds up to one day. AMTACT_FUZZ_VERBOSE=1 prints each
 * result (for a replay).
 */
#include <errno.h>

#include "fuzztls.h"
#include "report.h"

static struct testlib_tls_server *fx;
static char url[64], ca_path[512];
static struct report_server server;
static struct report_session *session;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(report_global_init() == 0);
	fx = fuzztls_start(200, url, sizeof(url), ca_path, sizeof(ca_path));
	report_server_init(&server);
	server.url = url;
	server.ca_file = ca_path;
	server.proxy = "";
	server.max_attempts = 1;
	server.connect_timeout_ms = 5000;
	server.total_timeout_ms = 5000;
	session = report_session_open(&server);
	FUZZ_CHECK(session != NULL);
	return 0;
}

static int errno_of(enum report_class cls)
{
	switch (cls) {
	case REPORT_DELIVERED: return 0;
	case REPORT_TEMPORARY: return -EAGAIN;
	case REPORT_PERMANENT: return -EREMOTEIO;
	case REPORT_TLS: return -EKEYREJECTED;
	case REPORT_CONFIG: return -EKEYREJECTED;
	default: return 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_result res;
	int ret;

	if (size > 16384)
		return 0;
	testlib_tls_set_raw(fx, data, size);
	ret = report_session_send(session, "fuzz-1", "{}", 2, &res);
	if (getenv("AMTACT_FUZZ_VERBOSE"))
		fprintf(stderr, "%s: HTTP %ld, retry after %ld ms: %s\n",
			report_class_name(res.cls), res.http_status, res.retry_after_ms,
			res.message);
	/* Whatever the server sends, it never makes the failure look like ours. */
	FUZZ_CHECK(res.cls <= REPORT_CONFIG && res.cls != REPORT_SET_ASIDE);
	FUZZ_CHECK(errno_of(res.cls) == 1 ? ret < 0 : ret == errno_of(res.cls));
	FUZZ_CHECK(res.attempts == 1);
	if (res.http_status)
		FUZZ_CHECK(res.cls == report_classify_http(res.http_status));
	FUZZ_CHECK(res.retry_after_ms == -1 ||
		   (res.retry_after_ms >= 0 && res.retry_after_ms <= 86400000L));
	FUZZ_CHECK(fuzz_terminated(res.message, sizeof(res.message)) && res.message[0]);
	for (const char *p = res.message; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
	return 0;
}
