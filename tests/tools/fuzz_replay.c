// SPDX-License-Identifier: MIT
/*
 * Replays fuzz corpus files through the fuzz target (no clang needed) and checks each
 * file's verdict against its name: "<fault>-<description>", fault as amthi_fault_name()
 * ("none" = accepted). Usage: fuzz_replay [DIR|FILE]... (default tests/fuzz/corpus/amthi).
 * Exit 0 if every file matched, 1 otherwise.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "../fuzz/fuzz_amthi.c"

#define REPLAY_MAX_LEN 65536

static int replay_file(const char *path, const char *base)
{
	static uint8_t data[REPLAY_MAX_LEN];
	const char *dash = strchr(base, '-');
	const char *got;
	size_t n, want_len;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_replay: %s: cannot open\n", path);
		return 1;
	}
	n = fread(data, 1, sizeof(data), f);
	if (ferror(f)) {
		fclose(f);
		fprintf(stderr, "fuzz_replay: %s: read error\n", path);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, n);
	got = amthi_fault_name(fuzz_amthi_verdict(data, n));
	want_len = dash ? (size_t)(dash - base) : strlen(base);
	if (strlen(got) != want_len || strncmp(got, base, want_len) != 0) {
		fprintf(stderr, "fuzz_replay: %s: verdict \"%s\" does not match the name\n",
			path, got);
		return 1;
	}
	return 0;
}

static int replay_dir(const char *dir, int *files)
{
	struct dirent *e;
	char path[4096];
	int bad = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    sizeof(path))
			continue;
		bad += replay_file(path, e->d_name);
		(*files)++;
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	const char *def[] = { "tests/fuzz/corpus/amthi" };
	const char **args = argc > 1 ? (const char **)argv + 1 : def;
	int count = argc > 1 ? argc - 1 : 1;
	int files = 0, bad = 0, i;

	for (i = 0; i < count; i++) {
		int ret = replay_dir(args[i], &files);

		if (ret < 0) {
			const char *slash = strrchr(args[i], '/');

			bad += replay_file(args[i], slash ? slash + 1 : args[i]);
			files++;
		} else {
			bad += ret;
		}
	}
	if (files == 0) {
		fprintf(stderr, "fuzz_replay: no corpus files found\n");
		return 1;
	}
	printf("fuzz_replay: %d files, %d mismatches\n", files, bad);
	return bad ? 1 : 0;
}
