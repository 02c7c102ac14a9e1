/* SPDX-License-Identifier: MIT */
/* The JSON edge of every command: documents on stdout, wiped before they are freed. */
#ifndef AMTACT_JSON_OUT_H
#define AMTACT_JSON_OUT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/*
 * Take a command's JSON document: it is printed on stdout (pretty, newline-terminated) by
 * json_out_finish, or when the next one comes; then its strings are wiped and it is freed.
 */
void json_out_print(cJSON *doc);

/* The same, printed on one line. */
void json_out_print_compact(cJSON *doc);

/*
 * main, once the exit code is known: print the document, adding {"error": ...} with
 * `message` when the code says something failed and the document has none; with no
 * document and `json`, print the error document alone.
 */
void json_out_finish(bool json, int exit_code, const char *message);

/* {"schema_version":1,"error":{"exit_code":N,"code":"name","message":"..."}} */
void json_out_error(int exit_code, const char *message);
/* Add that "error" object to a command's own document. */
void json_out_add_error(cJSON *doc, int exit_code, const char *message);

#endif
