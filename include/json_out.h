/* SPDX-License-Identifier: MIT */
/* The JSON edge of every command: documents on stdout, wiped before they are freed. */
#ifndef AMTACT_JSON_OUT_H
#define AMTACT_JSON_OUT_H

#include <cjson/cJSON.h>

/* Print a JSON document on stdout (pretty, newline-terminated), wipe its strings and free it. */
void json_out_print(cJSON *doc);

/* {"schema_version":1,"error":{"exit_code":N,"code":"name","message":"..."}} */
void json_out_error(int exit_code, const char *message);

#endif
