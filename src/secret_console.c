// SPDX-License-Identifier: MIT
/* A secret typed on the console (include/secret.h): one line, never shown. */
#include <errno.h>
#include <string.h>

#include "os.h"
#include "secret.h"

int secret_read_console(struct secret *s, const char *prompt)
{
	int ret;

	secret_wipe(s);
	ret = os_console_read_hidden(prompt, s->buf, sizeof(s->buf), &s->len);
	if (ret == 0 && s->len == 0)
		ret = -ENODATA;
	if (ret < 0)
		secret_wipe(s);
	return ret;
}

/* The same secret a second time; SECRET_MISMATCH if it differs. */
static int confirm(struct secret *s, const char *again)
{
	struct secret second;
	int ret;

	secret_init(&second);
	ret = secret_read_console(&second, again);
	if (ret == 0 && (second.len != s->len || memcmp(second.buf, s->buf, s->len) != 0))
		ret = SECRET_MISMATCH;
	secret_wipe(&second);
	if (ret < 0)
		secret_wipe(s);
	return ret;
}

int secret_read_input(struct secret *s, const char *path, const struct secret_prompt *ask,
		      int *loose_mode)
{
	int ret;

	if (!path || strcmp(path, "-") != 0 || !os_stdin_is_console())
		return secret_read_file(s, path, loose_mode);
	if (loose_mode)
		*loose_mode = 0;
	ret = secret_read_console(s, ask->prompt);
	if (ret == 0 && ask->again)
		ret = confirm(s, ask->again);
	return ret;
}
