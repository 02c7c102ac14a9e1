// SPDX-License-Identifier: MIT
/* meiprobe: checks a MEI device file (the kernel's /dev/mei0 or amtsim's) semantic by semantic. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "heci.h"

/* include/uapi/linux/mei.h (doc/firmware.md 1.2) */
#define MEI_CONNECT 0xC0104801u
#define MTU_MIN_AMTHI 2285u
/* The kernel's MEI_TX_QUEUE_LIMIT_DEFAULT; one more request sits at the firmware. */
#define TX_QUEUE 50
#define KILL_BOUND_MS 3000

/* AMT_GET_PROVISIONING_STATE, no body (doc/firmware.md 4.5.3); reply 0x04800011. */
static const uint8_t req_prov_state[12] = { 1, 1, 0, 0, 0x11, 0, 0, 4, 0, 0, 0, 0 };
static const uint8_t guid_unknown[16] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33,
					  0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

static const char *dev_path;
static int failures;
static volatile sig_atomic_t alarms;

__attribute__((format(printf, 2, 3)))
static void report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
}

static const char *ename(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int open_dev(int flags)
{
	int fd = open(dev_path, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "meiprobe: %s: %s\n", dev_path, strerror(errno));
		exit(2);
	}
	return fd;
}

/* 0 and the MTU, or the errno of IOCTL_MEI_CONNECT_CLIENT. */
static int connect_guid(int fd, const uint8_t guid[16], uint32_t *mtu, uint8_t *ver,
			uint8_t out[16])
{
	uint8_t data[16];

	memcpy(data, guid, 16);
	if (ioctl(fd, MEI_CONNECT, data) < 0)
		return errno;
	if (mtu)
		*mtu = le32(data);
	if (ver)
		*ver = data[4];
	if (out)
		memcpy(out, data, 16);
	return 0;
}

/* errno of a call that returned < 0, or 0 when it succeeded (result in *n). */
static int err_of(ssize_t r, ssize_t *n)
{
	if (n)
		*n = r;
	return r < 0 ? errno : 0;
}

static void expect_errno(int got, int want, const char *what)
{
	if (got == want)
		report(1, "%s -> %s", what, ename(want));
	else
		report(0, "%s -> %s (got %s)", what, ename(want), got ? ename(got) : "success");
}

static void check_unconnected(void)
{
	struct pollfd p;
	int fd = open_dev(O_RDWR), r;
	char b[16];

	expect_errno(connect_guid(fd, guid_unknown, NULL, NULL, NULL), ENOTTY,
		     "connect unknown GUID");
	expect_errno(err_of(write(fd, req_prov_state, sizeof(req_prov_state)), NULL), ENODEV,
		     "write before connect");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	expect_errno(err_of(read(fd, b, sizeof(b)), NULL), ENODEV, "read before connect");
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	r = poll(&p, 1, 1000);
	report(r == 1 && (p.revents & POLLERR), "poll before connect -> POLLERR (revents 0x%x)",
	       (unsigned)p.revents);
	close(fd);
}

/* Opens and connects AMTHI, checking the connect answer; exits if that fails. */
static int connect_amthi(uint32_t *mtu)
{
	uint8_t out[16], ver = 0;
	int fd = open_dev(O_RDWR), e;

	e = connect_guid(fd, heci_guid_amthi, mtu, &ver, out);
	if (e) {
		report(0, "connect AMTHI -> ok (got %s)", ename(e));
		exit(1);
	}
	report(*mtu >= MTU_MIN_AMTHI, "connect AMTHI -> ok, max_msg_length %u >= %u, "
	       "protocol_version %u", *mtu, MTU_MIN_AMTHI, ver);
	report(memcmp(out + 8, heci_guid_amthi + 8, 8) == 0,
	       "connect leaves bytes 8..15 of the ioctl union as passed (kernel copies it back)");
	return fd;
}

static void check_connected_errors(int fd, uint32_t mtu)
{
	uint8_t *big = calloc(1, (size_t)mtu + 1);
	ssize_t n = -1;
	int e;

	expect_errno(connect_guid(fd, heci_guid_amthi, NULL, NULL, NULL), EBUSY,
		     "second connect on one open");
	expect_errno(err_of(lseek(fd, 0, SEEK_SET), NULL), ESPIPE, "lseek");
	expect_errno(err_of(ioctl(fd, _IO('H', 0x7f), 0), NULL), ENOTTY, "unknown ioctl");
	if (big)
		expect_errno(err_of(write(fd, big, (size_t)mtu + 1), NULL), EFBIG,
			     "write of max_msg_length + 1 bytes");
	free(big);
	e = err_of(write(fd, req_prov_state, 0), &n);
	report(e == 0 && n == 0, "write of 0 bytes -> 0 (got %zd%s%s)", n, e ? " " : "",
	       e ? ename(e) : "");
}

static void check_empty_waits(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long t0;
	char b[64];
	int r, fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	expect_errno(err_of(read(fd, b, sizeof(b)), NULL), EAGAIN,
		     "O_NONBLOCK read with nothing queued");
	fcntl(fd, F_SETFL, fl);
	t0 = now_ms();
	r = poll(&p, 1, 300);
	report(r == 0 && now_ms() - t0 >= 250, "poll(POLLIN, 300 ms) with nothing queued -> "
	       "timeout (got %d after %ld ms)", r, now_ms() - t0);
	p.events = POLLOUT;
	r = poll(&p, 1, 0);
	report(r == 1 && (p.revents & POLLOUT), "poll(POLLOUT) with an empty queue -> POLLOUT");
}

static void check_exchange(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	uint8_t head[5], rest[256];
	ssize_t n1, n2, total;
	int r, e;

	e = err_of(write(fd, req_prov_state, sizeof(req_prov_state)), &n1);
	report(e == 0 && n1 == (ssize_t)sizeof(req_prov_state), "write a 12-byte request -> 12");
	r = poll(&p, 1, 5000);
	report(r == 1 && (p.revents & POLLIN), "poll(POLLIN) after a request -> POLLIN");
	n1 = read(fd, head, sizeof(head));
	n2 = read(fd, rest, sizeof(rest));
	total = n1 + n2;
	report(n1 == 5 && n2 > 0, "partial read: 5 bytes, then the rest (%zd + %zd)", n1, n2);
	if (n1 == 5 && n2 >= 11) {
		uint8_t msg[261];

		memcpy(msg, head, 5);
		memcpy(msg + 5, rest, (size_t)n2);
		report(le32(msg + 4) == 0x04800011u && (uint32_t)total == 12 + le32(msg + 8),
		       "the two parts are one whole reply (command 0x%08X, Length %u, %zd bytes)",
		       le32(msg + 4), le32(msg + 8), total);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	expect_errno(err_of(read(fd, rest, sizeof(rest)), NULL), EAGAIN,
		     "one message per read: nothing left after the reply");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void check_eintr(int fd)
{
	struct itimerval it = { { 0, 0 }, { 0, 300000 } };
	struct sigaction sa, old;
	char b[64];
	long t0;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: the read must fail with EINTR */
	sigaction(SIGALRM, &sa, &old);
	t0 = now_ms();
	setitimer(ITIMER_REAL, &it, NULL);
	e = err_of(read(fd, b, sizeof(b)), NULL);
	report(e == EINTR && alarms == 1 && now_ms() - t0 < 3000,
	       "blocked read interrupted by SIGALRM -> EINTR (got %s after %ld ms)",
	       e ? ename(e) : "data", now_ms() - t0);
	sigaction(SIGALRM, &old, NULL);
}

static void check_kill(void)
{
	long t0;
	pid_t pid, w = 0;
	int st;

	pid = fork();
	if (pid == 0) {
		int fd = open_dev(O_RDWR);
		char b[64];

		if (connect_guid(fd, heci_guid_amthi, NULL, NULL, NULL))
			_exit(3);
		(void)!read(fd, b, sizeof(b));
		_exit(4);
	}
	usleep(300000);
	t0 = now_ms();
	kill(pid, SIGKILL);
	while (now_ms() - t0 < KILL_BOUND_MS && (w = waitpid(pid, &st, WNOHANG)) == 0)
		usleep(10000);
	if (w == 0) {
		report(0, "child blocked in read dies on SIGKILL within %d ms (still alive)",
		       KILL_BOUND_MS);
		return;
	}
	report(w == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	       "child blocked in read dies on SIGKILL within %d ms (%ld ms)", KILL_BOUND_MS,
	       now_ms() - t0);
}

static void check_rdonly(void)
{
	int fd = open_dev(O_RDONLY);
	uint32_t mtu = 0;
	int e;

	e = connect_guid(fd, heci_guid_amthi, &mtu, NULL, NULL);
	report(e == 0, "O_RDONLY open: connect -> ok (got %s)", e ? ename(e) : "ok");
	expect_errno(err_of(write(fd, req_prov_state, sizeof(req_prov_state)), NULL), EBADF,
		     "O_RDONLY open: write");
	close(fd);
}

/* Nobody reads: one request goes to the firmware, TX_QUEUE wait, the next write blocks. */
static void check_tx_queue(void)
{
	struct pollfd p;
	uint32_t mtu;
	int fd = open_dev(O_RDWR), i, e = 0;

	if (connect_guid(fd, heci_guid_amthi, &mtu, NULL, NULL)) {
		report(0, "TX queue: connect failed");
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
	for (i = 0; i < TX_QUEUE + 2; i++) {
		e = err_of(write(fd, req_prov_state, sizeof(req_prov_state)), NULL);
		if (e)
			break;
	}
	report(i == TX_QUEUE + 1 && e == EAGAIN, "unread replies: %d writes succeed, the next "
	       "-> EAGAIN with O_NONBLOCK (got %d, then %s)", TX_QUEUE + 1, i,
	       e ? ename(e) : "success");
	p.fd = fd;
	p.events = POLLOUT;
	p.revents = 0;
	report(poll(&p, 1, 200) == 0, "poll(POLLOUT) on a full queue -> timeout");
	close(fd);
}

static void check_mkhi(void)
{
	int fd = open_dev(O_RDWR);
	uint32_t mtu = 0;
	int e = connect_guid(fd, heci_guid_mkhi, &mtu, NULL, NULL);

	report(e == 0 && mtu > 0, "connect MKHI -> ok (max_msg_length %u%s%s)", mtu,
	       e ? ", " : "", e ? ename(e) : "");
	close(fd);
}

static int run_all(void)
{
	uint32_t mtu = 0;
	int fd;

	check_unconnected();
	fd = connect_amthi(&mtu);
	check_connected_errors(fd, mtu);
	check_empty_waits(fd);
	check_exchange(fd);
	check_eintr(fd);
	close(fd);
	check_kill();
	check_rdonly();
	check_tx_queue();
	check_mkhi();
	printf("%s: %d check(s) failed\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}

static const uint8_t *client_guid(const char *name)
{
	if (strcmp(name, "amthi") == 0)
		return heci_guid_amthi;
	if (strcmp(name, "mkhi") == 0)
		return heci_guid_mkhi;
	if (strcmp(name, "wd") == 0)
		return heci_guid_wd;
	if (strcmp(name, "unknown") == 0)
		return guid_unknown;
	fprintf(stderr, "meiprobe: unknown client \"%s\" (amthi mkhi wd unknown)\n", name);
	exit(2);
}

/* Connect and print "connect: ok ..." or "connect: ERRNO"; the fd, or -1. */
static int do_connect(const char *client)
{
	uint32_t mtu = 0;
	uint8_t ver = 0;
	int fd = open_dev(O_RDWR);
	int e = connect_guid(fd, client_guid(client), &mtu, &ver, NULL);

	if (e) {
		printf("connect: %s\n", ename(e));
		close(fd);
		return -1;
	}
	printf("connect: ok max_msg_length=%u protocol_version=%u\n", mtu, ver);
	return fd;
}

static int parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi, lo;

	while (s[0] && s[1] && n < cap) {
		hi = s[0] <= '9' ? s[0] - '0' : (s[0] | 0x20) - 'a' + 10;
		lo = s[1] <= '9' ? s[1] - '0' : (s[1] | 0x20) - 'a' + 10;
		if (hi < 0 || hi > 15 || lo < 0 || lo > 15)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return *s ? -1 : (int)n;
}

static void print_read(int fd)
{
	uint8_t buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf)), i;

	if (n < 0) {
		printf("read: %s\n", ename(errno));
		return;
	}
	printf("read: %zd bytes ", n);
	for (i = 0; i < n; i++)
		printf("%02x", buf[i]);
	putchar('\n');
}

/* One exchange, printed step by step; exit 0 only when a reply was read. */
static int do_call(const char *client, const char *hex, int timeout_ms)
{
	uint8_t req[8192];
	struct pollfd p;
	long t0;
	int fd, n, r;

	n = parse_hex(hex, req, sizeof(req));
	if (n < 0) {
		fprintf(stderr, "meiprobe: bad hex request\n");
		return 2;
	}
	fd = do_connect(client);
	if (fd < 0)
		return 1;
	t0 = now_ms();
	if (write(fd, req, (size_t)n) != n) {
		printf("write: %s\n", ename(errno));
		return 1;
	}
	printf("write: ok %d\n", n);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	r = poll(&p, 1, timeout_ms);
	printf("poll: %s after %ld ms\n", r == 0 ? "timeout" : (p.revents & POLLERR) ?
	       "POLLERR" : (p.revents & POLLIN) ? "POLLIN" : "other", now_ms() - t0);
	if (r == 0)
		fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
	print_read(fd);
	close(fd);
	return r == 1 && (p.revents & POLLIN) ? 0 : 1;
}

/* Connect and block in read until killed (for tests that kill a waiting client). */
static int do_block(const char *client, const char *hex)
{
	uint8_t req[8192];
	int fd = do_connect(client), n = 0;

	if (fd < 0)
		return 1;
	if (hex) {
		n = parse_hex(hex, req, sizeof(req));
		if (n < 0 || write(fd, req, (size_t)n) != n)
			return 1;
	}
	printf("blocking\n");
	fflush(stdout);
	print_read(fd);
	return 1;
}

/* Write one request over and over without reading, until a write blocks (or fails). */
static int do_flood(const char *client, const char *hex)
{
	uint8_t req[8192];
	int fd = do_connect(client), n, i;

	n = parse_hex(hex, req, sizeof(req));
	if (fd < 0 || n < 0)
		return 1;
	printf("flooding\n");
	for (i = 0;; i++) {
		if (write(fd, req, (size_t)n) != n) {
			printf("write %d: %s\n", i + 1, ename(errno));
			return 1;
		}
	}
}

/*
 * The control file from two processes sharing one open: the child re-reads the answer
 * while the parent writes commands (each write replaces the answer the reads copy from).
 * Exit 0 when every write and read succeeded.
 */
static int do_ctlrace(const char *count)
{
	char buf[8192];
	long n = strtol(count, NULL, 10), i;
	int fd = open_dev(O_RDWR), status = 0, ok = 1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("meiprobe: fork");
		return 2;
	}
	for (i = 0; i < n && ok; i++) {
		if (pid == 0)
			ok = pread(fd, buf, sizeof(buf), 0) >= 0;
		else
			ok = write(fd, "show\n", 5) == 5;
	}
	if (!ok)
		printf("%s %ld: %s\n", pid == 0 ? "read" : "write", i, ename(errno));
	if (pid == 0)
		_exit(ok ? 0 : 1);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ok = 0;
	printf("ctlrace: %s after %ld writes\n", ok ? "ok" : "FAIL", i);
	close(fd);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: meiprobe DEVICE                 run every check\n"
			"       meiprobe DEVICE connect CLIENT\n"
			"       meiprobe DEVICE call CLIENT HEX [TIMEOUT_MS]\n"
			"       meiprobe DEVICE block CLIENT [HEX]\n"
			"       meiprobe DEVICE flood CLIENT HEX\n"
			"       meiprobe CONTROL ctlrace COUNT\n"
			"CLIENT: amthi mkhi wd unknown\n");
		return 2;
	}
	dev_path = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2)
		return run_all();
	if (strcmp(argv[2], "connect") == 0 && argc == 4) {
		int fd = do_connect(argv[3]);

		return fd < 0 ? 1 : (close(fd), 0);
	}
	if (strcmp(argv[2], "call") == 0 && (argc == 5 || argc == 6))
		return do_call(argv[3], argv[4], argc == 6 ? (int)strtol(argv[5], NULL, 10) : 5000);
	if (strcmp(argv[2], "flood") == 0 && argc == 5)
		return do_flood(argv[3], argv[4]);
	if (strcmp(argv[2], "ctlrace") == 0 && argc == 4)
		return do_ctlrace(argv[3]);
	if (strcmp(argv[2], "block") == 0 && (argc == 4 || argc == 5))
		return do_block(argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "meiprobe: bad arguments (run without arguments for usage)\n");
	return 2;
}
