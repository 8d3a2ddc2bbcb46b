/*
 * pm_spawn — the child side of a spawn, in C, so that no managed code ever runs between fork and exec
 * (the same reason .NET's own SystemNative_ForkAndExecProcess is C).
 *
 * Parent: every signal blocked on the calling thread, then clone3(CLONE_INTO_CGROUP | CLONE_PIDFD |
 * CLONE_VFORK): the child is born inside its cgroup (no window in which it could fork outside), and the pidfd
 * comes back atomically with the pid. Without clone3 (seccomp profiles that answer ENOSYS, or a kernel that does
 * not know the cgroup field) it falls back to clone(CLONE_PIDFD | CLONE_VFORK) and the child writes itself into
 * the cgroup's cgroup.procs before anything else. CLONE_VFORK without CLONE_VM: fork semantics (a copy of the
 * address space), and the parent resumes once the child has exec'd or exited.
 *
 * Child, in this order: every signal handler back to SIG_DFL; (fallback) join the cgroup; setsid; stdin, stdout,
 * stderr from the descriptors the daemon opened; oom_score_adj; RLIMIT_NOFILE; umask; setgroups, setresgid,
 * setresuid, and verify all three; no_new_privs; chdir (after the drop: the service's own rights apply);
 * close_range(3, ~0, CLOEXEC); empty signal mask; execve of each candidate path (execvp rules). Only raw system
 * calls: glibc's set*id wrappers would try to signal the parent's other threads (setxid broadcast).
 *
 * A failure before exec writes {step, errno, candidate index} to a CLOEXEC pipe and exits 127; exec success
 * closes the pipe (EOF). The parent reaps a failed child before returning.
 *
 * With an exit keeper (keeper_dirfd >= 0; pm_keeper.h, docs/spawn.md): the daemon clones the keeper (fork semantics,
 * no cgroup change), the keeper clones the program as above and reports {NONE, pid} (or passes the program's failure
 * on), then execs the standalone keeper, which waits for the program, records its status and exits with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pm_keeper.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_VFORK
#define CLONE_VFORK 0x00004000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_execveat
#define SYS_execveat 322
#endif
#ifndef SYS_memfd_create
#define SYS_memfd_create 319
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

/* The standalone keeper (pm_keeper.c), embedded at build time; pm_keeper_memfd puts it in a sealed memfd. */
#ifdef PM_KEEPER_IMAGE
__asm__(".section .rodata\n.balign 16\n.globl pm_keeper_image\n.hidden pm_keeper_image\npm_keeper_image:\n"
        ".incbin \"" PM_KEEPER_IMAGE "\"\n.globl pm_keeper_image_end\n.hidden pm_keeper_image_end\npm_keeper_image_end:\n.previous\n");
extern const unsigned char pm_keeper_image[] __attribute__((visibility("hidden")));
extern const unsigned char pm_keeper_image_end[] __attribute__((visibility("hidden")));
#endif

/* Which step failed; mirrored by SpawnStep in C#. */
enum pm_spawn_step {
    PM_STEP_NONE = 0,
    PM_STEP_PIPE = 1,
    PM_STEP_CLONE = 2,
    PM_STEP_CGROUP = 3,
    PM_STEP_SETSID = 4,
    PM_STEP_STDIO = 5,
    PM_STEP_OOM_SCORE_ADJ = 6,
    PM_STEP_RLIMIT = 7,
    PM_STEP_SETGROUPS = 8,
    PM_STEP_SETGID = 9,
    PM_STEP_SETUID = 10,
    PM_STEP_VERIFY = 11,
    PM_STEP_NO_NEW_PRIVS = 12,
    PM_STEP_CHDIR = 13,
    PM_STEP_CLOSE_RANGE = 14,
    PM_STEP_SIGNALS = 15,
    PM_STEP_EXECVE = 16,
    PM_STEP_KEEPER = 17, /* the exit keeper ended before it reported */
};

/* Blittable; the C# side declares the same layout (SpawnNative.Request). */
struct pm_spawn_request {
    const char *const *paths;      /* candidates to execve, in order, NULL-terminated */
    char *const *argv;             /* NULL-terminated */
    char *const *envp;             /* NULL-terminated */
    const char *working_directory; /* chdir'd to after the privilege drop */
    const uint32_t *groups;        /* exact supplementary groups (when set_credentials) */
    int32_t group_count;
    int32_t cgroup_fd;             /* directory fd of the attach leaf; -1: the daemon's own cgroup */
    int32_t stdin_fd;
    int32_t stdout_fd;
    int32_t stderr_fd;             /* -1: the same as stdout */
    int32_t set_credentials;       /* 0: keep the daemon's identity */
    uint32_t uid;
    uint32_t gid;
    int32_t umask;                 /* -1: inherit */
    int32_t reset_oom_score_adj;   /* write 0 to /proc/self/oom_score_adj */
    int32_t no_new_privs;
    int32_t set_nofile;            /* set RLIMIT_NOFILE to nofile_soft/nofile_hard */
    uint64_t nofile_soft;
    uint64_t nofile_hard;
    int32_t keeper_dirfd;          /* >= 0: start an exit keeper (pm_keeper.h) that records into this directory */
    int32_t keeper_exec_fd;        /* the keeper program (pm_keeper_memfd); -1: the keeper waits in the forked image */
    const char *keeper_name;       /* the record's file name (the app name) */
};

struct pm_spawn_result {
    int32_t pid;
    int32_t pidfd;
    int32_t step;       /* enum pm_spawn_step; PM_STEP_NONE when the program runs */
    int32_t error;      /* errno of the failed step */
    int32_t path_index; /* execve: the candidate the error belongs to */
    int32_t clone3;     /* 1: clone3 + CLONE_INTO_CGROUP, 0: clone + cgroup.procs */
    int32_t keeper_pid; /* the exit keeper, the program's parent (pidfd is the keeper's); 0: none */
};

struct pm_report {
    int32_t step;
    int32_t error;
    int32_t path_index;
    int32_t pid;    /* keeper: the program's pid once it runs */
    int32_t clone3; /* keeper: how the program was cloned */
};

struct pm_clone_args {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};

/* The kernel's struct sigaction (rt_sigaction), not glibc's. */
struct pm_kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

/* Most supplementary groups a spawn may set (the daemon refuses more); bounds the verification buffer. */
#define PM_MAX_GROUPS 4096

static int clone3_unavailable; /* set once clone3 answered ENOSYS or E2BIG */

__attribute__((noreturn)) static void report_and_exit(int fd, int step, int error, int path_index)
{
    struct pm_report r = { step, error, path_index, 0, 0 };
    ssize_t n;
    do {
        n = write(fd, &r, sizeof r);
    } while (n < 0 && errno == EINTR);
    syscall(SYS_exit_group, 127);
    for (;;) {
    }
}

static int move_above_stdio(int fd)
{
    return fd < 0 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

static int write_all(int fd, const char *text, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        text += n;
        length -= (size_t)n;
    }
    return 0;
}

static int same_groups(const uint32_t *wanted, int count)
{
    uint32_t actual[PM_MAX_GROUPS];
    long n = syscall(SYS_getgroups, PM_MAX_GROUPS, actual);
    if (n != count) return 0;
    /* The kernel keeps supplementary groups sorted; the daemon passes them sorted and distinct. */
    for (long i = 0; i < n; i++) {
        if (actual[i] != wanted[i]) return 0;
    }
    return 1;
}

__attribute__((noreturn)) static void child(const struct pm_spawn_request *rq, int report, int cgroup_procs)
{
    /* First of all: "I run". A child the kernel killed at birth never writes it (start_program). */
    struct pm_report alive = { PM_STEP_NONE, 0, -1, 0, 0 };
    if (write(report, &alive, sizeof alive) != (ssize_t)sizeof alive) syscall(SYS_exit_group, 127);

    struct pm_kernel_sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.handler = SIG_DFL;
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8) != 0 && errno != EINVAL)
            report_and_exit(report, PM_STEP_SIGNALS, errno, -1);
    }

    if (cgroup_procs >= 0 && write_all(cgroup_procs, "0", 1) != 0)
        report_and_exit(report, PM_STEP_CGROUP, errno, -1);

    if (syscall(SYS_setsid) < 0)
        report_and_exit(report, PM_STEP_SETSID, errno, -1);

    int in = move_above_stdio(rq->stdin_fd);
    int out = move_above_stdio(rq->stdout_fd);
    int err = rq->stderr_fd < 0 ? out : move_above_stdio(rq->stderr_fd);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        report_and_exit(report, PM_STEP_STDIO, errno, -1);

    if (rq->reset_oom_score_adj) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, "0", 1) != 0)
            report_and_exit(report, PM_STEP_OOM_SCORE_ADJ, errno, -1);
        close(fd);
    }

    if (rq->set_nofile) {
        struct rlimit limit = { (rlim_t)rq->nofile_soft, (rlim_t)rq->nofile_hard };
        if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &limit, NULL) != 0)
            report_and_exit(report, PM_STEP_RLIMIT, errno, -1);
    }

    if (rq->umask >= 0) syscall(SYS_umask, (mode_t)rq->umask);

    if (rq->set_credentials) {
        if (syscall(SYS_setgroups, (size_t)rq->group_count, rq->groups) != 0)
            report_and_exit(report, PM_STEP_SETGROUPS, errno, -1);
        if (syscall(SYS_setresgid, rq->gid, rq->gid, rq->gid) != 0)
            report_and_exit(report, PM_STEP_SETGID, errno, -1);
        if (syscall(SYS_setresuid, rq->uid, rq->uid, rq->uid) != 0)
            report_and_exit(report, PM_STEP_SETUID, errno, -1);
        uid_t ru, eu, su;
        gid_t rg, eg, sg;
        if (syscall(SYS_getresuid, &ru, &eu, &su) != 0 || syscall(SYS_getresgid, &rg, &eg, &sg) != 0
            || ru != rq->uid || eu != rq->uid || su != rq->uid || rg != rq->gid || eg != rq->gid || sg != rq->gid
            || !same_groups(rq->groups, rq->group_count))
            report_and_exit(report, PM_STEP_VERIFY, EPERM, -1);
    }

    if (rq->no_new_privs && syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        report_and_exit(report, PM_STEP_NO_NEW_PRIVS, errno, -1);

    if (syscall(SYS_chdir, rq->working_directory) != 0)
        report_and_exit(report, PM_STEP_CHDIR, errno, -1);

    /* Only 0, 1 and 2 survive exec; the report pipe too is CLOEXEC, so exec closes it (EOF). */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        report_and_exit(report, PM_STEP_CLOSE_RANGE, errno, -1);

    uint64_t empty = 0;
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, 8) != 0)
        report_and_exit(report, PM_STEP_SIGNALS, errno, -1);

    int denied = -1;
    int count = 0;
    while (rq->paths[count] != NULL) count++;
    for (int i = 0; i < count; i++) {
        syscall(SYS_execve, rq->paths[i], rq->argv, rq->envp);
        int e = errno;
        if (count > 1 && (e == ENOENT || e == ENOTDIR || e == EACCES)) {
            /* execvp(3) rules: keep searching PATH; EACCES is reported if nothing else is found. */
            if (e == EACCES && denied < 0) denied = i;
            continue;
        }
        report_and_exit(report, PM_STEP_EXECVE, e, i);
    }
    report_and_exit(report, PM_STEP_EXECVE, denied >= 0 ? EACCES : ENOENT, denied);
}

static long clone_child(const struct pm_spawn_request *rq, int procs_only, int *pidfd, int *used_clone3, int *cgroup_procs)
{
    *cgroup_procs = -1;
    if (rq->cgroup_fd >= 0 && !procs_only && !__atomic_load_n(&clone3_unavailable, __ATOMIC_RELAXED)) {
        struct pm_clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = CLONE_VFORK | CLONE_PIDFD | CLONE_INTO_CGROUP;
        args.pidfd = (uint64_t)(uintptr_t)pidfd;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)rq->cgroup_fd;
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0 || (errno != ENOSYS && errno != E2BIG)) {
            *used_clone3 = 1;
            return pid;
        }
        __atomic_store_n(&clone3_unavailable, 1, __ATOMIC_RELAXED);
    }

    *used_clone3 = 0;
    if (rq->cgroup_fd >= 0) {
        *cgroup_procs = openat(rq->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (*cgroup_procs < 0) return -1;
    }
    /* x86-64 and arm64 alike: clone(flags, stack, parent_tid, ...); CLONE_PIDFD stores the pidfd at parent_tid. */
    return syscall(SYS_clone, (unsigned long)(CLONE_VFORK | CLONE_PIDFD | SIGCHLD), NULL, pidfd, NULL, NULL);
}

static int read_report(int fd, struct pm_report *report)
{
    ssize_t n;
    do {
        n = read(fd, report, sizeof *report);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *report;
}

/* Waits for the child behind pidfd to exit (it is ours: this reaps it, so no zombie is left). */
static void reap_pidfd(int pidfd)
{
    siginfo_t info;
    while (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) != 0 && errno == EINTR) {
    }
}

/* A step failed before the program ran; nothing is left running. Returns 0 (start_program's "no program"). */
static long no_program(struct pm_report *r, int step, int error)
{
    r->step = step;
    r->error = error;
    r->path_index = -1;
    return 0;
}

/*
 * Clones the program (CLONE_VFORK: this thread waits until it has exec'd or exited) and reads its report: first the
 * child's "I run" marker, then either EOF (exec succeeded) or the failed step. Returns the program's pid, or 0 when
 * it did not start (r says why; its child, if any, is reaped). A child cloned with CLONE_INTO_CGROUP that never ran
 * (no marker: the kernel killed it at birth, as some kernels do in a cgroup that was cgroup.kill'ed before, see
 * pm_spawn_probe_clone_into_cgroup) is cloned once more, joining its cgroup through cgroup.procs before exec.
 */
static long start_program(const struct pm_spawn_request *rq, int *pidfd, int *used_clone3, struct pm_report *r)
{
    memset(r, 0, sizeof *r);
    r->path_index = -1;
    for (int procs_only = 0;; procs_only = 1) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) return no_program(r, PM_STEP_PIPE, errno);
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        int cgroup_procs = -1;
        *pidfd = -1;
        long pid = clone_child(rq, procs_only, pidfd, used_clone3, &cgroup_procs);
        if (pid == 0) child(rq, p[1], cgroup_procs);
        int clone_errno = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        close(p[1]);
        if (cgroup_procs >= 0) close(cgroup_procs);
        if (pid < 0) {
            close(p[0]);
            return no_program(r, PM_STEP_CLONE, clone_errno);
        }

        struct pm_report alive;
        int ran = read_report(p[0], &alive);
        int failed = ran && read_report(p[0], r);
        close(p[0]);
        if (failed) {
            /* The child exits 127 right after its report. */
            reap_pidfd(*pidfd);
            close(*pidfd);
            *pidfd = -1;
            return 0;
        }
        if (ran || !*used_clone3) {
            /* Exec'd (or, joining through cgroup.procs, killed before it ran: its exit status tells). */
            r->step = PM_STEP_NONE;
            return pid;
        }
        reap_pidfd(*pidfd);
        close(*pidfd);
        *pidfd = -1;
    }
}

/* The keeper, after the program runs: stdio on /dev/null (never the daemon's), the exits directory on fd 3, then
 * exec of the standalone keeper; if that exec fails, keep waiting here (a copy of the daemon's image: correct, but
 * bigger), with every other descriptor closed. */
__attribute__((noreturn)) static void keep(const struct pm_spawn_request *rq, long pid)
{
    char pid_text[24];
    pid_text[pmk_append_int(pid_text, 0, pid)] = 0;
    char *argv[] = { (char *)"pm-keeper", (char *)rq->keeper_name, pid_text, NULL };
    char *envp[] = { NULL };

    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
    }
    int exe = rq->keeper_exec_fd >= 0 ? fcntl(rq->keeper_exec_fd, F_DUPFD_CLOEXEC, 10) : -1;
    int dir = 3;
    if (rq->keeper_dirfd == 3) fcntl(3, F_SETFD, 0);
    else if (dup2(rq->keeper_dirfd, 3) < 0) dir = rq->keeper_dirfd;
    syscall(SYS_close_range, (unsigned)dir + 1, ~0U, CLOSE_RANGE_CLOEXEC);
    if (exe >= 0) syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
    syscall(SYS_close_range, (unsigned)dir + 1, ~0U, 0U);
    pmk_keep(dir, rq->keeper_name, pid);
}

/* The keeper process: its own session, every signal blocked (inherited); it clones the program exactly as the daemon
 * would (into its cgroup, vfork until exec), passes on a failure report, or reports the program's pid and keeps it. */
__attribute__((noreturn)) static void keeper(const struct pm_spawn_request *rq, int report)
{
    syscall(SYS_setsid);
    int pidfd = -1, used_clone3 = 0;
    struct pm_report r;
    long pid = start_program(rq, &pidfd, &used_clone3, &r);
    r.pid = (int32_t)pid;
    r.clone3 = used_clone3;
    ssize_t n;
    do {
        n = write(report, &r, sizeof r);
    } while (n < 0 && errno == EINTR);
    if (pid == 0 || n != (ssize_t)sizeof r) syscall(SYS_exit_group, 127);
    close(report);
    close(pidfd);
    keep(rq, pid);
}

/* Fills result with a failed step; nothing is left running. */
static int spawn_failed(struct pm_spawn_result *result, int step, int error, int path_index)
{
    result->step = step;
    result->error = error;
    result->path_index = path_index;
    return -1;
}

/* With a keeper: the daemon clones the keeper (fork semantics, its own cgroup), which clones the program. */
static int spawn_with_keeper(const struct pm_spawn_request *rq, struct pm_spawn_result *result)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) return spawn_failed(result, PM_STEP_PIPE, errno, -1);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int pidfd = -1;
    long pid;
    struct pm_clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)&pidfd;
    args.exit_signal = SIGCHLD;
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0 && (errno == ENOSYS || errno == E2BIG))
        pid = syscall(SYS_clone, (unsigned long)(CLONE_PIDFD | SIGCHLD), NULL, &pidfd, NULL, NULL);
    if (pid == 0) keeper(rq, pipefd[1]);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(pipefd[1]);
    if (pid < 0) {
        close(pipefd[0]);
        return spawn_failed(result, PM_STEP_CLONE, clone_errno, -1);
    }

    struct pm_report report;
    int got = read_report(pipefd[0], &report);
    close(pipefd[0]);
    result->clone3 = got ? report.clone3 : 0;
    if (!got || report.step != PM_STEP_NONE) {
        /* The keeper exits right after a failure report (or ended before it could report). */
        reap_pidfd(pidfd);
        close(pidfd);
        return spawn_failed(result, got ? report.step : PM_STEP_KEEPER, got ? report.error : ECHILD, got ? report.path_index : -1);
    }
    result->pid = report.pid;
    result->pidfd = pidfd;
    result->keeper_pid = (int32_t)pid;
    return 0;
}

/* The standalone keeper in a sealed memfd (CLOEXEC; execveat works on it), or -1 with errno. */
int pm_keeper_memfd(void)
{
#ifdef PM_KEEPER_IMAGE
    int fd = (int)syscall(SYS_memfd_create, "pm-keeper", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = (int)syscall(SYS_memfd_create, "pm-keeper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    if (write_all(fd, (const char *)pm_keeper_image, (size_t)(pm_keeper_image_end - pm_keeper_image)) != 0
        || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
#else
    errno = ENOSYS;
    return -1;
#endif
}

int pm_spawn(const struct pm_spawn_request *rq, struct pm_spawn_result *result)
{
    memset(result, 0, sizeof *result);
    result->pid = -1;
    result->pidfd = -1;
    result->path_index = -1;

    if (rq->keeper_dirfd >= 0) return spawn_with_keeper(rq, result);

    int pidfd = -1, used_clone3 = 0;
    struct pm_report report;
    long pid = start_program(rq, &pidfd, &used_clone3, &report);
    result->clone3 = used_clone3;
    if (pid == 0) return spawn_failed(result, report.step, report.error, report.path_index);
    result->pid = (int32_t)pid;
    result->pidfd = pidfd;
    return 0;
}

/*
 * Does a child cloned into cgroup_fd with CLONE_INTO_CGROUP survive its birth? Some kernels (6.18 measured) compare
 * the cgroup.kill sequence number of the parent's cgroup with the target's and SIGKILL the new child when they
 * differ: once an app's cgroup has been killed, every child cloned into it would die at once. The caller probes a
 * fresh cgroup and the same cgroup after a cgroup.kill. 1: it lived; 0: the kernel killed it; -1: errno.
 */
int pm_spawn_probe_clone_into_cgroup(int cgroup_fd)
{
    struct pm_clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (uint64_t)cgroup_fd;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) syscall(SYS_exit_group, 0);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        errno = clone_errno;
        return -1;
    }
    int status;
    while (waitpid((pid_t)pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 1 : 0;
}

/* 0 makes every later spawn take the clone + cgroup.procs path (a kernel whose CLONE_INTO_CGROUP cannot be used, and
 * tests); 1 tries clone3 again. */
void pm_spawn_use_clone3(int enabled)
{
    __atomic_store_n(&clone3_unavailable, enabled ? 0 : 1, __ATOMIC_RELAXED);
}
