// SPDX-License-Identifier: MIT
/* `amtsim exec`: a private mount namespace with the emulated device at /dev/mei0. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsexec.h"

#define MAX_SUBMOUNTS 64

/* Six HFSTS registers, the count modern PCHs expose (kernel fw_status_show: "%08X\n"). */
static const char default_fw_status[] =
	"90000245\n00000000\n00000000\n00000000\n00000000\n00000000\n";

static pid_t child_pid;

static int fail(char *err, size_t errlen, int ret, const char *what, const char *path)
{
	snprintf(err, errlen, "%s %s: %s", what, path ? path : "", strerror(-ret));
	return ret;
}

static int path_join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s%s", a, b);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		ret = -EIO;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* The mount point (5th field) of a mountinfo line, or NULL. */
static char *mountinfo_target(char *line)
{
	char *p = line, *end;
	int field;

	for (field = 0; field < 4; field++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	end = strchr(p, ' ');
	if (!end)
		return NULL;
	*end = '\0';
	unescape(p);
	return p;
}

static int covered(char list[][PATH_MAX], int n, const char *path)
{
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		len = strlen(list[i]);
		if (strncmp(path, list[i], len) == 0 && (path[len] == '\0' || path[len] == '/'))
			return 1;
	}
	return 0;
}

/* Bind the mounts that sit below the real /dev (pts, shm, mqueue...) into the new one. */
static int bind_dev_submounts(const char *newdev, char *err, size_t errlen)
{
	static char done[MAX_SUBMOUNTS][PATH_MAX];
	char line[4096], target[PATH_MAX], *mp;
	FILE *f;
	int n = 0, ret = 0;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return fail(err, errlen, -errno, "cannot read", "/proc/self/mountinfo");
	while (ret == 0 && n < MAX_SUBMOUNTS && fgets(line, sizeof(line), f)) {
		mp = mountinfo_target(line);
		if (!mp || strncmp(mp, "/dev/", 5) != 0 || covered(done, n, mp))
			continue;
		if (strlen(mp) >= PATH_MAX || path_join(target, sizeof(target), newdev, mp + 4))
			continue;
		memcpy(done[n++], mp, strlen(mp) + 1);
		if (mount(mp, target, NULL, MS_BIND | MS_REC, NULL) < 0 && errno != ENOENT)
			ret = fail(err, errlen, -errno, "cannot bind", mp);
	}
	fclose(f);
	return ret;
}

/* An empty file in the overlay, then the amtsim device bound over it. */
static int bind_device(const char *src, const char *newdev, const char *name, char *err,
		       size_t errlen)
{
	char target[PATH_MAX];
	int fd;

	if (path_join(target, sizeof(target), newdev, "/") ||
	    strlen(target) + strlen(name) >= sizeof(target))
		return fail(err, errlen, -ENAMETOOLONG, "path too long:", name);
	memcpy(target + strlen(target), name, strlen(name) + 1);
	fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST && errno != ENXIO && errno != ENODEV)
		return fail(err, errlen, -errno, "cannot create", target);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0)
		return fail(err, errlen, -errno, "cannot bind the device on", target);
	return 0;
}

static int make_dev(const char *tmp, const struct nsexec_opts *o, const char *src, char *err,
		    size_t errlen)
{
	char upper[PATH_MAX], work[PATH_MAX], newdev[PATH_MAX], opts[3 * PATH_MAX];
	int ret;

	if (path_join(upper, sizeof(upper), tmp, "/upper") ||
	    path_join(work, sizeof(work), tmp, "/work") ||
	    path_join(newdev, sizeof(newdev), tmp, "/dev"))
		return fail(err, errlen, -ENAMETOOLONG, "path too long:", tmp);
	if (mkdir(upper, 0755) < 0 || mkdir(work, 0700) < 0 || mkdir(newdev, 0755) < 0)
		return fail(err, errlen, -errno, "cannot create directories in", tmp);
	snprintf(opts, sizeof(opts), "lowerdir=/dev,upperdir=%s,workdir=%s", upper, work);
	if (mount("overlay", newdev, "overlay", MS_NOSUID, opts) < 0)
		return fail(err, errlen, -errno, "cannot mount an overlay for", "/dev");
	ret = bind_dev_submounts(newdev, err, errlen);
	if (ret == 0)
		ret = bind_device(src, newdev, o->name, err, errlen);
	if (ret == 0 && o->mei_alias)
		ret = bind_device(src, newdev, "mei", err, errlen);
	if (ret == 0 && mount(newdev, "/dev", NULL, MS_MOVE, NULL) < 0)
		ret = fail(err, errlen, -errno, "cannot move the new /dev onto", "/dev");
	return ret;
}

static int put_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	int ret = path_join(path, sizeof(path), dir, name);

	return ret ? ret : write_file(path, text);
}

static int fill_sysfs(const char *dir, const struct nsexec_opts *o)
{
	char path[PATH_MAX];
	int ret;

	if (mkdir(dir, 0755) < 0)
		return -errno;
	ret = path_join(path, sizeof(path), dir, "/kind");
	if (ret == 0)
		ret = write_file(path, "mei\n");
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "/fw_status");
	if (ret == 0)
		ret = write_file(path, o->fw_status ? o->fw_status : default_fw_status);
	if (ret == 0 && o->fw_ver)
		ret = put_file(dir, "/fw_ver", o->fw_ver);
	if (ret == 0 && o->dev)
		ret = put_file(dir, "/dev", o->dev);
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "/trc");
	if (ret == 0)
		ret = write_file(path, "00000000\n");
	/* Other attributes the kernel's mei class shows (drivers/misc/mei/main.c): the HBM
	 * version, the device state and the per-client TX queue limit (doc/firmware.md 1.4, 1.6). */
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "/hbm_ver");
	if (ret == 0)
		ret = write_file(path, "2.2\n");
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "/dev_state");
	if (ret == 0)
		ret = write_file(path, "ENABLED\n");
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "/tx_queue_limit");
	if (ret == 0)
		ret = write_file(path, "50\n");
	return ret;
}

/*
 * A read-only tmpfs on /sys/class/mei. Where the host has no such directory (no MEI
 * driver), an overlay on /sys/class (upper in our tmpfs) provides the mount point.
 */
static int make_sysfs(const char *tmp, const struct nsexec_opts *o, char *err, size_t errlen)
{
	char upper[PATH_MAX], work[PATH_MAX], opts[3 * PATH_MAX], dir[PATH_MAX];
	struct stat st;
	int ret;

	if (stat("/sys/class/mei", &st) < 0) {
		if (path_join(upper, sizeof(upper), tmp, "/sysupper") ||
		    path_join(work, sizeof(work), tmp, "/syswork"))
			return fail(err, errlen, -ENAMETOOLONG, "path too long:", tmp);
		if (mkdir(upper, 0755) < 0 || mkdir(work, 0700) < 0)
			return fail(err, errlen, -errno, "cannot create directories in", tmp);
		snprintf(opts, sizeof(opts), "lowerdir=/sys/class,upperdir=%s,workdir=%s", upper,
			 work);
		if (mount("overlay", "/sys/class", "overlay", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  opts) < 0)
			return fail(err, errlen, -errno, "cannot mount an overlay on", "/sys/class");
		if (mkdir("/sys/class/mei", 0755) < 0)
			return fail(err, errlen, -errno, "cannot create", "/sys/class/mei");
	}
	if (mount("tmpfs", "/sys/class/mei", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		return fail(err, errlen, -errno, "cannot mount a tmpfs on", "/sys/class/mei");
	if (path_join(dir, sizeof(dir), "/sys/class/mei/", o->name))
		return fail(err, errlen, -ENAMETOOLONG, "path too long:", o->name);
	ret = fill_sysfs(dir, o);
	if (ret < 0)
		return fail(err, errlen, ret, "cannot fill", dir);
	if (mount(NULL, "/sys/class/mei", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV |
		  MS_NOEXEC, NULL) < 0)
		return fail(err, errlen, -errno, "cannot make read-only:", "/sys/class/mei");
	return 0;
}

static int setup_namespace(const char *tmp, const struct nsexec_opts *o, const char *src,
			   char *err, size_t errlen)
{
	int ret;

	if (unshare(CLONE_NEWNS) < 0)
		return fail(err, errlen, -errno, "cannot create a mount namespace", NULL);
	/* Nothing we mount from here on may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(err, errlen, -errno, "cannot make the mounts private", NULL);
	if (mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=4m") < 0)
		return fail(err, errlen, -errno, "cannot mount a tmpfs on", tmp);
	ret = make_dev(tmp, o, src, err, errlen);
	if (ret == 0 && o->sysfs)
		ret = make_sysfs(tmp, o, err, errlen);
	umount2(tmp, MNT_DETACH);
	return ret;
}

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int run_child(char *const argv[])
{
	struct sigaction sa;
	int status, ret;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(argv[0], argv);
		ret = errno;
		fprintf(stderr, "amtsim: exec: %s: %s\n", argv[0], strerror(ret));
		_exit(ret == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int check_device(const struct nsexec_opts *o, char *src, size_t srclen, char *err,
			size_t errlen)
{
	char path[PATH_MAX];
	struct stat st;

	if (geteuid() != 0)
		return fail(err, errlen, -EPERM, "needs root (mount namespaces, bind mounts)", NULL);
	if (strchr(o->name, '/') || !strcmp(o->name, ".") || !strcmp(o->name, ".."))
		return fail(err, errlen, -EINVAL, "bad device name", o->name);
	if (snprintf(path, sizeof(path), "%s/%s", o->mountpoint, o->name) >= (int)sizeof(path))
		return fail(err, errlen, -ENAMETOOLONG, "path too long:", o->mountpoint);
	if (!realpath(path, src) || strlen(src) >= srclen)
		return fail(err, errlen, -errno, "no amtsim device (is amtsim serving here?):",
			    path);
	if (stat(src, &st) < 0 || !S_ISREG(st.st_mode))
		return fail(err, errlen, -ENODEV, "not an amtsim device file:", src);
	return 0;
}

int nsexec_run(const struct nsexec_opts *o, char *const argv[], char *err, size_t errlen)
{
	const char *base = getenv("TMPDIR");
	char src[PATH_MAX], tmp[PATH_MAX];
	int ret;

	err[0] = '\0';
	ret = check_device(o, src, sizeof(src), err, errlen);
	if (ret < 0)
		return ret;
	if (!base || base[0] != '/')
		base = "/tmp";
	if (path_join(tmp, sizeof(tmp), base, "/amtsim-ns.XXXXXX"))
		return fail(err, errlen, -ENAMETOOLONG, "path too long:", base);
	if (!mkdtemp(tmp))
		return fail(err, errlen, -errno, "cannot create a directory in", base);
	ret = setup_namespace(tmp, o, src, err, errlen);
	if (ret == 0) {
		ret = run_child(argv);
		if (ret < 0)
			fail(err, errlen, ret, "cannot run", argv[0]);
	}
	rmdir(tmp);
	return ret;
}
