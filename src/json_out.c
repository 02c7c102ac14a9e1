// SPDX-License-Identifier: MIT
/* The JSON edge of every command: print a document on stdout, or the error document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "info.h"
#include "json_out.h"

/* Wipe every string of a document before it is freed (set-otp --show puts the OTP in). */
static void wipe_strings(cJSON *item)
{
	for (; item; item = item->next) {
		if (item->type & cJSON_IsReference)
			continue; /* not ours: its owner may still use it */
		if (cJSON_IsString(item) && item->valuestring)
			explicit_bzero(item->valuestring, strlen(item->valuestring));
		wipe_strings(item->child);
	}
}

void json_out_print(cJSON *doc)
{
	char *s = cJSON_Print(doc);

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		explicit_bzero(s, strlen(s));
		free(s);
	}
	wipe_strings(doc);
	cJSON_Delete(doc);
}

void json_out_error(int exit_code, const char *message)
{
	cJSON *doc = cJSON_CreateObject(), *e;

	cJSON_AddNumberToObject(doc, "schema_version", INFO_SCHEMA_VERSION);
	e = cJSON_AddObjectToObject(doc, "error");
	cJSON_AddNumberToObject(e, "exit_code", exit_code);
	cJSON_AddStringToObject(e, "code", amtact_exit_name(exit_code));
	cJSON_AddStringToObject(e, "message", message);
	json_out_print(doc);
}

