// SPDX-License-Identifier: MIT
/* The JSON edge of every command: print a document on stdout, or the error document. */
#include <stdbool.h>
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

/*
 * The document waits here until main knows the exit code (json_out_finish), so that a
 * failing command's document always carries an "error" object.
 */
static cJSON *pending;
static bool pending_compact; /* printed on one line (report's documents) */
static bool printed;

static void emit(cJSON *doc)
{
	char *s = pending_compact ? cJSON_PrintUnformatted(doc) : cJSON_Print(doc);

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		explicit_bzero(s, strlen(s));
		free(s);
	}
	wipe_strings(doc);
	cJSON_Delete(doc);
}

void json_out_print(cJSON *doc)
{
	if (pending)
		emit(pending);
	pending = doc;
	pending_compact = false;
	printed = true;
}

void json_out_print_compact(cJSON *doc)
{
	json_out_print(doc);
	pending_compact = true;
}

void json_out_finish(bool json, int exit_code, const char *message)
{
	if (!amtact_exit_is_error(exit_code))
		;
	else if (pending && !cJSON_HasObjectItem(pending, "error"))
		json_out_add_error(pending, exit_code, message);
	else if (!pending && json && !printed)
		json_out_error(exit_code, message); /* becomes the pending document */
	if (pending)
		emit(pending);
	pending = NULL;
}

void json_out_add_error(cJSON *doc, int exit_code, const char *message)
{
	cJSON *e = cJSON_AddObjectToObject(doc, "error");

	cJSON_AddNumberToObject(e, "exit_code", exit_code);
	cJSON_AddStringToObject(e, "code", amtact_exit_name(exit_code));
	cJSON_AddStringToObject(e, "message", message);
}

void json_out_error(int exit_code, const char *message)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddNumberToObject(doc, "schema_version", INFO_SCHEMA_VERSION);
	json_out_add_error(doc, exit_code, message);
	json_out_print(doc);
}

