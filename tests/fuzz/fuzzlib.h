/* SPDX-License-Identifier: MIT */
/* Helpers shared by the libFuzzer targets in tests/fuzz/ (fuzzlib.c). */
#ifndef AMTACT_FUZZLIB_H
#define AMTACT_FUZZLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant is a crash: libFuzzer keeps the input, the replay fails. */
#define FUZZ_CHECK(cond)             \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/*
 * A private directory (0700) for this process, created on first use under $TMPDIR (else
 * /dev/shm, else /tmp) and removed with everything in it at exit. Aborts if it cannot.
 */
const char *fuzz_tmpdir(void);

/* "<fuzz_tmpdir()>/<name>" in a static buffer. */
const char *fuzz_path(const char *name);

/* Replace `path` with exactly `len` bytes of `data` (mode 0600). Aborts on failure. */
void fuzz_write_file(const char *path, const void *data, size_t len);

/* A NUL-terminated malloc'd copy of data[0..len) (embedded NULs kept). Aborts on ENOMEM. */
char *fuzz_strndup(const uint8_t *data, size_t len);

/*
 * Split the input at its first newline: *head is a NUL-terminated malloc'd copy of what
 * comes before it (all of it without a newline); rest and rest_len what follows.
 */
void fuzz_split(const uint8_t *data, size_t size, char **head, const uint8_t **rest,
		size_t *rest_len);

/* True if s[0..cap) holds a NUL. */
int fuzz_terminated(const char *s, size_t cap);

#endif
