// SPDX-License-Identifier: MIT
/* Windows's names of USB devices, taken apart (include/usbid.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "usbid.h"

/* `len` hex digits at s into *out; 0 or -EINVAL. */
static int hex(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Does s start with the tag (any case)? Then *s moves past it. */
static bool take(const char **s, const char *tag)
{
	size_t n = strlen(tag);

	if (strncasecmp(*s, tag, n) != 0)
		return false;
	*s += n;
	return true;
}

/* `digits` hex digits after the tag, then a character of `ends` or the string's end; *s moves
 * past the digits. */
static int tagged_hex(const char **s, const char *tag, size_t digits, const char *ends,
		      unsigned *out)
{
	if (!take(s, tag) || strlen(*s) < digits || hex(*s, digits, out) < 0 ||
	    !strchr(ends, (*s)[digits]))
		return -EINVAL;
	*s += digits;
	return 0;
}

int usbid_instance_parse(const char *id, struct usbid *out)
{
	const char *s = id;
	unsigned vid, pid, mi;

	memset(out, 0, sizeof(*out));
	out->mi = -1;
	if (!take(&s, "USB\\") || tagged_hex(&s, "VID_", 4, "&", &vid) < 0 ||
	    tagged_hex(&s, "&PID_", 4, "&\\", &pid) < 0)
		return -EINVAL;
	if (*s == '&') {
		if (tagged_hex(&s, "&MI_", 2, "\\", &mi) < 0)
			return -EINVAL;
		out->mi = (int)mi;
	}
	if (*s != '\\' || !s[1] || strchr(s + 1, '\\'))
		return -EINVAL;
	out->vendor_id = (uint16_t)vid;
	out->product_id = (uint16_t)pid;
	/* A made-up instance ("6&2c3b1a0&0&2") holds "&"; a serial Windows took does not. */
	if (!strchr(s + 1, '&') && strlen(s + 1) < sizeof(out->serial))
		memcpy(out->serial, s + 1, strlen(s + 1) + 1);
	return 0;
}

int usbid_compat_class(const char *ids, size_t len, uint8_t *cls, uint8_t *subclass)
{
	for (size_t off = 0; off < len && ids[off];) {
		const char *s = ids + off;
		size_t n = strnlen(s, len - off);
		unsigned c, sub = 0;
		char one[128];

		off += n + 1;
		if (n >= sizeof(one))
			continue;
		memcpy(one, s, n);
		one[n] = 0;
		s = one;
		if (!take(&s, "USB\\") || tagged_hex(&s, "Class_", 2, "&", &c) < 0)
			continue;
		if (*s && tagged_hex(&s, "&SubClass_", 2, "&", &sub) < 0)
			sub = 0;
		*cls = (uint8_t)c;
		*subclass = (uint8_t)sub;
		return 0;
	}
	return -ENOENT;
}

/* The ports of one location path, or -ENOENT when it does not run through a root hub. */
static int path_ports(const char *s, uint8_t *ports, size_t cap)
{
	const char *p = strstr(s, "#USBROOT(");
	size_t count = 0;

	if (!p)
		return -ENOENT;
	p = strchr(p, ')');
	while (p && p[1] == '#') {
		char *end;
		unsigned long v;

		p += 2;
		if (strncmp(p, "USB(", 4) != 0)
			break;
		v = strtoul(p + 4, &end, 10);
		if (end == p + 4 || *end != ')' || v == 0 || v > 255 || count == cap)
			return -ENOENT;
		ports[count++] = (uint8_t)v;
		p = end;
	}
	return count ? (int)count : -ENOENT;
}

int usbid_location_ports(const char *paths, size_t len, uint8_t *ports, size_t cap)
{
	for (size_t off = 0; off < len && paths[off];) {
		const char *s = paths + off;
		size_t n = strnlen(s, len - off);
		char one[512];
		int ret;

		off += n + 1;
		if (n >= sizeof(one))
			continue;
		memcpy(one, s, n);
		one[n] = 0;
		ret = path_ports(one, ports, cap);
		if (ret > 0)
			return ret;
	}
	return -ENOENT;
}

int usbid_match(const struct usb_found *list, size_t count, uint16_t vendor_id,
		uint16_t product_id, const uint8_t *ports, size_t port_count)
{
	int found = -ENOENT;

	for (size_t i = 0; i < count; i++) {
		const struct usb_found *f = &list[i];

		if (f->vendor_id != vendor_id || f->product_id != product_id ||
		    f->port_count != port_count || !port_count ||
		    memcmp(f->ports, ports, port_count) != 0)
			continue;
		if (found >= 0)
			return -EEXIST;
		found = (int)i;
	}
	return found;
}

void usbid_nic_fill(struct usbdev_nic *n, const char *instance_id, const char *compat,
		    size_t compat_len, const char *service, const char *product)
{
	struct usbid id;
	uint8_t cls = 0, sub = 0;

	snprintf(n->driver, sizeof(n->driver), "%s", service ? service : "");
	if (!instance_id || usbid_instance_parse(instance_id, &id) < 0)
		return;
	n->usb = true;
	n->vendor_id = id.vendor_id;
	n->product_id = id.product_id;
	if (compat && usbid_compat_class(compat, compat_len, &cls, &sub) == 0) {
		n->iface_class = cls;
		n->iface_subclass = sub;
	}
	snprintf(n->product, sizeof(n->product), "%s", product ? product : "");
}
