/*
 * clock-offset.so: an LD_PRELOAD shim that steps the wall clock of one process (the daemon under test) without
 * touching the host's. CLOCK_REALTIME (clock_gettime, gettimeofday, time) is shifted by the number of milliseconds
 * in the file named by PM_CLOCK_OFFSET_FILE, read again on every call, so a test steps the clock by rewriting the
 * file. CLOCK_MONOTONIC and CLOCK_BOOTTIME are left alone, as a real clock step (settimeofday, NTP) leaves them.
 * Built by TimeStepTests: gcc -shared -fPIC -O2 -o clock-offset.so clock-offset.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char offset_path[4096];
static int (*real_clock_gettime)(clockid_t, struct timespec *);

__attribute__((constructor)) static void init(void)
{
    const char *path = getenv("PM_CLOCK_OFFSET_FILE");
    if (path != NULL && strlen(path) < sizeof offset_path) strcpy(offset_path, path);
    real_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
}

/* The offset in milliseconds; 0 when the file is missing or unreadable. No allocation: safe anywhere. */
static long long offset_ms(void)
{
    if (offset_path[0] == 0) return 0;
    int fd = open(offset_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[32];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = 0;
    return strtoll(text, NULL, 10);
}

static void shift(struct timespec *ts)
{
    long long ns = (long long)ts->tv_nsec + (offset_ms() % 1000) * 1000000LL;
    ts->tv_sec += (time_t)(offset_ms() / 1000);
    while (ns < 0) { ns += 1000000000LL; ts->tv_sec--; }
    while (ns >= 1000000000LL) { ns -= 1000000000LL; ts->tv_sec++; }
    ts->tv_nsec = (long)ns;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    if (real_clock_gettime == NULL) init();
    int r = real_clock_gettime(id, ts);
    if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) shift(ts);
    return r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    struct timespec ts;
    int r = clock_gettime(CLOCK_REALTIME, &ts);
    if (r == 0)
    {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return r;
}

time_t time(time_t *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out != NULL) *out = ts.tv_sec;
    return ts.tv_sec;
}
