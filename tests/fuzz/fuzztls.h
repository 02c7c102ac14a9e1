/* SPDX-License-Identifier: MIT */
/* The loopback HTTPS server the report fuzz targets talk to (header-only, on testlib_tls). */
#ifndef AMTACT_FUZZTLS_H
#define AMTACT_FUZZTLS_H

#include <signal.h>
#include <stdio.h>

#include "fuzzlib.h"
#include "testlib_tls.h"

/*
 * Start a server answering `status`, as a fresh EC key with a certificate for 127.0.0.1
 * written as the CA file `ca_path` (in fuzz_tmpdir()); `url` gets its https:// address.
 * Aborts on failure. The server runs until the process exits.
 */
static inline struct testlib_tls_server *fuzztls_start(int status, char *url, size_t url_cap,
						       char *ca_path, size_t ca_cap)
{
	struct testlib_tls_id id = { 0 };
	struct testlib_tls_server *s;

	signal(SIGPIPE, SIG_IGN);
	FUZZ_CHECK(testlib_tls_make_cert(0, "amtact fuzz", "IP:127.0.0.1", -1, 3650, &id.key,
					 &id.cert) == 0);
	snprintf(ca_path, ca_cap, "%s", fuzz_path("ca.pem"));
	FUZZ_CHECK(testlib_tls_write_pem(ca_path, NULL, id.cert) == 0);
	s = testlib_tls_start(&id, &status, 1, NULL);
	testlib_tls_id_free(&id);
	snprintf(url, url_cap, "https://127.0.0.1:%d/reports", s->port);
	return s;
}

#endif
