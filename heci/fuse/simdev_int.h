/* SPDX-License-Identifier: MIT */
/* Private to simdev: the device and connection state its source files share, and helpers. */
#ifndef AMTACT_SIMDEV_INT_H
#define AMTACT_SIMDEV_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "simdev.h"

struct simdev_msg {
	struct simdev_msg *next;
	size_t len;
	uint8_t data[];
};

struct simdev_conn {
	struct simdev_conn *next;
	int connected;
	enum fw_client client;
	uint32_t mtu;
	unsigned epoch;
	/* Written, not yet taken by the firmware (the kernel's TX queue). */
	struct simdev_msg *tx_head;
	struct simdev_msg *tx_tail;
	unsigned tx_count;
	/* The firmware holds one request until the host has read its whole reply. */
	int inflight;
	int have_reply;
	uint8_t *reply;
	size_t reply_len;
	size_t reply_off;
	uint64_t ready_ms;
	int announced;
	void *ph;
};

struct simdev {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct fw *fw;
	int strict;
	int stopping;
	unsigned seen_epoch;
	struct simdev_conn *conns;
	struct simdev_poll_ops pops;
	simdev_log_fn log;
	int hello_attached;
	int hello_now;            /* "hello-now" asked for an attempt */
};

/*
 * simdev.c: shared helpers. All but simdev_now_ms() run with d->lock held, the lock
 * that every call into the emulator core (fw_*) is made under.
 */
uint64_t simdev_now_ms(void);
/* One line to the daemon's log, if it has one. */
__attribute__((format(printf, 2, 3)))
void simdev_logf(struct simdev *d, const char *fmt, ...);
/* Wake whoever polls on c. */
void simdev_notify(struct simdev *d, struct simdev_conn *c);
/* c is connected and no reset has severed it since. */
int simdev_conn_alive(struct simdev *d, const struct simdev_conn *c);
/* A reset severs every connection: wake all readers, writers and pollers (POLLERR). */
void simdev_check_epoch(struct simdev *d);
/* Sleep on d->cond until `until_ms` (simdev_now_ms() clock) or a broadcast. */
void simdev_wait_until(struct simdev *d, uint64_t until_ms);
/* Save the state if the core changed it; a failure is logged. */
void simdev_save_if_dirty(struct simdev *d);

#endif
