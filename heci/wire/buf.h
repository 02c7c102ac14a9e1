/* SPDX-License-Identifier: MIT */
/* Bounded little-endian readers and writers whose overrun is sticky and checked once. */
#ifndef AMTACT_BUF_H
#define AMTACT_BUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A reader over bytes we did not write (firmware replies, requests in the emulator).
 * Reading past the end sets `overrun`, returns zeros and never touches memory out of
 * range, so a decoder reads every field and checks rbuf_ok() once at the end.
 */
struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t off;
	int overrun;
};

void rbuf_init(struct rbuf *r, const void *p, size_t len);
uint8_t rbuf_u8(struct rbuf *r);
uint16_t rbuf_u16(struct rbuf *r);
uint32_t rbuf_u32(struct rbuf *r);
/* Copy n bytes out (zeros on overrun). */
void rbuf_bytes(struct rbuf *r, void *dst, size_t n);
/* Pointer to the next n bytes and advance, or NULL on overrun. */
const uint8_t *rbuf_ptr(struct rbuf *r, size_t n);
size_t rbuf_left(const struct rbuf *r);
/* 1 if no read overran. */
int rbuf_ok(const struct rbuf *r);
/* 1 if no read overran and every byte was consumed (no trailing bytes). */
int rbuf_done(const struct rbuf *r);

/* A writer into a fixed buffer; overflow is sticky and nothing is written past cap. */
struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	int overflow;
};

void wbuf_init(struct wbuf *w, void *p, size_t cap);
void wbuf_u8(struct wbuf *w, uint8_t v);
void wbuf_u16(struct wbuf *w, uint16_t v);
void wbuf_u32(struct wbuf *w, uint32_t v);
void wbuf_bytes(struct wbuf *w, const void *src, size_t n);
void wbuf_zeros(struct wbuf *w, size_t n);
/* Overwrite a u32 at an absolute offset already written (e.g. a Length field). */
void wbuf_put_u32_at(struct wbuf *w, size_t off, uint32_t v);
int wbuf_ok(const struct wbuf *w);

/* Plain little-endian loads and stores on known-good memory. */
uint16_t le16_load(const uint8_t *p);
uint32_t le32_load(const uint8_t *p);
void le16_store(uint8_t *p, uint16_t v);
void le32_store(uint8_t *p, uint32_t v);

/* The value of one hex digit (either case), or -1. */
int hex_nibble(char c);

#endif
