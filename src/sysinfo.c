// SPDX-License-Identifier: MIT
/* The system facts' shared parts: resolv.conf's domain, freeing interface lists (sysinfo.h). */
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

void sysinfo_ifaces_free(struct sysinfo_ifaces *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->v[i].ipv4.v);
		free(list->v[i].ipv6.v);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}
