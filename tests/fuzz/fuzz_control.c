// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the emulator's control lines (fw_control), as `amtsim ctl` and the
 * FUSE control file take them, one per input line against one fresh model, then requests
 * on every client so injected faults take effect. Invariants: 0 or -EINVAL, an answer
 * that is a C string, and a state that still serialises and loads back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzfw.h"
#include "fwclient.h"

#define LINES_MAX 16

static void poke_clients(struct fw *fw)
{
	static const uint8_t get_uuid[] = { 1, 1, 0, 0, 0x5c, 0, 0, 4, 0, 0, 0, 0 };
	const uint8_t *guids[] = { heci_guid_amthi, heci_guid_mkhi, heci_guid_wd };
	struct fw_client_props props;
	enum fw_client client;
	uint8_t reply[8192];
	size_t len;

	for (size_t i = 0; i < sizeof(guids) / sizeof(guids[0]); i++) {
		if (fw_connect(fw, guids[i], &client, &props) != 0)
			continue;
		FUZZ_CHECK(props.max_msg_len <= sizeof(reply));
		len = 0;
		fw_handle(fw, client, get_uuid, sizeof(get_uuid), reply, sizeof(reply), &len);
		FUZZ_CHECK(len <= props.max_msg_len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw *fw = fuzzfw_fresh("16.1");
	char out[4096], *line;
	const uint8_t *rest = data;
	size_t rest_len = size;
	int ret;

	FUZZ_CHECK(fw != NULL);
	for (int n = 0; n < LINES_MAX && rest_len; n++) {
		fuzz_split(rest, rest_len, &line, &rest, &rest_len);
		memset(out, 'x', sizeof(out));
		ret = fw_control(fw, line, out, sizeof(out));
		FUZZ_CHECK(ret == 0 || ret == -EINVAL);
		FUZZ_CHECK(fuzz_terminated(out, sizeof(out)));
		free(line);
	}
	poke_clients(fw);
	free(fuzzfw_round_trip(fw));
	fw_free(fw);
	return 0;
}
