/*
 * pm_keeper — the exit keeper of one service run. It is the parent of the service's main process, outside the
 * service's cgroup (in the daemon's leaf), and does one thing: wait for that process, record its exit status in a
 * root-owned directory of the daemon (the state directory's exits/, 0700), then exit with the same status. While the
 * daemon runs, it reaps the keeper and sees the status at once; when the daemon was down (SIGTERM, SIGKILL, crash),
 * the next daemon finds the record, so a run that ended meanwhile keeps its real exit status.
 *
 * Shared by the helper library (the fallback: the keeper keeps running in the forked image when the exec fails) and
 * by the standalone keeper (pm_keeper.c, a static program without libc, embedded in the helper and exec'd from a
 * sealed memfd: a few pages per run). Only raw system calls (no libc state: the standalone program has none).
 *
 * Record: exits/<app>, written as exits/.<app>.tmp (O_NOFOLLOW, O_EXCL after an unlink, 0600), fsync'd, renamed:
 *   "pid=<pid> code=<0-255>\n" or "pid=<pid> signal=<n>\n"
 */
#ifndef PM_KEEPER_H
#define PM_KEEPER_H

#include <stdint.h>

#if defined(__x86_64__)
#define PMK_NR_write 1
#define PMK_NR_close 3
#define PMK_NR_rt_sigaction 13
#define PMK_NR_rt_sigprocmask 14
#define PMK_NR_getpid 39
#define PMK_NR_kill 62
#define PMK_NR_fsync 74
#define PMK_NR_prctl 157
#define PMK_NR_waitid 247
#define PMK_NR_openat 257
#define PMK_NR_unlinkat 263
#define PMK_NR_renameat 264
#define PMK_NR_exit_group 231
static inline long pmk_syscall(long n, long a, long b, long c, long d, long e)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__aarch64__)
#define PMK_NR_write 64
#define PMK_NR_close 57
#define PMK_NR_rt_sigaction 134
#define PMK_NR_rt_sigprocmask 135
#define PMK_NR_getpid 172
#define PMK_NR_kill 129
#define PMK_NR_fsync 82
#define PMK_NR_prctl 167
#define PMK_NR_waitid 95
#define PMK_NR_openat 56
#define PMK_NR_unlinkat 35
#define PMK_NR_renameat 38
#define PMK_NR_exit_group 94
static inline long pmk_syscall(long n, long a, long b, long c, long d, long e)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
    return x0;
}
#else
#error "pm_keeper: unsupported architecture"
#endif

#define PMK_EINTR 4
#define PMK_O_WRONLY 01
#define PMK_O_CREAT 0100
#define PMK_O_EXCL 0200
#define PMK_O_NOFOLLOW 0400000
#define PMK_O_CLOEXEC 02000000
#define PMK_P_PID 1
#define PMK_WEXITED 4
#define PMK_CLD_EXITED 1
#define PMK_PR_SET_NAME 15
#define PMK_PR_SET_DUMPABLE 4
#define PMK_SIGKILL 9
#define PMK_SIGSTOP 19
#define PMK_NAME_MAX 64

/* The part of siginfo_t waitid fills (si_signo, si_errno, si_code, pad on 64-bit, si_pid, si_uid, si_status). */
struct pmk_siginfo {
    int32_t signo;
    int32_t err;
    int32_t code;
    int32_t pad;
    int32_t pid;
    uint32_t uid;
    int32_t status;
    int32_t rest[25];
};

struct pmk_sigaction {
    unsigned long handler;
    unsigned long flags;
    unsigned long restorer;
    uint64_t mask;
};

static inline int pmk_append(char *buf, int at, const char *text)
{
    while (*text) buf[at++] = *text++;
    return at;
}

static inline int pmk_append_int(char *buf, int at, long value)
{
    char digits[24];
    int n = 0;
    if (value < 0) {
        buf[at++] = '-';
        value = -value;
    }
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (n > 0) buf[at++] = digits[--n];
    return at;
}

/* Writes exits/<name> atomically; a failure only loses the record (the daemon then reports the status as unknown). */
static inline void pmk_record(int dirfd, const char *name, long pid, int exited, int value)
{
    char tmp[PMK_NAME_MAX + 8];
    int t = pmk_append(tmp, 0, ".");
    int i = 0;
    while (name[i] && i < PMK_NAME_MAX) tmp[t++] = name[i++];
    t = pmk_append(tmp, t, ".tmp");
    tmp[t] = 0;

    char line[64];
    int n = pmk_append(line, 0, "pid=");
    n = pmk_append_int(line, n, pid);
    n = pmk_append(line, n, exited ? " code=" : " signal=");
    n = pmk_append_int(line, n, value);
    line[n++] = '\n';

    pmk_syscall(PMK_NR_unlinkat, dirfd, (long)tmp, 0, 0, 0);
    long fd = pmk_syscall(PMK_NR_openat, dirfd, (long)tmp, PMK_O_WRONLY | PMK_O_CREAT | PMK_O_EXCL | PMK_O_NOFOLLOW | PMK_O_CLOEXEC, 0600, 0);
    if (fd < 0) return;
    long w = pmk_syscall(PMK_NR_write, fd, (long)line, n, 0, 0);
    long s = pmk_syscall(PMK_NR_fsync, fd, 0, 0, 0, 0);
    pmk_syscall(PMK_NR_close, fd, 0, 0, 0, 0);
    if (w != n || s != 0 || pmk_syscall(PMK_NR_renameat, dirfd, (long)tmp, dirfd, (long)name, 0) != 0)
        pmk_syscall(PMK_NR_unlinkat, dirfd, (long)tmp, 0, 0, 0);
}

/* Waits for pid (a child of the caller), records its status, and ends with the same status. Never returns. */
__attribute__((noreturn)) static inline void pmk_keep(int dirfd, const char *name, long pid)
{
    pmk_syscall(PMK_NR_prctl, PMK_PR_SET_NAME, (long)"pm-keeper", 0, 0, 0);
    /* No core dump of the keeper when it mirrors a fatal signal (SIGSEGV, SIGABRT, ...). */
    pmk_syscall(PMK_NR_prctl, PMK_PR_SET_DUMPABLE, 0, 0, 0, 0);

    struct pmk_siginfo info;
    long rc;
    for (;;) {
        info.pid = 0;
        rc = pmk_syscall(PMK_NR_waitid, PMK_P_PID, pid, (long)&info, PMK_WEXITED, 0);
        if (rc != -PMK_EINTR) break;
    }
    if (rc != 0) pmk_syscall(PMK_NR_exit_group, 255, 0, 0, 0, 0);

    int exited = info.code == PMK_CLD_EXITED;
    pmk_record(dirfd, name, pid, exited, info.status);
    if (!exited && info.status > 0 && info.status < 65 && info.status != PMK_SIGSTOP) {
        struct pmk_sigaction dfl = { 0, 0, 0, 0 };
        pmk_syscall(PMK_NR_rt_sigaction, info.status, (long)&dfl, 0, 8, 0);
        uint64_t only = 1ULL << (info.status - 1);
        pmk_syscall(PMK_NR_kill, pmk_syscall(PMK_NR_getpid, 0, 0, 0, 0, 0), info.status, 0, 0, 0);
        pmk_syscall(PMK_NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&only, 0, 8, 0);
    }
    pmk_syscall(PMK_NR_exit_group, exited ? info.status : 128 + info.status, 0, 0, 0, 0);
    for (;;) {
    }
}

#endif
