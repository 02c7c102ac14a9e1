/* SPDX-License-Identifier: MIT */
/* The renderers of a write operation's outcome: JSON (op_json.c) and text (op_text.c). */
#ifndef AMTACT_OP_RENDER_H
#define AMTACT_OP_RENDER_H

#include <cjson/cJSON.h>

#include "op.h"

/*
 * The outcome as a JSON document; the OTP only when req->show_otp and the firmware took
 * it (wipe the document's strings before freeing it: json_out_print does). Caller frees.
 */
cJSON *op_json(const struct op_request *req, const struct op_outcome *out);

/*
 * Print the outcome for people on stdout (the OTP only when req->show_otp); a refusal or
 * failure also gets its one message on stderr (op_print_message).
 */
void op_print_text(const struct op_request *req, const struct op_outcome *out);

/* The one stderr message of a refusal or failure (nothing for the other kinds), in text
 * and JSON mode alike. */
void op_print_message(const struct op_outcome *out);

#endif
