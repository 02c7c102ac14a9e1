/* SPDX-License-Identifier: MIT */
/* The table every HECI backend (linux.c, sim.c, windows.c) fills in; private to heci/. */
#ifndef AMTACT_HECI_BACKEND_H
#define AMTACT_HECI_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "heci.h"

/*
 * All functions return 0 or a negative errno. `err`/`errlen` receive a detailed message
 * where one helps (file, field, reason); they may be left empty.
 */
struct heci_backend {
	const char *name;
	/* Open the device; *ctx is the backend's own state. `path` may be NULL (default). */
	int (*open)(void **ctx, const char *path, char *err, size_t errlen);
	int (*connect)(void *ctx, const uint8_t guid[16], struct heci_client *out);
	int (*send)(void *ctx, const void *buf, size_t len, int timeout_ms);
	int (*recv)(void *ctx, void *buf, size_t cap, size_t *got, int timeout_ms);
	void (*close)(void *ctx);
	/*
	 * Optional (may be NULL): the detail of the last failed connect/send/recv on ctx
	 * (e.g. the emulator's "could not save the state file" reason), or "".
	 */
	const char *(*last_error)(void *ctx);
};

extern const struct heci_backend heci_backend_linux;
extern const struct heci_backend heci_backend_sim;
#ifdef _WIN32
extern const struct heci_backend heci_backend_windows;
#endif

#endif
