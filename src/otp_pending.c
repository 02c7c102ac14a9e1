// SPDX-License-Identifier: MIT
/* The OTP write-ahead record in the state directory (include/otp_pending.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "os.h"
#include "otp_pending.h"
#include "report.h"
#include "run_state.h"

#define MAGIC "AMTACT-OTP 1 "
#define HEADER_MAX 80
#define TMP_PREFIX "." OTP_PENDING_FILE "."

void otp_pending_wipe(struct otp_pending *p)
{
	secret_wipe(&p->value);
	memset(p->report_id, 0, sizeof(p->report_id));
	p->set = p->sealed = false;
	p->saved_at = 0;
}

/* The word at *at up to `end` (a space or the newline): one of two; 0/1, or -1. */
static int word(const char **at, const char *end, const char *w0, const char *w1, char stop)
{
	size_t n = 0;

	while (*at + n < end && (*at)[n] != stop)
		n++;
	if (*at + n == end)
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *w = i ? w1 : w0;

		if (n == strlen(w) && memcmp(*at, w, n) == 0) {
			*at += n + 1;
			return i;
		}
	}
	return -1;
}

static int parse_id(const char **at, const char *end, char *id, size_t cap)
{
	size_t n = 0;

	while (*at + n < end && (*at)[n] != ' ' && n < cap - 1)
		n++;
	if (*at + n == end || (*at)[n] != ' ' || n == 0)
		return -1;
	memcpy(id, *at, n);
	id[n] = '\0';
	*at += n + 1;
	return report_id_valid(id) ? 0 : -1;
}

int otp_pending_parse(const char *buf, size_t len, struct otp_pending *p)
{
	const char *at = buf, *end = buf + len;
	int set, sealed;

	secret_init(&p->value);
	otp_pending_wipe(p);
	if (len < strlen(MAGIC) || memcmp(buf, MAGIC, strlen(MAGIC)) != 0)
		return -EBADMSG;
	at += strlen(MAGIC);
	if (parse_id(&at, end, p->report_id, sizeof(p->report_id)) < 0 ||
	    (set = word(&at, end, "intent", "set", ' ')) < 0 ||
	    (sealed = word(&at, end, "clear", "cms", '\n')) < 0 || at == end ||
	    memchr(at, '\0', (size_t)(end - at)) ||
	    secret_set(&p->value, at, (size_t)(end - at)) < 0) {
		otp_pending_wipe(p);
		return -EBADMSG;
	}
	p->set = set == 1;
	p->sealed = sealed == 1;
	return 0;
}

int otp_pending_save(const char *dir, const struct otp_pending *p)
{
	struct os_dir *d = NULL;
	struct secret text;
	int n, rc;

	secret_init(&text);
	n = snprintf(text.buf, sizeof(text.buf), MAGIC "%s %s %s\n", p->report_id,
		     p->set ? "set" : "intent", p->sealed ? "cms" : "clear");
	if (n < 0 || (size_t)n + p->value.len > SECRET_MAX || !report_id_valid(p->report_id))
		return -EMSGSIZE;
	memcpy(text.buf + n, p->value.buf, p->value.len);
	text.len = (size_t)n + p->value.len;
	rc = run_state_dir_open(&d, dir, false);
	if (rc == 0)
		rc = run_state_write_file(d, OTP_PENDING_FILE, text.buf, text.len);
	os_dir_close(d);
	secret_wipe(&text);
	return rc;
}

/* A save killed half way leaves ".otp.pending.<pid>": it may hold the OTP; remove it. */
static int remove_temp(const char *name, void *arg)
{
	if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0)
		os_unlink_at(arg, name);
	return 0;
}

static int read_record(struct os_dir *d, struct otp_pending *p)
{
	struct secret raw;
	struct os_stat st;
	int fd, rc;

	/* Never through a link, never blocking on a FIFO planted in its place. */
	fd = os_open_at(d, OTP_PENDING_FILE, OS_RDONLY | OS_NONBLOCK);
	if (fd < 0)
		return fd == -ELOOP ? -EINVAL : fd;
	secret_init(&raw);
	rc = os_fstat(fd, &st);
	if (rc == 0 && st.type != OS_TYPE_FILE)
		rc = -EINVAL;
	if (rc == 0)
		rc = fileio_read_all(fd, raw.buf, SECRET_MAX + 1, &raw.len);
	/* Longer than any record otp_pending_save writes: not one. */
	if (rc == 0 && raw.len > SECRET_MAX)
		rc = -EBADMSG;
	if (rc == 0)
		rc = otp_pending_parse(raw.buf, raw.len, p);
	if (rc == 0)
		p->saved_at = st.mtime;
	os_close(fd);
	secret_wipe(&raw);
	return rc;
}

int otp_pending_load(const char *dir, struct otp_pending *p)
{
	struct os_dir *d = NULL;
	int rc;

	secret_init(&p->value);
	otp_pending_wipe(p);
	rc = run_state_dir_open(&d, dir, false);
	if (rc < 0)
		return rc;
	os_dir_list(d, remove_temp, d);
	rc = read_record(d, p);
	os_dir_close(d);
	if (rc < 0)
		otp_pending_wipe(p);
	return rc;
}

static int rename_or_remove(const char *dir, const char *to)
{
	struct os_dir *d = NULL;
	int rc = run_state_dir_open(&d, dir, false);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	rc = to ? os_rename_at(d, OTP_PENDING_FILE, d, to) : os_unlink_at(d, OTP_PENDING_FILE);
	if (rc == 0)
		rc = os_dir_sync(d);
	os_dir_close(d);
	return rc == -ENOENT ? 0 : rc;
}

int otp_pending_remove(const char *dir)
{
	return rename_or_remove(dir, NULL);
}

int otp_pending_set_aside(const char *dir)
{
	return rename_or_remove(dir, OTP_PENDING_FILE ".bad");
}
