/* SPDX-License-Identifier: MIT */
/* MEI character-device semantics (Linux drivers/misc/mei/main.c) over one emulator core. */
#ifndef AMTACT_SIMDEV_H
#define AMTACT_SIMDEV_H

#include <stddef.h>
#include <stdint.h>

#include "fw.h"

/*
 * One struct simdev is one emulated /dev/meiN: one firmware core, one lock, any number
 * of opens (struct simdev_conn, one connection each, like one fd on the kernel device).
 * Every call takes the device lock itself; calls may come from any thread.
 *
 * Blocking calls (read, write on a full queue) wait in short timed slices and give up
 * with -EINTR when the caller's request is interrupted (struct simdev_wait) and with
 * -ENODEV when the device is stopping (simdev_stop()). They never wait unbounded on
 * anything but the client, so a killed client or a stopping daemon never hangs.
 */
struct simdev;
struct simdev_conn;

/* Pending writes per connection before write() blocks (kernel MEI_TX_QUEUE_LIMIT_DEFAULT). */
#define SIMDEV_TX_QUEUE_LIMIT 50

/* Poll bits as the kernel's mei_poll() reports them (values of <poll.h>). */
#define SIMDEV_POLLIN  0x001
#define SIMDEV_POLLOUT 0x004
#define SIMDEV_POLLERR 0x008
#define SIMDEV_POLLRDNORM 0x040
#define SIMDEV_POLLWRNORM 0x100

/*
 * The front end's poll machinery: `notify(ph)` wakes whoever polls on the handle,
 * `release(ph)` frees it. A handle is kept per connection until replaced or closed.
 */
struct simdev_poll_ops {
	void (*notify)(void *ph);
	void (*release)(void *ph);
};

/* Logs one line (no newline) for the daemon: quirks under --strict, save failures. */
typedef void (*simdev_log_fn)(const char *line);

/*
 * A blocked request's way out. `interrupted` is set by simdev_interrupt() (from another
 * thread); `check`, if set, is also asked each slice and returns non-zero once the
 * request is interrupted. Zero-initialise, then fill in.
 */
struct simdev_wait {
	int interrupted;
	int (*check)(void *arg);
	void *arg;
};

/*
 * Take ownership of `fw` (freed by simdev_free). `strict`: turn on the core's strict mode
 * and log Length quirks of requests. Returns 0 or -ENOMEM / the core's error.
 */
int simdev_new(struct simdev **out, struct fw *fw, int strict,
	       const struct simdev_poll_ops *pops, simdev_log_fn log);
void simdev_free(struct simdev *d);

/* Wake every waiter: from now on blocked calls return -ENODEV. Idempotent. */
void simdev_stop(struct simdev *d);

/* Mark a waiter interrupted and wake it (any thread). */
void simdev_interrupt(struct simdev *d, struct simdev_wait *w);

/*
 * Announce replies that are due to their pollers, then sleep until the next one is due,
 * something changes (a new reply, a stop) or max_ms pass, whichever is first. The
 * daemon's ticker thread calls it in a loop: replies are announced when due, not on a
 * fixed tick.
 */
void simdev_tick(struct simdev *d, unsigned max_ms);

/* 0 when the firmware is up, -ENODEV while it recovers from a reset. */
int simdev_ready(struct simdev *d);

/* 1 if this open is connected to a client and not severed by a reset. */
int simdev_connected(struct simdev *d, struct simdev_conn *c);

/* A new, unconnected open. -ENOMEM. */
int simdev_open(struct simdev *d, struct simdev_conn **out);
/* Close: disconnects, drops queued messages, releases the poll handle. */
void simdev_close(struct simdev *d, struct simdev_conn *c);

/*
 * IOCTL_MEI_CONNECT_CLIENT. 0, or -EBUSY (this open is already connected, or an injected
 * busy fault), -ENOTTY (no such client), -ENODEV (firmware resetting).
 */
int simdev_connect(struct simdev *d, struct simdev_conn *c, const uint8_t guid[16],
		   struct fw_client_props *props);

/*
 * Queue one message. Returns len, or -ENODEV (not connected / reset), -EFBIG (> MTU),
 * -EAGAIN (queue full and nonblock), -EINTR (interrupted while the queue was full).
 */
long simdev_write(struct simdev *d, struct simdev_conn *c, const void *buf, size_t len,
		  int nonblock, struct simdev_wait *w);

/*
 * Read (part of) the next reply: returns the byte count (0 for an empty message), or
 * -ENODEV (not connected / reset / stopping), -EAGAIN (nothing ready and nonblock),
 * -EINTR (interrupted). A short `cap` keeps the rest of the message for the next read.
 */
long simdev_read(struct simdev *d, struct simdev_conn *c, void *buf, size_t cap,
		 int nonblock, struct simdev_wait *w);

/*
 * Current readiness as SIMDEV_POLL* bits. `ph`, if not NULL, is kept (ownership passes)
 * and notified on the next change.
 */
unsigned simdev_poll(struct simdev *d, struct simdev_conn *c, void *ph);

/*
 * Run control lines (one per line, see man/amtsim.5) and write their answers to out.
 * Returns 0, or -EINVAL when a line was refused (its reason is in out).
 */
int simdev_control(struct simdev *d, const char *text, size_t len, char *out, size_t outlen);

/*
 * The hello sender's side (amtsim --hello-to / --hello-dns). After simdev_hello_attach
 * the control command "hello-now" is answered here (the core alone refuses it): it asks
 * for one attempt now if the window is open.
 */
struct simdev_hello {
	uint8_t pkt[FW_HELLO_MAX];
	size_t len;
	unsigned retry;         /* the packet's retry count: attempts before it */
	int64_t window;         /* for fw_hello_mark */
	int64_t at;             /* emulated time of the attempt */
	char server[300];       /* fw_hello_server_name() */
};

void simdev_hello_attach(struct simdev *d);

/*
 * If an attempt is due (by `sched`, or asked for by "hello-now"), fill *h and return 1;
 * 0 if none is due now. Takes the device lock; no network work is done under it.
 */
int simdev_hello_take(struct simdev *d, const struct fw_hello_sched *sched,
		      struct simdev_hello *h);

/* Count the attempt taken as *h (delivered or not) and save the state. */
void simdev_hello_done(struct simdev *d, const struct simdev_hello *h, int delivered);

/*
 * Called first by every worker thread of the daemon (the delayed-reply ticker, the hello
 * sender): SIGTERM, SIGINT and SIGHUP stay with the FUSE loop's handlers, which stop the
 * session and then the workers.
 */
void simdev_worker_signals(void);

#endif
