// SPDX-License-Identifier: MIT
/* simdev's control lines (the control file) and the hello sender's hooks into the core. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdev_int.h"

#define LINE_MAX_LEN 1024

/* Append src to out (always NUL-terminated, truncating). */
static void append(char *out, size_t outlen, const char *src)
{
	size_t have = strnlen(out, outlen);
	size_t n = strlen(src);

	if (have + 1 >= outlen)
		return;
	if (n > outlen - have - 1)
		n = outlen - have - 1;
	memcpy(out + have, src, n);
	out[have + n] = '\0';
}

/* "hello-now" with a sender attached: one attempt as soon as the sender looks. */
static int hello_now(struct simdev *d, char *out, size_t outlen)
{
	const char *silent = fw_hello_silent(d->fw);

	if (silent) {
		append(out, outlen, silent);
		append(out, outlen, "\n");
		return -EINVAL;
	}
	if (!fw_hello_open(d->fw, fw_now(d->fw))) {
		append(out, outlen, "the hello window is closed (START_CONFIGURATION opens it)\n");
		return -EINVAL;
	}
	d->hello_now = 1;
	append(out, outlen, "ok\n");
	return 0;
}

/* Run one line; its answer (newline-terminated) is appended to out. */
static int control_line(struct simdev *d, const char *line, char *out, size_t outlen)
{
	char *ans;
	size_t alen;
	int ret;

	if (d->hello_attached && strcmp(line, "hello-now") == 0)
		return hello_now(d, out, outlen);

	alen = outlen > 256 ? outlen : 256;
	ans = calloc(1, alen);
	if (!ans)
		return -ENOMEM;
	ret = fw_control(d->fw, line, ans, alen);
	if (ret < 0 && !ans[0])
		snprintf(ans, alen, "error: %s", strerror(-ret));
	append(out, outlen, ans);
	if (ans[0] && ans[strlen(ans) - 1] != '\n')
		append(out, outlen, "\n");
	free(ans);
	return ret < 0 ? -EINVAL : 0;
}

int simdev_control(struct simdev *d, const char *text, size_t len, char *out, size_t outlen)
{
	char line[LINE_MAX_LEN];
	const char *start;
	size_t i = 0, n;
	int ret = 0;

	if (outlen)
		out[0] = '\0';
	pthread_mutex_lock(&d->lock);
	while (i < len && ret == 0) {
		n = 0;
		while (i < len && text[i] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = text[i];
			i++;
		}
		i++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		line[n] = '\0';
		start = line + strspn(line, " \t");
		if (!*start)
			continue;
		ret = control_line(d, start, out, outlen);
	}
	simdev_save_if_dirty(d);
	simdev_check_epoch(d);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void simdev_hello_attach(struct simdev *d)
{
	pthread_mutex_lock(&d->lock);
	d->hello_attached = 1;
	pthread_mutex_unlock(&d->lock);
}

int simdev_hello_take(struct simdev *d, const struct fw_hello_sched *sched,
		      struct simdev_hello *h)
{
	int64_t now, due;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	now = fw_now(d->fw);
	if (!fw_hello_open(d->fw, now))
		d->hello_now = 0;
	if (!d->hello_now && (fw_hello_next(d->fw, sched, now, &due) < 0 || due > now))
		goto out;
	d->hello_now = 0;
	h->retry = fw_hello_retry(d->fw);
	h->window = fw_hello_window(d->fw);
	h->at = now;
	fw_hello_server_name(d->fw, h->server, sizeof(h->server));
	ret = fw_hello_build(d->fw, h->retry, h->pkt, sizeof(h->pkt), &h->len) == 0;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void simdev_hello_done(struct simdev *d, const struct simdev_hello *h, int delivered)
{
	pthread_mutex_lock(&d->lock);
	fw_hello_mark(d->fw, h->window, h->at, delivered);
	simdev_save_if_dirty(d);
	pthread_mutex_unlock(&d->lock);
}
