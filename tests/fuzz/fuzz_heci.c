// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: HECI message framing on the firmware side, the bytes any process
 * writes to the emulated MEI device (fw_connect + fw_handle, as amtsim and the sim
 * backend drive them). The agent's side of the frame (reply size, header, command,
 * status) is fuzz_amthi's. Input: a machine selector byte, then messages, each a client
 * byte (AMTHI, MKHI, WD), a 16-bit little-endian length and that many bytes, handled in
 * order against one model so requests that change state reach later ones.
 * Invariants: a reply fits the client's MTU; the model still serialises and loads back.
 * Each input starts from a fresh model of its generation (fuzzfw_fresh).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzfw.h"
#include "fwclient.h"

#define MESSAGES_MAX 32

static const char *const gens[] = { "16.1", "11.8", "2.6", "6.2", "9.1", "12.0", "19.0" };

static void one_message(struct fw *fw, unsigned which, const uint8_t *msg, size_t len)
{
	const uint8_t *guids[] = { heci_guid_amthi, heci_guid_mkhi, heci_guid_wd };
	static uint8_t reply[65536];
	struct fw_client_props props;
	enum fw_client client;
	size_t reply_len = (size_t)-1;
	int ret;

	if (fw_connect(fw, guids[which % 3], &client, &props) != 0)
		return;
	FUZZ_CHECK(client < FW_CLIENT_COUNT && props.max_msg_len <= sizeof(reply));
	if (len > props.max_msg_len)
		return; /* the transport refuses it before the firmware sees it (-EFBIG) */
	ret = fw_handle(fw, client, msg, len, reply, props.max_msg_len, &reply_len);
	FUZZ_CHECK(ret == 0 || ret == FW_NO_REPLY || ret < 0);
	if (ret == 0)
		FUZZ_CHECK(reply_len <= props.max_msg_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw *fw;
	size_t off = 1;

	if (size < 1)
		return 0;
	fw = fuzzfw_fresh(gens[data[0] % (sizeof(gens) / sizeof(gens[0]))]);
	if (!fw)
		fw = fuzzfw_fresh("16.1");
	FUZZ_CHECK(fw != NULL);
	for (int n = 0; n < MESSAGES_MAX && off + 3 <= size; n++) {
		unsigned which = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;

		off += 3;
		if (len > size - off)
			len = size - off;
		one_message(fw, which, data + off, len);
		off += len;
	}
	free(fuzzfw_round_trip(fw));
	fw_free(fw);
	return 0;
}
