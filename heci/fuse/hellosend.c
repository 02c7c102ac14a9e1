// SPDX-License-Identifier: MIT
/* amtsim's hello sender: when one is due, connect, write the whole hello once, close. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hellosend.h"

/* Every wait is cut into slices this long, so a stop is seen within one slice. */
#define SLICE_MS 100
#define RESOLVE_TIMEOUT_MS 5000
#define CONNECT_TIMEOUT_MS 5000

struct hellosend {
	struct simdev *d;
	struct hellosend_opts o;
	simdev_log_fn log;
	pthread_t tid;
	atomic_int stop;
};

/* One name lookup; lives on the heap because the resolver thread writes into it. */
struct lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char host[300];
	char port[8];
};

int hellosend_parse_to(const char *arg, struct hellosend_opts *o)
{
	const char *colon, *host = arg, *close_br;
	size_t hlen;
	unsigned long port;
	char *end;

	if (arg[0] == '[') {
		close_br = strchr(arg, ']');
		if (!close_br || close_br[1] != ':')
			return -EINVAL;
		host = arg + 1;
		hlen = (size_t)(close_br - host);
		colon = close_br + 1;
	} else {
		colon = strrchr(arg, ':');
		if (!colon || strchr(arg, ':') != colon)
			return -EINVAL;
		hlen = (size_t)(colon - arg);
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (hlen == 0 || hlen >= sizeof(o->host) || colon[1] < '0' || colon[1] > '9' || *end ||
	    errno || port == 0 || port > 65535)
		return -EINVAL;
	memcpy(o->host, host, hlen);
	o->host[hlen] = '\0';
	snprintf(o->port, sizeof(o->port), "%lu", port);
	return 0;
}

__attribute__((format(printf, 2, 3)))
static void verbose(struct hellosend *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!h->o.verbose || !h->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->log(line);
}

static void sleep_slice(void)
{
	struct timespec ts = { 0, SLICE_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Resolve with getaddrinfo_a so the wait is timed and a stop is noticed. A lookup the
 * resolver cannot cancel is left to finish on its own and its buffer is not freed: the
 * resolver thread still writes into it (only on stop or timeout of a name lookup).
 */
static int resolve(struct hellosend *h, const char *host, const char *port,
		   struct addrinfo **res)
{
	struct lookup *l = calloc(1, sizeof(*l));
	struct gaicb *list[1];
	struct timespec ts = { 0, SLICE_MS * 1000000L };
	int rc, waited = 0;

	if (!l)
		return -ENOMEM;
	snprintf(l->host, sizeof(l->host), "%s", host);
	snprintf(l->port, sizeof(l->port), "%s", port);
	l->hints.ai_socktype = SOCK_STREAM;
	l->hints.ai_flags = AI_NUMERICSERV;
	l->cb.ar_name = l->host;
	l->cb.ar_service = l->port;
	l->cb.ar_request = &l->hints;
	list[0] = &l->cb;
	if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0) {
		free(l);
		return -EAGAIN;
	}
	while ((rc = gai_error(&l->cb)) == EAI_INPROGRESS) {
		if (atomic_load(&h->stop) || waited >= RESOLVE_TIMEOUT_MS) {
			if (gai_cancel(&l->cb) == EAI_CANCELED)
				free(l);
			return -ETIMEDOUT;
		}
		gai_suspend((const struct gaicb *const *)list, 1, &ts);
		waited += SLICE_MS;
	}
	*res = rc == 0 ? l->cb.ar_result : NULL;
	if (rc != 0)
		verbose(h, "hello: %s: %s", host, gai_strerror(rc));
	free(l);
	return rc == 0 ? 0 : -EHOSTUNREACH;
}

/* Non-blocking connect, waited for in slices. Returns a connected fd or -errno. */
static int connect_one(struct hellosend *h, const struct addrinfo *ai)
{
	struct pollfd pfd;
	socklen_t elen = sizeof(int);
	int fd, err = 0, waited = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	err = errno;
	while (err == EINPROGRESS) {
		if (atomic_load(&h->stop) || waited >= CONNECT_TIMEOUT_MS) {
			err = ETIMEDOUT;
			break;
		}
		pfd = (struct pollfd){ fd, POLLOUT, 0 };
		if (poll(&pfd, 1, SLICE_MS) > 0 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0)
			return fd;
		waited += SLICE_MS;
	}
	close(fd);
	return -err;
}

/*
 * One attempt: the whole hello in ONE send(), then close. MeshCentral parses only on
 * close and keeps only the first chunk it receives (doc/remote-config.md 2.3, 2.4). Returns 1 if the
 * hello was handed to the network, 0 if the attempt failed (which still counts: the
 * firmware cannot know whether anyone listened).
 */
static int attempt(struct hellosend *h, const struct simdev_hello *m)
{
	const char *host = h->o.dns ? m->server : h->o.host;
	const char *port = h->o.dns ? HELLOSEND_DEFAULT_PORT : h->o.port;
	struct addrinfo *res = NULL, *ai;
	ssize_t n = -1;
	int fd = -ECONNREFUSED;

	if (resolve(h, host, port, &res) < 0)
		return 0;
	for (ai = res; ai && fd < 0 && !atomic_load(&h->stop); ai = ai->ai_next)
		fd = connect_one(h, ai);
	freeaddrinfo(res);
	if (fd < 0) {
		verbose(h, "hello %u (%zu bytes) to %s:%s: connect: %s", m->retry, m->len, host,
			port, strerror(-fd));
		return 0;
	}
	n = send(fd, m->pkt, m->len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)m->len)
		verbose(h, "hello %u (%zu bytes) to %s:%s: send: %s", m->retry, m->len, host,
			port, n < 0 ? strerror(errno) : "short write");
	else
		verbose(h, "hello %u (%zu bytes) to %s:%s: sent", m->retry, m->len, host, port);
	close(fd);
	return n == (ssize_t)m->len;
}

static void *run(void *arg)
{
	struct hellosend *h = arg;
	struct simdev_hello *m = malloc(sizeof(*m));

	/* signals belong to the FUSE loop's handlers, as in the ticker */
	simdev_worker_signals();
	while (m && !atomic_load(&h->stop)) {
		if (simdev_hello_take(h->d, &h->o.sched, m) == 1)
			simdev_hello_done(h->d, m, attempt(h, m));
		else
			sleep_slice();
	}
	if (!m && h->log)
		h->log("hello sender: out of memory");
	free(m);
	return NULL;
}

int hellosend_start(struct hellosend **out, struct simdev *d,
		    const struct hellosend_opts *o, simdev_log_fn log)
{
	struct hellosend *h = calloc(1, sizeof(*h));
	int ret;

	*out = NULL;
	if (!h)
		return -ENOMEM;
	h->d = d;
	h->o = *o;
	h->log = log;
	atomic_init(&h->stop, 0);
	simdev_hello_attach(d);
	ret = pthread_create(&h->tid, NULL, run, h);
	if (ret) {
		free(h);
		return -ret;
	}
	*out = h;
	return 0;
}

void hellosend_stop(struct hellosend *h)
{
	if (!h)
		return;
	atomic_store(&h->stop, 1);
	pthread_join(h->tid, NULL);
	free(h);
}
