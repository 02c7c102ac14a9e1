/* SPDX-License-Identifier: MIT */
/* amtsim's hello sender: a thread that sends the emulator's remote-configuration hellos. */
#ifndef AMTACT_HELLOSEND_H
#define AMTACT_HELLOSEND_H

#include "fw.h"
#include "simdev.h"

/* The port a provisioning server listens on (doc/remote-config.md 2.1: MeshCentral, Ivanti). */
#define HELLOSEND_DEFAULT_PORT "9971"

struct hellosend_opts {
	char host[256];             /* --hello-to host; empty with --hello-dns */
	char port[8];
	int dns;                    /* --hello-dns: ProvisionServer.<suffix>:9971 */
	struct fw_hello_sched sched;
	int verbose;                /* log every attempt */
};

/*
 * Parse "HOST:PORT" ("[V6ADDR]:PORT" for IPv6) into o->host and o->port (1-65535).
 * Returns 0 or -EINVAL.
 */
int hellosend_parse_to(const char *arg, struct hellosend_opts *o);

struct hellosend;

/*
 * Start the sender thread for `d` (which must outlive it) and attach it to the device
 * (simdev_hello_attach). Every wait in the thread is timed (100 ms slices), so
 * hellosend_stop returns promptly. Returns 0 or a negative errno.
 */
int hellosend_start(struct hellosend **out, struct simdev *d,
		    const struct hellosend_opts *o, simdev_log_fn log);

/* Stop the thread, wait for it, free. NULL is a no-op. */
void hellosend_stop(struct hellosend *h);

#endif
