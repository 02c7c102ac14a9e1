// SPDX-License-Identifier: MIT
/* Default root-certificate hash tables per firmware era (doc/remote-config.md 4) and hex helpers. */
#include <string.h>

#include "buf.h"
#include "fw_int.h"

/*
 * SHA-1 era (before ME 11, which removed the default SHA-1 hashes: doc/remote-config.md 3.1 row 6).
 * AMT 2.6/3.0 originals: VeriSign G1 and G3, Go Daddy Class 2, Comodo AAA, Starfield
 * Class 2 (doc/remote-config.md 4.2 "Version mapping", Symantec 2010). The AMT 7-10 SDK table adds VeriSign
 * G1.5, G2 and G5 (used here for 6.2 too: UNCONFIRMED). The ME 8 image adds the names of
 * rows marked "ME8" below (used for 9.1). Full SHA-1 of G1/G1.5 were checked against public CA
 * lists (the doc/remote-config.md table shows them abbreviated). Names are the ME 8 firmware strings
 * where doc/remote-config.md quotes one, otherwise the certificate's CN.
 */
static const struct fw_hash_row sha1_26[] = {
	{ "742c3192e607e424eb4549542be1bbc53e6174e2", "VeriSign Class 3 Primary CA-G1" },
	{ "132d0d45534b6997cdb2d5c339e25576609b5cc6", "VeriSign Class 3 Primary CA-G3" },
	{ "2796bae63f1801e277261ba0d77770028f20eee4", "Go Daddy Class 2 CA" },
	{ "d1eb23a46d17d68fd92564c2f1f1601764d8e349", "Comodo AAA CA" },
	{ "ad7e1c28b064ef8f6003402014c3d0e3370eb58a", "Starfield Class 2 CA" },
	{ NULL, NULL }
};

static const struct fw_hash_row sha1_7[] = {
	{ "742c3192e607e424eb4549542be1bbc53e6174e2", "VeriSign Class 3 Primary CA-G1" },
	{ "a1db6393916f17e4185509400415c70240b0ae6b", "VeriSign Class 3 Primary CA-G1.5" },
	{ "85371ca6e550143dce2803471bde3a09e8f8770f", "VeriSign Class 3 Primary CA-G2" },
	{ "132d0d45534b6997cdb2d5c339e25576609b5cc6", "VeriSign Class 3 Primary CA-G3" },
	{ "4eb6d578499b1ccf5f581ead56be3d9b6744a5e5", "VeriSign Class 3 Primary CA-G5" },
	{ "2796bae63f1801e277261ba0d77770028f20eee4", "Go Daddy Class 2 CA" },
	{ "d1eb23a46d17d68fd92564c2f1f1601764d8e349", "Comodo AAA CA" },
	{ "ad7e1c28b064ef8f6003402014c3d0e3370eb58a", "Starfield Class 2 CA" },
	{ NULL, NULL }
};

static const struct fw_hash_row sha1_9[] = {
	{ "742c3192e607e424eb4549542be1bbc53e6174e2", "VeriSign Class 3 Primary CA-G1" },
	{ "a1db6393916f17e4185509400415c70240b0ae6b", "VeriSign Class 3 Primary CA-G1.5" },
	{ "85371ca6e550143dce2803471bde3a09e8f8770f", "VeriSign Class 3 Primary CA-G2" },
	{ "132d0d45534b6997cdb2d5c339e25576609b5cc6", "VeriSign Class 3 Primary CA-G3" },
	{ "4eb6d578499b1ccf5f581ead56be3d9b6744a5e5", "VeriSign Class 3 Primary CA-G5" },
	{ "2796bae63f1801e277261ba0d77770028f20eee4", "Go Daddy Class 2 CA" },
	{ "d1eb23a46d17d68fd92564c2f1f1601764d8e349", "Comodo AAA CA" },
	{ "ad7e1c28b064ef8f6003402014c3d0e3370eb58a", "Starfield Class 2 CA" },
	{ "d4de20d05e66fc53fe1a50882c78db2852cae474", "Baltimore CyberTrust Root" },
	{ "5f43e5b1bff8788cac1cc7ca4a9ac6222bcc34c6", "Cybertrust Global Root" },
	{ "503006091d97d4f5ae39f7cbe7927d7d652d3431", "Entrust.net CA (2048)" },
	{ "b31eb1b740e36c8402dadc37d44df5d4674952f9", "Entrust Root CA" },
	{ "97817950d81c9670cc34d809cf794431367ef474", "GTE CyberTrust Global Root" },
	{ "3679ca35668772304d30a5fb873b0fa77bb70d54", "VeriSign Universal Root CA" },
	{ NULL, NULL }
};

/* doc/remote-config.md 4.2 rows 1-29 (row 20, unidentified, is in no default table here). */
static const struct fw_hash_row sha256_rows[] = {
	{ "c3846bf24b9e93ca64274c0ec67c1ecc5e024ffcacd2d74019350e81fe546ae4", "Go Daddy Class 2 CA" },
	{ "45140b3247eb9cc8c5b4f0d7b53091f73292089e6e5a63e2749dd3aca9198eda",
	  "Go Daddy Root Certificate Authority - G2" },
	{ "d7a7a0fb5d7e2731d771e9484ebcdef71d5f0c3e0a2948782bc83ee0ea699ef4", "Comodo AAA CA" },
	{ "1465fa205397b876faa6f0a9958e5590e40fcc7faa4fb7c2c8677521fb5fb658", "Starfield Class 2 CA" },
	{ "2ce1cb0bf9d2f9e102993fbe215152c3b2dd0cabde1c68e5319b839154dbb7f5",
	  "Starfield Root Certificate Authority - G2" },
	{ "9acfab7e43c8d880d06b262a94deeee4b4659989c3d0caf19baf6405e41ab7df",
	  "VeriSign Class 3 Primary CA-G5" },
	{ "16af57a9f676b0ab126095aa5ebadef22ab31119d644ac95cd4b93dbf3f26aeb", "Baltimore CyberTrust Root" },
	{ "960adf0063e96356750c2965dd0a0867da0b9cbd6e77714aeafb2349ab393da3", "Cybertrust Global Root" },
	{ "68ad50909b04363c605ef13581a939ff2c96372e3f12325b0a6861e1d59f6603", "Verizon Global Root CA" },
	{ "6dc47172e01cbcb0bf62580d895fe2b8ac9ad4f873801e0c10b9c837d21eb177", "Entrust.net CA (2048)" },
	{ "73c176434f1bc6d5adf45b0e76e727287c8de57616c1e6e6141a2b2cbc7d8e4c", "Entrust Root CA" },
	{ "43df5774b03e7fef5fe40d931a7bedf1bb2e6b42738c4e6d3841103d3aa7f339",
	  "Entrust Root Certification Authority - G2" },
	{ "2399561127a57125de8cefea610ddf2fa078b5c8067f4e828290bfb860e84b3c", "VeriSign Universal Root CA" },
	{ "70a73f7f376b60074248904534b11482d5bf0e698ecc498df52577ebf2e93b9a", "AffirmTrust Premium" },
	{ "4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161", "DigiCert Global Root CA" },
	{ "cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f", "DigiCert Global Root G2" },
	{ "31ad6648f8104138c738f39ea4320133393e3a18cc02296ef97c2ac9ef6731d0", "DigiCert Global Root G3" },
	{ "552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988", "DigiCert Trusted Root G4" },
	{ "67540a47aa5b9f34570a99723cfefa96a96ee3f0d9b8bf4def9440b8065d665d", "GlobalSign NP RSA CA 2018" },
	{ "a267c480b0b29056eb5e8aa7c93add804f5a7df516e969e77bcacafe8d456079", "(unidentified)" },
	{ "7224395222cd588c4f2683716922addb41e39b581ac34fa87b39efa896fbb39e", "GlobalSign NP ECC CA 2018" },
	{ "cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b", "GlobalSign Root CA - R3" },
	{ "179fbc148a3dd00fd24ea13458cc43bfa7f59c8182d783a513f6ebec100c8924", "GlobalSign ECC Root CA - R5" },
	{ "2cabeafe37d06ca22aba7391c0033d25982952c453647349763a3ab5ad6ccf69", "GlobalSign Root CA - R6" },
	{ "e7685634efacf69ace939a6b255b7b4fabef42935b50a265acb5cb6027e44e70",
	  "VeriSign Class 3 Public Primary CA" },
	{ "eb04cf5eb1f39afa762f2bb120f296cba520c1b97db1589565b81cb9a17b7244",
	  "VeriSign Class 3 Primary CA-G3" },
	{ "83ce3c1229688a593d485f81973c0f9195431eda37cc5e36430e79c7a888638b",
	  "VeriSign Class 3 Primary CA-G2" },
	{ "a4b6b3996fc2f306b3fd8681bd63413d8c5009cc4fa329c2ccf0e2fa1b140305",
	  "VeriSign Class 3 Public Primary CA" },
	{ "a53125188d2110aa964b02c7b7c6da3203170894e5fb71fffb6667d5e6810a36", "GTE CyberTrust Global Root" },
};

/* 1-based row numbers of doc/remote-config.md 4.2, 0-terminated. */
static const unsigned rows_118[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
				     25, 26, 27, 28, 29, 0 };
static const unsigned rows_new[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				     17, 18, 19, 21, 22, 23, 24, 0 };

size_t fw_hash_len(uint8_t algorithm)
{
	switch (algorithm) {
	case 0: return 16;
	case 1: return 20;
	case 2: return 32;
	default: return 0;
	}
}

int fw_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(hex), i;
	int hi, lo;

	if (n % 2 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = hex_nibble(hex[2 * i]);
		lo = hex_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

void fw_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len && 2 * i + 2 < cap; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * i] = '\0';
}

/* Handles: 0-19 factory defaults, 20-22 user slots, 23-32 more defaults (doc/remote-config.md 4.1). */
static uint32_t default_handle(size_t i)
{
	return i < 20 ? (uint32_t)i : (uint32_t)i + FW_CUSTOM_HASH_MAX;
}

static void add_row(struct fw *fw, const struct fw_hash_row *row, uint8_t algorithm)
{
	struct fw_hash *h = &fw->hashes[fw->hash_count];
	size_t len;

	memset(h, 0, sizeof(*h));
	h->handle = default_handle(fw->hash_count);
	memcpy(h->name, row->name, strnlen(row->name, FW_NAME_MAX - 1));
	h->algorithm = algorithm;
	(void)fw_hex_decode(row->hex, h->hash, sizeof(h->hash), &len);
	h->is_default = true;
	h->active = true; /* per-version active flags: UNCONFIRMED (doc/remote-config.md 4.2) */
	fw->hash_count++;
}

void fw_hashes_default(struct fw *fw)
{
	const struct fw_hash_row *t = NULL;
	const unsigned *rows = NULL;

	fw->hash_count = 0;
	switch (fw->gen->hashes) {
	case FW_HASH_NONE: break;
	case FW_HASH_SHA1_26: t = sha1_26; break;
	case FW_HASH_SHA1_7: t = sha1_7; break;
	case FW_HASH_SHA1_9: t = sha1_9; break;
	case FW_HASH_SHA256_118: rows = rows_118; break;
	case FW_HASH_SHA256_NEW: rows = rows_new; break;
	}
	for (; t && t->hex; t++)
		add_row(fw, t, 1);
	for (; rows && *rows; rows++)
		add_row(fw, &sha256_rows[*rows - 1], 2);
}
