/* SPDX-License-Identifier: MIT */
/* Renders what the ME told us (struct me_info) as text for people; the JSON is info_json.h. */
#ifndef AMTACT_INFO_H
#define AMTACT_INFO_H

#include <stdio.h>

#include "me.h"

/* Schema version of the JSON documents (`info`, `status`); bumped only on breaking changes. */
#define INFO_SCHEMA_VERSION 1

/* Number of items that failed with a transport error or a malformed reply. */
int info_error_count(const struct me_info *info);

/* The same facts grouped for people. */
void info_print_text(FILE *f, const struct me_info *info);

/* Small formatting helpers shared by the renderers. */
void info_mac_str(const uint8_t mac[6], char out[18]);
void info_ipv4_str(uint32_t ip, char out[16]);
void info_hex(const uint8_t *p, size_t len, char *out, size_t cap);

/*
 * Walk every item: calls fn for each with its JSON key, the AMTHI command (or client)
 * it came from, and the item.
 */
typedef void info_item_fn(const char *key, const char *command, const struct me_item *it,
			  void *ctx);
void info_each_item(const struct me_info *info, info_item_fn *fn, void *ctx);

#endif
