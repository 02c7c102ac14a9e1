// SPDX-License-Identifier: MIT
/* Bounded little-endian byte readers and writers (heci/wire/buf.h). */
#include <string.h>

#include "buf.h"

void rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->overrun = 0;
}

const uint8_t *rbuf_ptr(struct rbuf *r, size_t n)
{
	const uint8_t *q;

	if (r->overrun || n > r->len - r->off) {
		r->overrun = 1;
		r->off = r->len;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

void rbuf_bytes(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *q = rbuf_ptr(r, n);

	if (q)
		memcpy(dst, q, n);
	else
		memset(dst, 0, n);
}

uint8_t rbuf_u8(struct rbuf *r)
{
	const uint8_t *q = rbuf_ptr(r, 1);

	return q ? q[0] : 0;
}

uint16_t rbuf_u16(struct rbuf *r)
{
	const uint8_t *q = rbuf_ptr(r, 2);

	return q ? le16_load(q) : 0;
}

uint32_t rbuf_u32(struct rbuf *r)
{
	const uint8_t *q = rbuf_ptr(r, 4);

	return q ? le32_load(q) : 0;
}

size_t rbuf_left(const struct rbuf *r)
{
	return r->len - r->off;
}

int rbuf_ok(const struct rbuf *r)
{
	return !r->overrun;
}

int rbuf_done(const struct rbuf *r)
{
	return !r->overrun && r->off == r->len;
}

void wbuf_init(struct wbuf *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = p ? cap : 0;
	w->len = 0;
	w->overflow = 0;
}

static uint8_t *wbuf_room(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		return NULL;
	}
	q = w->p + w->len;
	w->len += n;
	return q;
}

void wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *q = wbuf_room(w, 1);

	if (q)
		q[0] = v;
}

void wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t *q = wbuf_room(w, 2);

	if (q)
		le16_store(q, v);
}

void wbuf_u32(struct wbuf *w, uint32_t v)
{
	uint8_t *q = wbuf_room(w, 4);

	if (q)
		le32_store(q, v);
}

void wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *q = wbuf_room(w, n);

	if (q && n)
		memcpy(q, src, n);
}

void wbuf_zeros(struct wbuf *w, size_t n)
{
	uint8_t *q = wbuf_room(w, n);

	if (q && n)
		memset(q, 0, n);
}

void wbuf_put_u32_at(struct wbuf *w, size_t off, uint32_t v)
{
	if (w->overflow || off > w->len || w->len - off < 4) {
		w->overflow = 1;
		return;
	}
	le32_store(w->p + off, v);
}

int wbuf_ok(const struct wbuf *w)
{
	return !w->overflow;
}

uint16_t le16_load(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t le32_load(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void le16_store(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void le32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
