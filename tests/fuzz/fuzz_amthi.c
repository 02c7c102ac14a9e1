// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the reply codecs: amthi_parse and every AMTHI decoder, plus the
 * MKHI and WD decoders, with invariants checked after each call.
 *
 * Input: one raw AMTHI reply. The expected command is the input's own command field
 * without the response bit, so a mutated command still exercises every decoder and an
 * input lacking the bit exercises the COMMAND check. Build (clang):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Iheci/include \
 *     -Iheci/wire -D_GNU_SOURCE tests/fuzz/fuzz_amthi.c src/amthi.c src/amthi_dec.c \
 *     src/amt.c src/amt_status.c src/mkhi.c src/wd.c heci/wire/buf.c -o fuzz_amthi
 *   ./fuzz_amthi tests/fuzz/corpus/amthi
 * tests/tools/fuzz_replay.c includes this file to replay the corpus without clang.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "amt.h"
#include "amthi.h"
#include "buf.h"
#include "mkhi.h"
#include "wd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* Printable, NUL-terminated within cap: what every decoded string must be. */
static void check_str(const char *s, size_t cap)
{
	const char *nul = memchr(s, 0, cap);

	CHECK(nul);
	for (; s < nul; s++)
		CHECK(*s >= 0x20 && *s <= 0x7e);
}

/* Every decoder's contract: 0, or -EBADMSG with a fault and a reason. */
static void check_ret(int ret, const struct amthi_reply *r)
{
	CHECK(ret == 0 || ret == -EBADMSG);
	if (ret == 0) {
		CHECK(r->fault == AMTHI_FAULT_NONE);
	} else {
		CHECK(r->fault >= AMTHI_FAULT_SIZE && r->fault <= AMTHI_FAULT_FIELD);
		CHECK(r->err.msg[0] != '\0' && r->err.code == -EBADMSG);
	}
	CHECK(memchr(r->err.msg, 0, sizeof(r->err.msg)));
}

static void dec_strings(const struct amthi_reply *base)
{
	struct amt_code_versions cv;
	struct amt_certhash ch;
	struct amt_fqdn fq;
	struct amt_remote_access ra;
	struct amthi_reply r;
	char s[64], pid[9];
	uint32_t i;
	int ret;

	r = *base;
	ret = amthi_dec_code_versions(&r, &cv);
	check_ret(ret, &r);
	if (ret == 0) {
		CHECK(cv.count <= AMT_VERSIONS_MAX);
		check_str(cv.bios, sizeof(cv.bios));
		for (i = 0; i < cv.count; i++) {
			check_str(cv.v[i].desc, sizeof(cv.v[i].desc));
			check_str(cv.v[i].ver, sizeof(cv.v[i].ver));
		}
	}
	r = *base;
	ret = amthi_dec_ansi(&r, s, sizeof(s));
	check_ret(ret, &r);
	if (ret == 0)
		check_str(s, sizeof(s));
	r = *base;
	ret = amthi_dec_certhash(&r, &ch);
	check_ret(ret, &r);
	if (ret == 0)
		check_str(ch.name, sizeof(ch.name));
	r = *base;
	ret = amthi_dec_fqdn(&r, &fq);
	check_ret(ret, &r);
	if (ret == 0)
		check_str(fq.fqdn, sizeof(fq.fqdn));
	r = *base;
	ret = amthi_dec_remote_access(&r, &ra);
	check_ret(ret, &r);
	if (ret == 0)
		check_str(ra.mps_hostname, sizeof(ra.mps_hostname));
	r = *base;
	ret = amthi_dec_pid(&r, pid);
	check_ret(ret, &r);
	if (ret == 0)
		check_str(pid, sizeof(pid));
}

static void dec_fixed(const struct amthi_reply *base)
{
	uint32_t handles[AMT_HASH_HANDLES_MAX], v, mode;
	uint8_t uuid[16];
	struct amt_lan lan;
	struct amthi_reply r;
	size_t count;
	bool b, legacy;
	int ret;

	r = *base;
	check_ret(amthi_dec_empty(&r), &r);
	r = *base;
	check_ret(amthi_dec_uuid(&r, uuid), &r);
	r = *base;
	check_ret(amthi_dec_u32(&r, &v), &r);
	r = *base;
	check_ret(amthi_dec_bool(&r, &b), &r);
	r = *base;
	check_ret(amthi_dec_prov_mode(&r, &mode, &legacy), &r);
	r = *base;
	check_ret(amthi_dec_lan(&r, &lan), &r);
	r = *base;
	ret = amthi_dec_hash_handles(&r, handles, AMT_HASH_HANDLES_MAX, &count);
	check_ret(ret, &r);
	if (ret == 0)
		CHECK(count <= AMT_HASH_HANDLES_MAX);
}

/* The decoder a real caller uses for the reply to cmd. */
static int dec_matching(struct amthi_reply *r)
{
	struct amt_code_versions cv;
	struct amt_certhash ch;
	struct amt_fqdn fq;
	struct amt_remote_access ra;
	struct amt_lan lan;
	uint32_t handles[AMT_HASH_HANDLES_MAX], v;
	uint8_t uuid[16];
	char s[256], pid[9];
	size_t count;
	bool b;

	switch (r->cmd) {
	case AMTHI_GET_PROVISIONING_MODE:
		return amthi_dec_prov_mode(r, &v, &b);
	case AMTHI_GET_PROVISIONING_STATE:
	case AMTHI_GET_PROVISIONING_TLS_MODE:
	case AMTHI_GET_UNPROVISIONING_STATE:
	case AMTHI_GET_CONTROL_MODE:
		return amthi_dec_u32(r, &v);
	case AMTHI_GET_ZERO_TOUCH_ENABLED:
		return amthi_dec_bool(r, &b);
	case AMTHI_GET_CODE_VERSIONS:
		return amthi_dec_code_versions(r, &cv);
	case AMTHI_ENUMERATE_HASH_HANDLES:
		return amthi_dec_hash_handles(r, handles, AMT_HASH_HANDLES_MAX, &count);
	case AMTHI_GET_CERTHASH_ENTRY:
		return amthi_dec_certhash(r, &ch);
	case AMTHI_GET_PKI_FQDN_SUFFIX:
		return amthi_dec_ansi(r, s, sizeof(s));
	case AMTHI_GET_PID:
		return amthi_dec_pid(r, pid);
	case AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS:
		return amthi_dec_remote_access(r, &ra);
	case AMTHI_GET_LAN_INTERFACE_SETTINGS:
		return amthi_dec_lan(r, &lan);
	case AMTHI_GET_FQDN:
		return amthi_dec_fqdn(r, &fq);
	case AMTHI_GET_UUID:
		return amthi_dec_uuid(r, uuid);
	default:
		return amthi_dec_empty(r);
	}
}

static uint32_t expected_cmd(const uint8_t *data, size_t size)
{
	return size >= 8 ? le32_load(data + 4) & ~AMTHI_RESP_BIT : AMTHI_GET_UUID;
}

/*
 * What a caller would conclude: AMTHI_FAULT_NONE if the reply is accepted (valid with a
 * non-zero status, or valid and decoded), else the fault. Used by the corpus replay,
 * whose file names start with the expected fault name.
 */
static enum amthi_fault fuzz_amthi_verdict(const uint8_t *data, size_t size)
{
	struct amthi_reply r;
	int ret = amthi_parse(data, size, expected_cmd(data, size), &r);

	if (ret == -ENODATA)
		return AMTHI_FAULT_EMPTY;
	if (ret)
		return r.fault;
	if (r.status != 0)
		return AMTHI_FAULT_NONE;
	dec_matching(&r);
	return r.fault;
}

static void other_codecs(const uint8_t *data, size_t size)
{
	struct mkhi_fw_version fw;
	struct wd_amt_state st;
	uint8_t result;
	uint32_t status;
	struct amt_err why;
	int ret;

	ret = mkhi_dec_fw_version(data, size, &fw, &result, &why);
	CHECK(ret == 0 || ret == -ENODATA || ret == -EBADMSG || ret == -EPROTO);
	CHECK(ret != -EPROTO || result != 0);
	CHECK(memchr(why.msg, 0, sizeof(why.msg)));
	CHECK(why.code == ret);
	ret = wd_dec_is_change_enabled(data, size, &st, &why);
	CHECK(ret == 0 || (ret == -ENODATA && size == 0));
	ret = wd_dec_set_operational_state(data, size, &status, &why);
	CHECK(ret != 0 || size == 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct amthi_reply r, raw;
	int ret;

	fuzz_amthi_verdict(data, size);
	ret = amthi_parse(data, size, expected_cmd(data, size), &r);
	CHECK(ret == 0 || ret == -EBADMSG || ret == -ENODATA);
	CHECK(memchr(r.err.msg, 0, sizeof(r.err.msg)));
	if (ret == 0) {
		CHECK(r.payload_len + 16 == size);
		/* decoders refuse a non-zero status; run them on the payload regardless */
		r.status = 0;
		dec_fixed(&r);
		dec_strings(&r);
	}
	/* and on the raw bytes as a payload, so no valid header is needed to reach them */
	memset(&raw, 0, sizeof(raw));
	raw.cmd = expected_cmd(data, size);
	raw.payload = data;
	raw.payload_len = size;
	dec_fixed(&raw);
	dec_strings(&raw);
	other_codecs(data, size);
	return 0;
}
