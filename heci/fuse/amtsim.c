// SPDX-License-Identifier: MIT
/* amtsim: serve the firmware emulator as a MEI device file; `ctl` and `exec` helpers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "fsops.h"
#include "fw.h"
#include "hellosend.h"
#include "nsexec.h"
#include "simdev.h"

/* amtsim's exit statuses (man/amtsim.8, EXIT STATUS). */
#define AMTSIM_OK 0
#define AMTSIM_FAIL 1
#define AMTSIM_USAGE 2
/* `exec` could not set up the namespace (as env(1) and timeout(1) use 125). */
#define AMTSIM_EXEC_SETUP 125

static int use_syslog;

static void usage(FILE *f)
{
	fputs("usage: amtsim [--state FILE] [--strict] [--foreground] [--name NAME] [--verbose]\n"
	      "              [--hello-to HOST:PORT | --hello-dns] [--hello-schedule SPEC]\n"
	      "              [--power-on] [--usb-key FILE]\n"
	      "              MOUNTPOINT\n"
	      "       amtsim ctl MOUNTPOINT COMMAND...\n"
	      "       amtsim exec MOUNTPOINT [--mei-alias] [--sysfs] [--name NAME] -- CMD [ARG...]\n"
	      "       amtsim --help | --version\n", f);
}

static void log_line(const char *line)
{
	if (use_syslog)
		syslog(LOG_NOTICE, "%s", line);
	else
		fprintf(stderr, "amtsim: %s\n", line);
}

static int valid_name(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       strcmp(name, "control");
}

/* Why this host cannot serve, or 0. */
static int check_host(const char *mountpoint)
{
	struct stat st;

	if (geteuid() != 0) {
		fprintf(stderr, "amtsim: needs root (it mounts a FUSE file system standing in "
			"for the root-only /dev/mei0)\n");
		return -EPERM;
	}
	if (access("/dev/fuse", R_OK | W_OK) < 0) {
		fprintf(stderr, "amtsim: /dev/fuse: %s (FUSE is not available: load the fuse "
			"module, or give the container /dev/fuse)\n", strerror(errno));
		return -ENODEV;
	}
	if (stat(mountpoint, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "amtsim: %s: %s\n", mountpoint,
			errno && !S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
		return -ENOTDIR;
	}
	return 0;
}

/* The hello sender as the FUSE loop's worker (NULL options: no sending). */
struct hello_worker {
	struct simdev *d;
	const struct hellosend_opts *o;
	struct hellosend *h;
};

static int hello_start(void *arg)
{
	struct hello_worker *w = arg;

	return hellosend_start(&w->h, w->d, w->o, log_line);
}

static void hello_stop(void *arg)
{
	struct hello_worker *w = arg;

	hellosend_stop(w->h);
	w->h = NULL;
}

/*
 * --power-on: the box is switched on as amtsim starts (control command "power-cycle"),
 * with --usb-key the setup.bin inserted first (control command "usb-key").
 */
static int power_on(struct fw *fw, const char *usb_key)
{
	char ans[512], err[512] = "", line[1100];
	int ret = 0;

	if (usb_key) {
		snprintf(line, sizeof(line), "usb-key %s", usb_key);
		ret = fw_control(fw, line, ans, sizeof(ans));
	}
	if (ret == 0)
		ret = fw_control(fw, "power-cycle", ans, sizeof(ans));

	if (ret == 0)
		ret = fw_save(fw, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "amtsim: --power-on: %s\n", err[0] ? err : ans);
	else
		fprintf(stderr, "amtsim: powered on: %s\n", ans + (strncmp(ans, "ok: ", 4) ? 0 : 4));
	return ret;
}

static int serve(const char *state, int strict, int foreground, const char *name,
		 const char *mountpoint, const struct hellosend_opts *hello, int powered,
		 const char *usb_key)
{
	struct hello_worker hw = { 0 };
	struct fsops_worker worker = { hello_start, hello_stop, &hw };
	struct simdev *d = NULL;
	struct fw *fw = NULL;
	char err[512] = "";
	int ret;

	if (check_host(mountpoint) < 0)
		return AMTSIM_FAIL;
	ret = fw_load(&fw, state, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "amtsim: %s\n", err[0] ? err : strerror(-ret));
		return AMTSIM_FAIL;
	}
	if (powered && power_on(fw, usb_key) < 0) {
		fw_free(fw);
		return AMTSIM_FAIL;
	}
	ret = simdev_new(&d, fw, strict, &fsops_poll_ops, log_line);
	if (ret < 0) {
		fprintf(stderr, "amtsim: cannot start the emulator: %s\n", strerror(-ret));
		fw_free(fw);
		return AMTSIM_FAIL;
	}
	if (!foreground) {
		openlog("amtsim", LOG_PID, LOG_DAEMON);
		use_syslog = 1;
	}
	hw.d = d;
	hw.o = hello;
	ret = fsops_serve(d, mountpoint, name, foreground, log_line, hello ? &worker : NULL);
	simdev_free(d);
	return ret < 0 ? AMTSIM_FAIL : AMTSIM_OK;
}

enum { OPT_HELLO_TO = 256, OPT_HELLO_DNS, OPT_HELLO_SCHEDULE, OPT_POWER_ON, OPT_USB_KEY };

/* --hello-to / --hello-dns / --hello-schedule; 0, or -EINVAL with the reason printed. */
static int hello_opt(int c, const char *arg, struct hellosend_opts *o, int *targets)
{
	char err[256];

	if (c == OPT_HELLO_SCHEDULE) {
		if (fw_hello_sched_parse(arg, &o->sched, err, sizeof(err)) == 0)
			return 0;
		fprintf(stderr, "amtsim: --hello-schedule: %s\n", err);
		return -EINVAL;
	}
	(*targets)++;
	if (c == OPT_HELLO_DNS) {
		o->dns = 1;
		return 0;
	}
	if (hellosend_parse_to(arg, o) == 0)
		return 0;
	fprintf(stderr, "amtsim: --hello-to: \"%s\": expected HOST:PORT ([ADDR]:PORT for "
		"IPv6), port 1-65535\n", arg);
	return -EINVAL;
}

static int serve_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'S' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "hello-to", required_argument, NULL, OPT_HELLO_TO },
		{ "hello-dns", no_argument, NULL, OPT_HELLO_DNS },
		{ "hello-schedule", required_argument, NULL, OPT_HELLO_SCHEDULE },
		{ "power-on", no_argument, NULL, OPT_POWER_ON },
		{ "usb-key", required_argument, NULL, OPT_USB_KEY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hellosend_opts hello = { .sched = *fw_hello_sched_default() };
	const char *state = NULL, *name = "mei0", *usb_key = NULL;
	int c, strict = 0, foreground = 0, targets = 0, powered = 0;

	while ((c = getopt_long(argc, argv, "+s:Sfn:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': state = optarg; break;
		case 'S': strict = 1; break;
		case 'f': foreground = 1; break;
		case 'n': name = optarg; break;
		case 'v': hello.verbose = 1; break;
		case OPT_POWER_ON: powered = 1; break;
		case OPT_USB_KEY: usb_key = optarg; break;
		case OPT_HELLO_TO: case OPT_HELLO_DNS: case OPT_HELLO_SCHEDULE:
			if (hello_opt(c, optarg, &hello, &targets) < 0)
				return AMTSIM_USAGE;
			break;
		case 'h': usage(stdout); return AMTSIM_OK;
		case 'V': puts("amtsim " AMTACT_VERSION); return AMTSIM_OK;
		default: usage(stderr); return AMTSIM_USAGE;
		}
	}
	if (targets > 1)
		fprintf(stderr, "amtsim: --hello-to and --hello-dns: give one of them, once\n");
	if (optind != argc - 1 || !valid_name(name) || targets > 1) {
		usage(stderr);
		return AMTSIM_USAGE;
	}
	if (usb_key && !powered) {
		fprintf(stderr, "amtsim: --usb-key is read at power-on: give --power-on too\n");
		return AMTSIM_USAGE;
	}
	return serve(state, strict, foreground, name, argv[optind], targets ? &hello : NULL,
		     powered, usb_key);
}

static int join_args(char *line, size_t len, int argc, char **argv)
{
	size_t used = 0, n;
	int i;

	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]);
		if (used + n + 2 > len)
			return -E2BIG;
		if (i)
			line[used++] = ' ';
		memcpy(line + used, argv[i], n);
		used += n;
	}
	line[used++] = '\n';
	line[used] = '\0';
	return (int)used;
}

/* Print what the control file answers on this open (the answer to our own command). */
static int print_answer(int fd)
{
	char buf[4096];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -EIO;
		off += n;
	}
	if (n < 0)
		return -errno;
	return fflush(stdout) == 0 ? 0 : -EIO;
}

static int ctl_main(int argc, char **argv)
{
	char path[PATH_MAX], line[4096];
	int fd, len, wret = 0, ret;

	if (argc < 3) {
		usage(stderr);
		return AMTSIM_USAGE;
	}
	len = join_args(line, sizeof(line), argc - 2, argv + 2);
	if (len < 0 || snprintf(path, sizeof(path), "%s/control", argv[1]) >= (int)sizeof(path)) {
		fprintf(stderr, "amtsim: ctl: command or path too long\n");
		return AMTSIM_USAGE;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "amtsim: ctl: %s: %s (is amtsim serving %s?)\n", path,
			strerror(errno), argv[1]);
		return AMTSIM_FAIL;
	}
	if (write(fd, line, (size_t)len) != len)
		wret = -errno;
	ret = print_answer(fd);
	close(fd);
	if (ret < 0)
		fprintf(stderr, "amtsim: ctl: reading the answer: %s\n", strerror(-ret));
	if (wret < 0 && wret != -EINVAL)
		fprintf(stderr, "amtsim: ctl: %s: %s\n", path, strerror(-wret));
	return (ret < 0 || wret < 0) ? AMTSIM_FAIL : AMTSIM_OK;
}

/*
 * Ask the daemon serving `mountpoint` one control line ("sysfs fw_status"); its answer, up
 * to cap - 1 bytes, goes to buf. Returns 0 or a negative errno (-EINVAL: refused).
 */
static int ask(const char *mountpoint, const char *line, char *buf, size_t cap)
{
	char path[PATH_MAX];
	ssize_t n, len = (ssize_t)strlen(line);
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), "%s/control", mountpoint) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t)len) != len)
		ret = -errno;
	n = pread(fd, buf, cap - 1, 0);
	if (n < 0 && ret == 0)
		ret = -errno;
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

/* The fake sysfs files from the emulated machine (control command "sysfs ATTR"). */
static int sysfs_facts(struct nsexec_opts *o, char *status, char *ver, char *dev, size_t cap)
{
	static const char *const lines[] = { "sysfs fw_status\n", "sysfs fw_ver\n",
					     "sysfs dev\n" };
	char *bufs[] = { status, ver, dev };
	int ret = 0;

	for (int i = 0; i < 3 && ret == 0; i++)
		ret = ask(o->mountpoint, lines[i], bufs[i], cap);
	if (ret < 0) {
		fprintf(stderr, "amtsim: exec: --sysfs: cannot read the device facts from %s: "
			"%s (is amtsim serving there?)\n", o->mountpoint, strerror(-ret));
		return ret;
	}
	o->fw_status = status;
	o->fw_ver = ver;
	o->dev = dev;
	return 0;
}

static int exec_main(int argc, char **argv)
{
	char status[128], ver[128], dev[128];
	struct nsexec_opts o = { 0 };
	char err[PATH_MAX + 256];
	int i, ret;

	o.name = "mei0";
	if (argc < 2) {
		usage(stderr);
		return AMTSIM_USAGE;
	}
	o.mountpoint = argv[1];
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--mei-alias") == 0)
			o.mei_alias = 1;
		else if (strcmp(argv[i], "--sysfs") == 0)
			o.sysfs = 1;
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			o.name = argv[++i];
		else
			break;
	}
	if (i >= argc - 1 || strcmp(argv[i], "--") != 0 || !valid_name(o.name)) {
		usage(stderr);
		return AMTSIM_USAGE;
	}
	if (o.sysfs && sysfs_facts(&o, status, ver, dev, sizeof(dev)) < 0)
		return AMTSIM_EXEC_SETUP;
	ret = nsexec_run(&o, argv + i + 1, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "amtsim: exec: %s\n", err);
		return AMTSIM_EXEC_SETUP;
	}
	return ret;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return ctl_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "exec") == 0)
		return exec_main(argc - 1, argv + 1);
	return serve_main(argc, argv);
}
