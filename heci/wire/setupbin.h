/* SPDX-License-Identifier: MIT */
/* setup.bin, the USB provisioning file: encode and decode in memory, no I/O. */
#ifndef AMTACT_SETUPBIN_H
#define AMTACT_SETUPBIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Layout: doc/remote-config.md 6.3 (file header), 6.4 (records and entries), 6.5 (variables);
 * what amtact writes and checks: doc/setup-bin.md. The codec lives in the wire layer because
 * both the agent (amtact usbkey) and the emulated MEBx (which consumes keys) read the same
 * bytes. Every decoder takes bytes we did not write: it checks each length against what is
 * there and says what is wrong and at which file offset.
 *
 * Secrets: a decoded record holds the values in clear (MEBx passwords, PPS). The caller
 * wipes a struct setupbin_record when done (the agent with secret_cleanse(), the emulator
 * with explicit_bzero()); nothing here copies a value anywhere else or prints it.
 */

#define SETUPBIN_CHUNK 512
#define SETUPBIN_HEADER_FIXED 40  /* header bytes before the module list */
#define SETUPBIN_RECORD_HEADER 24 /* record bytes before the first entry */
#define SETUPBIN_ENTRY_HEADER 8
#define SETUPBIN_MAX_MODULES 16
#define SETUPBIN_MAX_RECORD_CHUNKS 8
#define SETUPBIN_RECORD_MAX (SETUPBIN_MAX_RECORD_CHUNKS * SETUPBIN_CHUNK)
#define SETUPBIN_MAX_ENTRIES 128

/* File flags (header offset 26). */
#define SETUPBIN_FILE_NO_CONSUME 0x0001
/* Record types and flags (record offsets 0 and 4). */
#define SETUPBIN_RECORD_INVALID 0
#define SETUPBIN_RECORD_DATA 1
#define SETUPBIN_REC_VALID 0x1
#define SETUPBIN_REC_SCRAMBLED 0x2

/* Module and variable IDs the agent and the emulator use by name (doc/remote-config.md 6.5). */
enum {
	SETUPBIN_MOD_ME = 1,
	SETUPBIN_MOD_CM = 2,
};
enum {
	SETUPBIN_ME_CURRENT_PASSWORD = 1,
	SETUPBIN_ME_NEW_PASSWORD = 2,
	SETUPBIN_ME_MANAGEABILITY = 3,
};
enum {
	SETUPBIN_CM_PID = 1,
	SETUPBIN_CM_PPS = 2,
	SETUPBIN_CM_PKI_SUFFIX = 3,
	SETUPBIN_CM_SERVER_FQDN = 4,
	SETUPBIN_CM_RCFG = 5,
	SETUPBIN_CM_DEFAULT_CERTS = 6,
	SETUPBIN_CM_USER_CERTS = 7,
	SETUPBIN_CM_USER_CERT_ADD = 8,
	SETUPBIN_CM_SERVER_ADDRESS = 17,
	SETUPBIN_CM_SERVER_PORT = 18,
	SETUPBIN_CM_PROVISION_START = 28,
};

/* Versions: the file-type GUID (1-4) and the minor version (2.1 = type 2, minor 1). */
#define SETUPBIN_TYPE_MIN 1
#define SETUPBIN_TYPE_MAX 4
#define SETUPBIN_PID_LEN 8
#define SETUPBIN_PPS_LEN 32
#define SETUPBIN_PASSWORD_MIN 8
#define SETUPBIN_PASSWORD_MAX 32
#define SETUPBIN_CERT_NAME_MAX 32
#define SETUPBIN_FACTORY_PASSWORD "admin"

/* What went wrong and where: `offset` is a byte offset in the file (or in the value). */
struct setupbin_err {
	size_t offset;
	char msg[160];
};

/* MinGW's "printf" archetype is the Microsoft one, which has no %zu; its snprintf has. */
#ifdef __MINGW32__
#define SETUPBIN_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#else
#define SETUPBIN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#endif

/* Fill e (when not NULL) and return code. */
int setupbin_err_set(struct setupbin_err *e, int code, size_t offset, const char *fmt, ...)
	SETUPBIN_PRINTF(4, 5);

struct setupbin_header {
	unsigned type;          /* 1-4, from the GUID at offset 0 */
	uint16_t header_chunks; /* 16 */
	uint16_t header_bytes;  /* 18 */
	uint32_t record_number; /* 20, 0 */
	uint8_t major;          /* 24 */
	uint8_t minor;          /* 25 */
	uint16_t flags;         /* 26 */
	uint32_t record_count;  /* 28 */
	uint32_t consumed;      /* 32 */
	uint16_t record_chunks; /* 36 */
	uint16_t reserved;      /* 38 */
	size_t module_count;    /* 40..: the list without its 0 terminator */
	uint16_t modules[SETUPBIN_MAX_MODULES];
};

/* One entry; its value is rec->data[off .. off + len). */
struct setupbin_entry {
	uint16_t module;
	uint16_t var;
	uint16_t len;
	uint16_t reserved;
	uint16_t off;
};

struct setupbin_record {
	uint32_t type;          /* 0 */
	uint32_t flags;         /* 4 */
	uint16_t chunks;        /* 16 */
	uint16_t header_bytes;  /* 18 */
	uint32_t number;        /* 20 */
	size_t entry_count;
	size_t data_len;        /* bytes of data[] in use */
	struct setupbin_entry entries[SETUPBIN_MAX_ENTRIES];
	uint8_t data[SETUPBIN_RECORD_MAX]; /* values, descrambled */
};

/* The 16 GUID bytes of file type 1-4, or NULL. */
const uint8_t *setupbin_guid(unsigned type);

/* Bytes of a file with that many records of `record_chunks` chunks after a 1-chunk header. */
size_t setupbin_file_len(uint32_t record_count, uint16_t record_chunks);

/*
 * Decode the header at the start of `file` (all `len` bytes of it: the size must match the
 * header's counts exactly). Returns 0, or -EINVAL / -EMSGSIZE with e filled.
 */
int setupbin_header_decode(const uint8_t *file, size_t len, struct setupbin_header *h,
			   struct setupbin_err *e);

/* Byte offset of record `index` (0-based) in a file with header h. */
size_t setupbin_record_offset(const struct setupbin_header *h, uint32_t index);

/*
 * Decode record `index` (0-based) of a file whose header h was decoded from the same bytes:
 * descrambled, entries up to the first module 0 or variable 0. Returns 0, or -EINVAL with e
 * filled (offsets are file offsets).
 */
int setupbin_record_decode(const uint8_t *file, size_t len, const struct setupbin_header *h,
			   uint32_t index, struct setupbin_record *r, struct setupbin_err *e);

/* Encode h into out[0 .. h->header_chunks * 512). Returns 0 or -EMSGSIZE / -EINVAL. */
int setupbin_header_encode(uint8_t *out, size_t cap, const struct setupbin_header *h,
			   struct setupbin_err *e);

/* Encode r into out[0 .. r->chunks * 512), scrambled when its flags say so. */
int setupbin_record_encode(uint8_t *out, size_t cap, const struct setupbin_record *r,
			   struct setupbin_err *e);

/* A new header of `type` (1-4) / `minor` with no records and no modules. */
void setupbin_header_init(struct setupbin_header *h, unsigned type, uint8_t minor,
			  uint16_t flags);
/* Add every module r uses to h's list (kept in ascending order). Returns 0 or -EMSGSIZE. */
int setupbin_header_add_modules(struct setupbin_header *h, const struct setupbin_record *r);

/* An empty data record (1 chunk) numbered `number` with `flags`. */
void setupbin_record_init(struct setupbin_record *r, uint32_t number, uint32_t flags);

/* Append an entry; -EMSGSIZE with e filled when it does not fit the record. */
int setupbin_record_add(struct setupbin_record *r, uint16_t module, uint16_t var,
			const void *val, size_t len, struct setupbin_err *e);

/* The entry for module/var in r, or NULL. */
const struct setupbin_entry *setupbin_record_find(const struct setupbin_record *r,
						   uint16_t module, uint16_t var);

/* Records a BIOS may still apply: 0 once all are consumed; all of them when not consumed. */
uint32_t setupbin_records_left(const struct setupbin_header *h);

/* ---- the variables and their rules (setupbin_rules.c) ---------------------------------- */

enum setupbin_vtype {
	SETUPBIN_STR,   /* bytes / text */
	SETUPBIN_U8,
	SETUPBIN_U16,
	SETUPBIN_U32,
	SETUPBIN_GUIDV, /* 16 bytes */
	SETUPBIN_IPV4,  /* 4 bytes, stored reversed (doc/remote-config.md 6.5, 2/17) */
	SETUPBIN_HASH,  /* algorithm, hash, name length, name */
};

struct setupbin_var {
	uint16_t module;
	uint16_t var;
	enum setupbin_vtype vtype;
	uint16_t max_len;     /* longest value (fixed types: the exact length) */
	unsigned since;       /* first file version: 10 = 1, 20 = 2.0, 21 = 2.1, 30 = 3 */
	int secret;           /* 1: never shown unless asked */
	const char *key;      /* JSON key */
	const char *name;     /* words for people */
};

/* The table row for module/var, or NULL for one we do not know. */
const struct setupbin_var *setupbin_var_find(uint16_t module, uint16_t var);

/* 10, 20, 21, 30, 40 for a header's type/minor. */
unsigned setupbin_version_code(unsigned type, uint8_t minor);

/*
 * A PID or PPS as typed (dashes every 4 characters allowed, lower case taken as upper):
 * `out` gets the 8 (PID) or 32 (PPS) characters A-Z 0-9 and a NUL. Returns 0, or -EINVAL
 * with e saying which character (offset) is wrong or what length was found. The check
 * characters are not verified: their algorithm is not published (doc/remote-config.md 5).
 */
int setupbin_pid_parse(const char *in, size_t len, char out[SETUPBIN_PID_LEN + 1],
		       struct setupbin_err *e);
int setupbin_pps_parse(const char *in, size_t len, char out[SETUPBIN_PPS_LEN + 1],
		       struct setupbin_err *e);

/* The new MEBx password rule (doc/setup-bin.md 3). 0 or -EINVAL with e saying which part. */
int setupbin_password_check(const char *pw, size_t len, struct setupbin_err *e);

/*
 * One user certificate hash value (2/8): algorithm 1 SHA-1, 2 SHA-256, 3 SHA-384 (2 and 3
 * from version 3), the hash, the name (1-32 bytes). Encode into out (cap >= 82); returns the
 * length or -EINVAL. Decode checks the same.
 */
int setupbin_hash_encode(uint8_t *out, size_t cap, unsigned algo, const uint8_t *hash,
			 size_t hash_len, const char *name, struct setupbin_err *e);
int setupbin_hash_decode(const uint8_t *val, size_t len, unsigned *algo, const uint8_t **hash,
			 size_t *hash_len, const char **name, size_t *name_len,
			 struct setupbin_err *e);
/* Hash length of algorithm 1-3, else 0. */
size_t setupbin_hash_len(unsigned algo);

/*
 * The rules a record must meet in a file of version `vcode` (setupbin_version_code): known
 * variables allowed in that version, value lengths, the order rules (current then new MEBx
 * password first, the manageability selection before any module-2 entry, 2/7 before 2/8,
 * 2/28 after 2/3, 2/4 and 2/17; doc/remote-config.md 6.5) and no variable twice (2/8
 * excepted). Returns 0 or -EINVAL with e (offset: the entry's index).
 */
int setupbin_record_check(const struct setupbin_record *r, unsigned vcode,
			  struct setupbin_err *e);

#endif
