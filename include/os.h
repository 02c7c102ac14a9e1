/* SPDX-License-Identifier: MIT */
/* The port layer: everything the agent asks of the operating system, in one interface. */
#ifndef AMTACT_OS_H
#define AMTACT_OS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One implementation per system: src/os/posix.c (Linux), src/os/windows.c (Windows).
 * Every function returns 0 (or a descriptor / count >= 0) or a negative errno value, never
 * exits and never prints. Paths and names are UTF-8 on every system (Windows converts at
 * its API boundary).
 *
 * Files are plain int descriptors on every system (C runtime descriptors on Windows), so
 * read loops and fdopen() work alike. Every open is close-on-exec, never makes a terminal
 * the controlling one, and never follows a symbolic link (Windows: a reparse point) in the
 * last component unless OS_FOLLOW says so (a link there gives -ELOOP).
 * Files the agent creates are private: mode 0600; on Windows the creator, SYSTEM and
 * Administrators only.
 */
/* Longest path and file name the agent builds (buffers; the system may allow more). */
#define OS_PATH_MAX 4096
#define OS_NAME_MAX 255

enum {
	OS_RDONLY = 0,
	OS_WRONLY = 1 << 0,
	OS_RDWR = 1 << 1,
	OS_CREATE = 1 << 2,   /* create if missing (private) */
	OS_EXCL = 1 << 3,     /* with OS_CREATE: -EEXIST if it exists (links included) */
	OS_APPEND = 1 << 4,
	OS_NONBLOCK = 1 << 5, /* a FIFO planted in place of a file never blocks the open */
	OS_FOLLOW = 1 << 6,   /* follow a link in the last component */
};

/* A directory held open, so names inside it are resolved against it and not re-walked. */
struct os_dir;

enum {
	OS_DIR_CREATE = 1 << 0,  /* make the last component (private: 0700 / owner-only ACL) */
	OS_DIR_PRIVATE = 1 << 1, /* -EPERM unless ours and not writable by anyone else */
};

/*
 * Open directory `name` under `parent` (NULL: the current directory, or `name` is
 * absolute). Never follows a link in the last component (-ENOTDIR). Returns 0 with *out
 * set (close with os_dir_close), -ENOTDIR, -EPERM (OS_DIR_PRIVATE refused it) or -errno.
 */
int os_dir_open(struct os_dir **out, struct os_dir *parent, const char *name,
		unsigned flags);
void os_dir_close(struct os_dir *d);

/* Create `path` and its missing parents (each private). 0 or -errno. */
int os_mkdirs(const char *path);

/*
 * Call fn(name, arg) for each entry of d but "." and ".."; stops when fn returns non-zero
 * and returns that value if negative (0 otherwise), or -errno if the listing fails.
 */
int os_dir_list(struct os_dir *d, int (*fn)(const char *name, void *arg), void *arg);

/* Make the directory's entries (creations, renames, removals) durable. */
int os_dir_sync(struct os_dir *d);

/* Open `name` under d (NULL: relative to the current directory). Returns a descriptor. */
int os_open_at(struct os_dir *d, const char *name, unsigned flags);
static inline int os_open(const char *path, unsigned flags)
{
	return os_open_at(NULL, path, flags);
}

/* Rename `from` in d1 to `to` in d2, atomically replacing an existing `to`. */
int os_rename_at(struct os_dir *d1, const char *from, struct os_dir *d2, const char *to);
int os_unlink_at(struct os_dir *d, const char *name);

/* What the agent needs to know about a file. */
enum os_file_type { OS_TYPE_FILE, OS_TYPE_DIR, OS_TYPE_OTHER };
struct os_stat {
	enum os_file_type type;
	uint64_t size;
	int64_t mtime;          /* UNIX seconds */
	unsigned long owner;    /* POSIX uid; Windows: 0 for SYSTEM/Administrators, else 1 */
	unsigned mode;          /* POSIX permission bits; Windows: derived from the ACL */
	bool owner_is_us;       /* owned by the effective user (Windows: by the current user,
				   or SYSTEM/Administrators when we run as one of them) */
	bool others_write;      /* someone but the owner (and the administrators) may write */
	bool others_read;       /* someone but the owner (and the administrators) may read */
};
int os_fstat(int fd, struct os_stat *st);
/* Of `name` under d, not following a link in the last component (a link: OS_TYPE_OTHER). */
int os_stat_at(struct os_dir *d, const char *name, struct os_stat *st);
/* Of `path`, following links. */
int os_stat(const char *path, struct os_stat *st);

/* The absolute path of an existing `path`, every link, "." and ".." resolved
   (realpath; GetFinalPathNameByHandle). 0 or -errno. */
int os_real_path(const char *path, char *out, size_t cap);
/* fopen() with a UTF-8 path; glibc's "e" (close-on-exec) is honoured or dropped. */
FILE *os_fopen(const char *path, const char *mode);

/* Does `s` name a folder part ('/'; on Windows also '\\' or a drive "C:")? */
bool os_path_has_dir(const char *s);
/* The last component of `path`: what follows its last '/' (on Windows also '\\' or a
   drive "C:"), or path itself. */
const char *os_path_base(const char *path);

/* read() once, EINTR retried: bytes read (0 at the end) or -errno. */
long os_read(int fd, void *buf, size_t cap);
/* Write all of p, EINTR retried; a write that writes nothing is -EIO. */
int os_write_all(int fd, const void *p, size_t len);
/* Flush the file's data to the disk (fsync; FlushFileBuffers). */
int os_fsync(int fd);
int os_close(int fd);
/* The descriptor of standard input (for "-" as a file name). */
int os_stdin_fd(void);

/*
 * Advisory whole-file locks on a descriptor (flock; LockFileEx). OS_LOCK_NB: -EBUSY at
 * once when someone else holds a conflicting lock. Released by os_unlock or closing.
 */
enum { OS_LOCK_SH = 1, OS_LOCK_EX = 2, OS_LOCK_NB = 4 };
int os_lock(int fd, unsigned how);
int os_unlock(int fd);

/*
 * Is `path` safe for a privileged (root / SYSTEM) run to trust: every component, from the
 * root down, is opened without following a link and must be owned by the administrator
 * (root; SYSTEM or Administrators) or by us, and not writable by anyone else. On a
 * refusal returns -EPERM (or -ELOOP for a link, -ENOTDIR) and fills why with the
 * component and the reason ("/var/lib/x: writable by group or others"); why may be NULL.
 * OS_PATH_DIR: path names a directory, which is opened and returned in *dir if dir is
 * not NULL (then close it); else the last component is a file that is only checked.
 */
enum { OS_PATH_DIR = 1 << 0 };
int os_path_safe(const char *path, unsigned flags, struct os_dir **dir, char *why,
		 size_t whylen);

/*
 * Open the directory `path` the agent writes in (OS_DIR_CREATE: creating it and its
 * missing parents, private; OS_DIR_PRIVATE as for os_dir_open). Privileged: reached from
 * the root one component at a time without following a link, each component passing
 * os_path_safe's rule before anything is created in it, so a user's link or directory on
 * the way never redirects root's writes (-ELOOP, -EPERM). Unprivileged: os_mkdirs and
 * os_dir_open. why (may be NULL) gets "component: reason" on a refusal.
 */
int os_dir_open_path(struct os_dir **out, const char *path, unsigned flags, char *why,
		     size_t whylen);

/* The "component: reason" of the last refusal of os_path_safe or os_dir_open_path, or
   "" (a static buffer). */
const char *os_path_refusal(void);

/*
 * The system's own words for the administrator's rules, for messages (never NULL):
 *   OS_HINT_PATH     the rule of os_path_safe and os_dir_open_path for every folder on
 *                    the way ("every directory on the way must be root's, ...")
 *   OS_HINT_LOG      why a log file was refused and what it must be
 *   OS_HINT_SECRET   "readable by <others> (<how to fix it>)" for a file holding a secret
 *   OS_HINT_PRIVATE  who may read the files the agent creates ("mode 0600")
 *   OS_HINT_CHECKED  what profile-check checks when run as the administrator
 */
enum os_hint { OS_HINT_PATH, OS_HINT_LOG, OS_HINT_SECRET, OS_HINT_PRIVATE, OS_HINT_CHECKED };
const char *os_hint(enum os_hint which);

/*
 * Why the file or folder `path` (facts in st) fails the administrator's rule, with the fix,
 * for "PATH: <text>" (POSIX: uids, mode and chmod; Windows: SYSTEM, Administrators and
 * icacls). OS_UNSAFE_OWNER: not owned by want_owner; OS_UNSAFE_WRITABLE: others may write
 * it; OS_UNSAFE_READABLE: a secret others may read. Returns buf.
 */
enum os_unsafe { OS_UNSAFE_OWNER, OS_UNSAFE_WRITABLE, OS_UNSAFE_READABLE };
const char *os_unsafe_text(enum os_unsafe what, const char *path, const struct os_stat *st,
			   unsigned long want_owner, char *buf, size_t cap);

/* Cryptographically strong random bytes (getrandom; BCryptGenRandom). OS_RANDOM_NOWAIT:
   fail with -EAGAIN instead of waiting for the pool at early boot. */
enum { OS_RANDOM_NOWAIT = 1 };
int os_random(void *buf, size_t len, unsigned flags);

/* Wall clock in microseconds since 1970, a monotonic clock in milliseconds, and sleep. */
uint64_t os_time_us(void);
uint64_t os_mono_ms(void);
void os_sleep_ms(unsigned long ms);

long os_getpid(void);
/* The effective user id (Windows: 0 when elevated or SYSTEM, else 1), and whether we run
   with the administrator's rights (root; SYSTEM or an elevated administrator). */
unsigned long os_euid(void);
bool os_privileged(void);

/* The system log: syslog (daemon facility), or the Windows Event Log (Application, source
   "amtact"). Levels are msg.h's (0 error .. 3 debug). Never fails visibly. */
void os_syslog_open(void);
void os_syslog(int level, const char *text);
void os_syslog_close(void);

/*
 * For a process that will hold secrets, before it reads any: no core file (RLIMIT_CORE 0,
 * soft and hard) and not dumpable (Linux PR_SET_DUMPABLE 0: no core whatever the limit,
 * no ptrace or /proc/PID/mem by other processes of the same user). 0 or -errno.
 */
int os_process_protect(void);

/* Keep p[0..len) out of swap (mlock; VirtualLock) where the system allows it; best effort,
   never unlocked. */
void os_memory_lock(void *p, size_t len);

/* Remove an environment variable (unsetenv; _wputenv_s). */
int os_unsetenv(const char *name);

/* Is standard input a terminal (console)? */
bool os_stdin_is_console(void);
/* Is standard error a terminal (console), where a line can be rewritten in place? */
bool os_stderr_is_console(void);

/*
 * Read one line typed on the console (standard input) without showing it: `prompt` on
 * standard error, echo off while reading (termios; SetConsoleMode without
 * ENABLE_ECHO_INPUT), restored on every path and on Ctrl+C, then a line end on standard
 * error for the Enter that was not shown. Up to cap - 1 bytes (UTF-8) and a NUL into buf,
 * without the line end; its length in *len. 0; -ENODATA at end of input before a line;
 * -EMSGSIZE if the line is longer (buf wiped); -ENOTTY if standard input is not a console.
 */
int os_console_read_hidden(const char *prompt, char *buf, size_t cap, size_t *len);

/*
 * Shared modules, POSIX only (the Windows build links its one module, the HTTPS
 * transport, in). os_exe_dir: the folder of the running program. os_module_symbol: load
 * the module at `path` (dlopen, RTLD_NOW | RTLD_LOCAL; it stays loaded) and return its
 * `symbol`, or NULL with why filled.
 */
int os_exe_dir(char *buf, size_t cap);
void *os_module_symbol(const char *path, const char *symbol, char *why, size_t whylen);

/* The name of the system the agent was built for: "linux", "windows". */
const char *os_platform(void);

/*
 * The default folders: profiles, state, spool. POSIX: the build's SYSCONFDIR and
 * LOCALSTATEDIR (/etc/amtact/profiles, /var/lib/amtact, /var/spool/amtact); Windows:
 * %ProgramData%\amtact\profiles, ...\state, ...\spool. Never NULL.
 */
enum os_default_dir { OS_DIR_PROFILES, OS_DIR_STATE, OS_DIR_SPOOL };
const char *os_default_dir(enum os_default_dir which);

/* The running program's own path (/proc/self/exe; GetModuleFileNameW). */
int os_self_path(char *out, size_t cap);

/*
 * Scheduled tasks (Windows only; os_tasks_supported() says false elsewhere, where the
 * others return -ENOTSUP): register the task `name` ("folder\\task") from its Task
 * Scheduler XML, or delete it, through System32\\schtasks.exe (its messages on stderr,
 * its exit code in *tool_rc: -EIO when it is not 0). Registering also registers the Event
 * Log source "amtact"; deleting removes it.
 */
bool os_tasks_supported(void);
int os_task_register(const char *name, const char *xml, int *tool_rc);
int os_task_unregister(const char *name, int *tool_rc);

/* Die at once, as a power cut or kill -9 would (crash-safety test hooks). */
void os_kill_self(void);

#endif
