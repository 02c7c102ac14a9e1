// SPDX-License-Identifier: MIT
/*
 * Replays fuzz inputs through one libFuzzer target without libFuzzer, so `make check`
 * runs the committed corpus and the named regression inputs of every target: linked with
 * tests/fuzz/fuzz_NAME.c as build/tests/replay_NAME. Usage: replay_NAME DIR|FILE...
 * A target reports a broken invariant by aborting; under SANITIZE=1 the sanitizers stop
 * on any memory or undefined-behaviour error. Exit 0 after every input ran, 1 if a path
 * could not be read or no input was found.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define REPLAY_MAX_LEN (1u << 20)

static int replay_file(const char *path)
{
	uint8_t *data = malloc(REPLAY_MAX_LEN);
	uint8_t *exact;
	size_t n;
	FILE *f;

	if (!data)
		return -1;
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: cannot open\n", path);
		free(data);
		return -1;
	}
	n = fread(data, 1, REPLAY_MAX_LEN, f);
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	/* an exact-size copy, as libFuzzer passes it, so an over-read is an overflow */
	exact = malloc(n ? n : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	memcpy(exact, data, n);
	free(data);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir, sorted, so a failure replays in the same order. */
static int replay_dir(const char *dir, unsigned *files)
{
	struct dirent **v = NULL;
	char path[4096];
	struct stat st;
	int n, i, bad = 0;

	n = scandir(dir, &v, NULL, NULL);
	if (n < 0)
		return -1;
	qsort(v, (size_t)n, sizeof(*v), cmp_names);
	for (i = 0; i < n; i++) {
		if (v[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, v[i]->d_name) <
			    sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			bad |= replay_file(path) < 0;
			(*files)++;
		}
		free(v[i]);
	}
	free(v);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned files = 0;
	struct stat st;
	int i, bad = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			bad |= replay_dir(argv[i], &files) != 0;
		} else {
			bad |= replay_file(argv[i]) < 0;
			files++;
		}
	}
	if (files == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 1;
	}
	fprintf(stderr, "replay: %u inputs\n", files);
	return bad;
}
