// SPDX-License-Identifier: MIT
/* The system facts' shared parts: resolv.conf's domain, freeing interface lists (sysinfo.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"
#include "sysinfo.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void sysinfo_resolv_domain(const char *path, char *out, size_t cap)
{
	char line[512], domain[256] = "", search[256] = "";
	FILE *f = os_fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *key = strtok_r(line, " \t\r\n", &save);
		char *val = key ? strtok_r(NULL, " \t\r\n", &save) : NULL;

		if (!val)
			continue;
		if (strcmp(key, "domain") == 0)
			copy(domain, sizeof(domain), val);
		else if (strcmp(key, "search") == 0 && !search[0])
			copy(search, sizeof(search), val);
	}
	fclose(f);
	copy(out, cap, domain[0] ? domain : search);
}

/* 8-4-4-4-12 hexadecimal digits, lowered in place; false for anything else. */
static bool uuid_text(char *s)
{
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
		s[i] = (char)tolower((unsigned char)s[i]);
	}
	return s[36] == '\0';
}

int sysinfo_uuid_file(const char *path, char out[37])
{
	char line[64];
	FILE *f;
	int rc = -EINVAL;

	out[0] = '\0';
	f = os_fopen(path, "re");
	if (!f)
		return errno == EACCES || errno == EPERM ? -EACCES : -ENOENT;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (uuid_text(line)) {
			memcpy(out, line, 37);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

void sysinfo_ifaces_free(struct sysinfo_ifaces *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->v[i].ipv4.v);
		free(list->v[i].ipv6.v);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}
