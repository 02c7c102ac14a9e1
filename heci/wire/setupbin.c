// SPDX-License-Identifier: MIT
/* setup.bin header and records: bounded decoding and exact encoding (heci/wire/setupbin.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "setupbin.h"

/* File-type GUIDs, versions 1-4, as they sit at offset 0 (doc/remote-config.md 6.2). */
static const uint8_t guids[SETUPBIN_TYPE_MAX][16] = {
	{ 0xb5, 0x16, 0xfb, 0x71, 0x87, 0xcb, 0xf9, 0x4a,
	  0xb4, 0x41, 0xca, 0x7b, 0x38, 0x35, 0x78, 0xf9 },
	{ 0x96, 0xb2, 0x81, 0x58, 0xcf, 0x6b, 0x72, 0x4c,
	  0x8b, 0x91, 0xa1, 0x5e, 0x51, 0x2e, 0x99, 0xc4 },
	{ 0xa7, 0xf7, 0xf6, 0xc6, 0x89, 0xc4, 0xf6, 0x47,
	  0x93, 0xed, 0xe2, 0xe5, 0x02, 0x0d, 0xa5, 0x1d },
	{ 0xaa, 0xa9, 0x34, 0x52, 0xe1, 0x29, 0xa9, 0x44,
	  0x8d, 0x4d, 0x08, 0x1c, 0x07, 0xb9, 0x63, 0x53 },
};

/* Scrambled records store each byte after the record header plus 0x11 (6.4). */
#define SCRAMBLE_ADD 0x11

/* More header chunks than this is not a setup.bin anyone wrote. */
#define HEADER_CHUNKS_MAX 8

int setupbin_err_set(struct setupbin_err *e, int code, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->offset = offset;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

const uint8_t *setupbin_guid(unsigned type)
{
	if (type < SETUPBIN_TYPE_MIN || type > SETUPBIN_TYPE_MAX)
		return NULL;
	return guids[type - 1];
}

size_t setupbin_file_len(uint32_t record_count, uint16_t record_chunks)
{
	return SETUPBIN_CHUNK + (size_t)record_count * record_chunks * SETUPBIN_CHUNK;
}

static unsigned guid_type(const uint8_t *p)
{
	for (unsigned t = SETUPBIN_TYPE_MIN; t <= SETUPBIN_TYPE_MAX; t++)
		if (memcmp(p, guids[t - 1], 16) == 0)
			return t;
	return 0;
}

/* The module list at offset 40: IDs up to the first 0, inside the header chunks. */
static int decode_modules(const uint8_t *file, struct setupbin_header *h,
			  struct setupbin_err *e)
{
	size_t end = (size_t)h->header_chunks * SETUPBIN_CHUNK, off = SETUPBIN_HEADER_FIXED;
	uint16_t id;

	h->module_count = 0;
	for (;; off += 2) {
		if (off + 2 > end)
			return setupbin_err_set(e, -EINVAL, off, "module list has no 0 terminator "
						"inside the header");
		id = le16_load(file + off);
		if (id == 0)
			break;
		if (h->module_count == SETUPBIN_MAX_MODULES)
			return setupbin_err_set(e, -EINVAL, off, "more than %d module IDs",
						SETUPBIN_MAX_MODULES);
		h->modules[h->module_count++] = id;
	}
	if (h->header_bytes < off || h->header_bytes > end)
		return setupbin_err_set(e, -EINVAL, 18, "header byte count %u does not cover "
					"its %zu module IDs (%zu bytes) or exceeds its %zu bytes",
					h->header_bytes, h->module_count, off, end);
	return 0;
}

static int header_fields(const uint8_t *file, struct setupbin_header *h,
			 struct setupbin_err *e)
{
	struct rbuf r;

	rbuf_init(&r, file + 16, SETUPBIN_CHUNK - 16);
	h->header_chunks = rbuf_u16(&r);
	h->header_bytes = rbuf_u16(&r);
	h->record_number = rbuf_u32(&r);
	h->major = rbuf_u8(&r);
	h->minor = rbuf_u8(&r);
	h->flags = rbuf_u16(&r);
	h->record_count = rbuf_u32(&r);
	h->consumed = rbuf_u32(&r);
	h->record_chunks = rbuf_u16(&r);
	h->reserved = rbuf_u16(&r);
	if (h->header_chunks < 1 || h->header_chunks > HEADER_CHUNKS_MAX)
		return setupbin_err_set(e, -EINVAL, 16, "header chunk count %u (expected 1-%d)",
					h->header_chunks, HEADER_CHUNKS_MAX);
	if (h->record_number != 0)
		return setupbin_err_set(e, -EINVAL, 20, "header record number %u (expected 0)",
					(unsigned)h->record_number);
	if (h->major != h->type)
		return setupbin_err_set(e, -EINVAL, 24, "major version %u does not match the "
					"version-%u file-type GUID", h->major, h->type);
	if (h->record_chunks < 1 || h->record_chunks > SETUPBIN_MAX_RECORD_CHUNKS)
		return setupbin_err_set(e, -EINVAL, 36, "record chunk count %u (expected 1-%d)",
					h->record_chunks, SETUPBIN_MAX_RECORD_CHUNKS);
	if (h->consumed > h->record_count)
		return setupbin_err_set(e, -EINVAL, 32, "%u records consumed of %u",
					(unsigned)h->consumed, (unsigned)h->record_count);
	return 0;
}

int setupbin_header_decode(const uint8_t *file, size_t len, struct setupbin_header *h,
			   struct setupbin_err *e)
{
	unsigned long long want;
	int ret;

	memset(h, 0, sizeof(*h));
	if (len < SETUPBIN_CHUNK)
		return setupbin_err_set(e, -EINVAL, len, "file is %zu bytes, shorter than the "
					"%d-byte header", len, SETUPBIN_CHUNK);
	h->type = guid_type(file);
	if (!h->type)
		return setupbin_err_set(e, -EINVAL, 0, "unknown file-type GUID (not a setup.bin "
					"of version 1 to 4)");
	ret = header_fields(file, h, e);
	if (ret < 0)
		return ret;
	if ((size_t)h->header_chunks * SETUPBIN_CHUNK > len)
		return setupbin_err_set(e, -EINVAL, len, "file is %zu bytes, shorter than its "
					"%u header chunks", len, h->header_chunks);
	ret = decode_modules(file, h, e);
	if (ret < 0)
		return ret;
	want = ((unsigned long long)h->header_chunks +
		(unsigned long long)h->record_count * h->record_chunks) * SETUPBIN_CHUNK;
	if (want != len)
		return setupbin_err_set(e, -EINVAL, want < len ? (size_t)want : len,
					"file is %zu bytes; its header announces %u records of "
					"%u chunks, %llu bytes", len, (unsigned)h->record_count,
					h->record_chunks, want);
	return 0;
}

size_t setupbin_record_offset(const struct setupbin_header *h, uint32_t index)
{
	return ((size_t)h->header_chunks + (size_t)index * h->record_chunks) * SETUPBIN_CHUNK;
}

/* Entries of a descrambled body in r->data; `base` is the body's file offset. */
static int decode_entries(struct setupbin_record *r, size_t body, size_t base,
			  struct setupbin_err *e)
{
	size_t pos = 0, step;
	struct setupbin_entry *en;

	r->entry_count = 0;
	while (pos + 4 <= body) {
		uint16_t module = le16_load(r->data + pos), var = le16_load(r->data + pos + 2);

		if (module == 0 || var == 0)
			break;
		if (pos + SETUPBIN_ENTRY_HEADER > body)
			return setupbin_err_set(e, -EINVAL, base + pos, "entry %u/%u runs past the "
						"end of record %u", module, var, (unsigned)r->number);
		if (r->entry_count == SETUPBIN_MAX_ENTRIES)
			return setupbin_err_set(e, -EINVAL, base + pos, "more than %d entries in "
						"record %u", SETUPBIN_MAX_ENTRIES,
						(unsigned)r->number);
		en = &r->entries[r->entry_count];
		en->module = module;
		en->var = var;
		en->len = le16_load(r->data + pos + 4);
		en->reserved = le16_load(r->data + pos + 6);
		en->off = (uint16_t)(pos + SETUPBIN_ENTRY_HEADER);
		if (en->len > body - pos - SETUPBIN_ENTRY_HEADER)
			return setupbin_err_set(e, -EINVAL, base + pos + 4, "entry %u/%u: value "
						"of %u bytes runs past the end of record %u",
						module, var, en->len, (unsigned)r->number);
		r->entry_count++;
		step = SETUPBIN_ENTRY_HEADER + ((en->len + 3u) & ~3u);
		pos = step > body - pos ? body : pos + step;
	}
	r->data_len = pos;
	return 0;
}

int setupbin_record_decode(const uint8_t *file, size_t len, const struct setupbin_header *h,
			   uint32_t index, struct setupbin_record *r, struct setupbin_err *e)
{
	size_t off = setupbin_record_offset(h, index), size, body;

	memset(r, 0, sizeof(*r));
	size = (size_t)h->record_chunks * SETUPBIN_CHUNK;
	if (index >= h->record_count || off > len || size > len - off)
		return setupbin_err_set(e, -EINVAL, off, "record %u is not in the file (%u "
					"records)", (unsigned)index + 1, (unsigned)h->record_count);
	r->type = le32_load(file + off);
	r->flags = le32_load(file + off + 4);
	r->chunks = le16_load(file + off + 16);
	r->header_bytes = le16_load(file + off + 18);
	r->number = le32_load(file + off + 20);
	if (r->type != SETUPBIN_RECORD_DATA && r->type != SETUPBIN_RECORD_INVALID)
		return setupbin_err_set(e, -EINVAL, off, "record %u: unknown record type %u",
					(unsigned)index + 1, (unsigned)r->type);
	if (r->chunks != h->record_chunks)
		return setupbin_err_set(e, -EINVAL, off + 16, "record %u: chunk count %u, the "
					"header says %u", (unsigned)index + 1, r->chunks,
					h->record_chunks);
	if (r->header_bytes != SETUPBIN_RECORD_HEADER)
		return setupbin_err_set(e, -EINVAL, off + 18, "record %u: header byte count %u "
					"(expected %d)", (unsigned)index + 1, r->header_bytes,
					SETUPBIN_RECORD_HEADER);
	body = size - SETUPBIN_RECORD_HEADER;
	memcpy(r->data, file + off + SETUPBIN_RECORD_HEADER, body);
	if (r->flags & SETUPBIN_REC_SCRAMBLED)
		for (size_t i = 0; i < body; i++)
			r->data[i] = (uint8_t)(r->data[i] - SCRAMBLE_ADD);
	if (r->type == SETUPBIN_RECORD_INVALID) {
		/* A BIOS skips it; keep its bytes as they are. */
		r->data_len = body;
		return 0;
	}
	return decode_entries(r, body, off + SETUPBIN_RECORD_HEADER, e);
}

int setupbin_header_encode(uint8_t *out, size_t cap, const struct setupbin_header *h,
			   struct setupbin_err *e)
{
	size_t size = (size_t)h->header_chunks * SETUPBIN_CHUNK;
	struct wbuf w;

	if (!setupbin_guid(h->type))
		return setupbin_err_set(e, -EINVAL, 0, "file type %u (expected 1-4)", h->type);
	if (h->header_chunks < 1 || h->header_chunks > HEADER_CHUNKS_MAX ||
	    h->module_count > SETUPBIN_MAX_MODULES ||
	    h->header_bytes < SETUPBIN_HEADER_FIXED + 2 * h->module_count || h->header_bytes > size)
		return setupbin_err_set(e, -EINVAL, 16, "header sizes do not fit its modules");
	if (cap < size)
		return setupbin_err_set(e, -EMSGSIZE, 0, "header needs %zu bytes", size);
	wbuf_init(&w, out, size);
	wbuf_bytes(&w, setupbin_guid(h->type), 16);
	wbuf_u16(&w, h->header_chunks);
	wbuf_u16(&w, h->header_bytes);
	wbuf_u32(&w, h->record_number);
	wbuf_u8(&w, h->major);
	wbuf_u8(&w, h->minor);
	wbuf_u16(&w, h->flags);
	wbuf_u32(&w, h->record_count);
	wbuf_u32(&w, h->consumed);
	wbuf_u16(&w, h->record_chunks);
	wbuf_u16(&w, h->reserved);
	for (size_t i = 0; i < h->module_count; i++)
		wbuf_u16(&w, h->modules[i]);
	wbuf_zeros(&w, size - w.len);
	return wbuf_ok(&w) ? 0 : setupbin_err_set(e, -EMSGSIZE, 0, "header does not fit");
}

int setupbin_record_encode(uint8_t *out, size_t cap, const struct setupbin_record *r,
			   struct setupbin_err *e)
{
	size_t size = (size_t)r->chunks * SETUPBIN_CHUNK;
	struct wbuf w;

	if (r->chunks < 1 || r->chunks > SETUPBIN_MAX_RECORD_CHUNKS ||
	    r->data_len > size - SETUPBIN_RECORD_HEADER)
		return setupbin_err_set(e, -EINVAL, 0, "record %u: %zu bytes of entries do not "
					"fit %u chunks", (unsigned)r->number, r->data_len, r->chunks);
	if (cap < size)
		return setupbin_err_set(e, -EMSGSIZE, 0, "record needs %zu bytes", size);
	wbuf_init(&w, out, size);
	wbuf_u32(&w, r->type);
	wbuf_u32(&w, r->flags);
	wbuf_zeros(&w, 8);
	wbuf_u16(&w, r->chunks);
	wbuf_u16(&w, r->header_bytes);
	wbuf_u32(&w, r->number);
	wbuf_bytes(&w, r->data, r->data_len);
	wbuf_zeros(&w, size - w.len);
	if (!wbuf_ok(&w))
		return setupbin_err_set(e, -EMSGSIZE, 0, "record does not fit");
	if (r->flags & SETUPBIN_REC_SCRAMBLED)
		for (size_t i = SETUPBIN_RECORD_HEADER; i < size; i++)
			out[i] = (uint8_t)(out[i] + SCRAMBLE_ADD);
	return 0;
}

void setupbin_header_init(struct setupbin_header *h, unsigned type, uint8_t minor,
			  uint16_t flags)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->header_chunks = 1;
	h->header_bytes = SETUPBIN_HEADER_FIXED + 2;
	h->major = (uint8_t)type;
	h->minor = minor;
	h->flags = flags;
	h->record_chunks = 1;
}

static int add_module(struct setupbin_header *h, uint16_t id)
{
	size_t i = 0;

	while (i < h->module_count && h->modules[i] < id)
		i++;
	if (i < h->module_count && h->modules[i] == id)
		return 0;
	if (h->module_count == SETUPBIN_MAX_MODULES)
		return -EMSGSIZE;
	memmove(h->modules + i + 1, h->modules + i, (h->module_count - i) * sizeof(h->modules[0]));
	h->modules[i] = id;
	h->module_count++;
	h->header_bytes = (uint16_t)(SETUPBIN_HEADER_FIXED + 2 * h->module_count + 2);
	return 0;
}

int setupbin_header_add_modules(struct setupbin_header *h, const struct setupbin_record *r)
{
	for (size_t i = 0; i < r->entry_count; i++)
		if (add_module(h, r->entries[i].module) < 0)
			return -EMSGSIZE;
	return 0;
}

void setupbin_record_init(struct setupbin_record *r, uint32_t number, uint32_t flags)
{
	memset(r, 0, sizeof(*r));
	r->type = SETUPBIN_RECORD_DATA;
	r->flags = flags;
	r->chunks = 1;
	r->header_bytes = SETUPBIN_RECORD_HEADER;
	r->number = number;
}

int setupbin_record_add(struct setupbin_record *r, uint16_t module, uint16_t var,
			const void *val, size_t len, struct setupbin_err *e)
{
	size_t body = (size_t)r->chunks * SETUPBIN_CHUNK - SETUPBIN_RECORD_HEADER;
	size_t need = SETUPBIN_ENTRY_HEADER + ((len + 3u) & ~(size_t)3u);
	struct setupbin_entry *en;

	if (module == 0 || var == 0)
		return setupbin_err_set(e, -EINVAL, r->entry_count, "module and variable IDs "
					"start at 1");
	if (len > UINT16_MAX || r->data_len > body || need > body - r->data_len ||
	    r->entry_count == SETUPBIN_MAX_ENTRIES)
		return setupbin_err_set(e, -EMSGSIZE, r->data_len, "entry %u/%u (%zu bytes) does "
					"not fit record %u (%zu of %zu bytes used)", module, var,
					len, (unsigned)r->number, r->data_len, body);
	en = &r->entries[r->entry_count++];
	en->module = module;
	en->var = var;
	en->len = (uint16_t)len;
	en->reserved = 0;
	en->off = (uint16_t)(r->data_len + SETUPBIN_ENTRY_HEADER);
	le16_store(r->data + r->data_len, module);
	le16_store(r->data + r->data_len + 2, var);
	le16_store(r->data + r->data_len + 4, (uint16_t)len);
	le16_store(r->data + r->data_len + 6, 0);
	if (len)
		memcpy(r->data + en->off, val, len);
	memset(r->data + en->off + len, 0, need - SETUPBIN_ENTRY_HEADER - len);
	r->data_len += need;
	return 0;
}

const struct setupbin_entry *setupbin_record_find(const struct setupbin_record *r,
						   uint16_t module, uint16_t var)
{
	for (size_t i = 0; i < r->entry_count; i++)
		if (r->entries[i].module == module && r->entries[i].var == var)
			return &r->entries[i];
	return NULL;
}

uint32_t setupbin_records_left(const struct setupbin_header *h)
{
	if (h->flags & SETUPBIN_FILE_NO_CONSUME)
		return h->record_count;
	return h->consumed < h->record_count ? h->record_count - h->consumed : 0;
}
