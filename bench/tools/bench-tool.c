/*
 * Small programs the benchmark runs as services (and as the no-supervisor floor), so that every subject runs
 * exactly the same program and the measuring side costs no fork per sample. Built by bench/run.sh with gcc.
 *
 *   bench-tool stamp FILE              append CLOCK_REALTIME in ns (one line) to FILE, then exit 1 (a crash)
 *   bench-tool write BYTES STAMPFILE   write CLOCK_REALTIME ns to STAMPFILE, then BYTES of 99 'x' + '\n' lines to
 *                                      stdout in 64 KiB writes, as fast as the reader takes them; exit 0
 *   bench-tool waitsize FILE BYTES S   poll FILE's size every 1 ms until it is >= BYTES; print CLOCK_REALTIME ns of
 *                                      that moment; exit 1 after S seconds without it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int append_line(const char *path, long long value)
{
    char line[32];
    int len = snprintf(line, sizeof line, "%lld\n", value);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    ssize_t n = write(fd, line, (size_t)len);
    close(fd);
    return n == len ? 0 : -1;
}

static int write_bytes(long long bytes)
{
    static char buf[65500]; /* 655 lines of 100 bytes: every full chunk ends a line */
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (i % 100 == 99) ? '\n' : 'x';
    long long left = bytes;
    while (left > 0) {
        size_t chunk = (long long)sizeof buf < left ? sizeof buf : (size_t)left;
        for (size_t done = 0; done < chunk;) {
            ssize_t n = write(STDOUT_FILENO, buf + done, chunk - done);
            if (n < 0) {
                if (errno == EINTR) continue;
                perror("bench-tool write");
                return 1;
            }
            done += (size_t)n;
        }
        left -= (long long)chunk;
    }
    return 0;
}

static int wait_size(const char *path, long long bytes, long long seconds)
{
    long long deadline = now_ns() + seconds * 1000000000LL;
    struct timespec ms = {0, 1000000};
    for (;;) {
        struct stat st;
        if (stat(path, &st) == 0 && st.st_size >= bytes) {
            printf("%lld\n", now_ns());
            return 0;
        }
        if (now_ns() > deadline) {
            fprintf(stderr, "bench-tool waitsize: %s did not reach %lld bytes in %lld s\n", path, bytes, seconds);
            return 1;
        }
        nanosleep(&ms, NULL);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "stamp") == 0) {
        append_line(argv[2], now_ns());
        return 1;
    }
    if (argc == 4 && strcmp(argv[1], "write") == 0) {
        if (append_line(argv[3], now_ns()) != 0) { perror("bench-tool write: stamp file"); return 2; }
        return write_bytes(atoll(argv[2]));
    }
    if (argc == 5 && strcmp(argv[1], "waitsize") == 0)
        return wait_size(argv[2], atoll(argv[3]), atoll(argv[4]));
    fprintf(stderr, "usage: bench-tool stamp FILE | write BYTES STAMPFILE | waitsize FILE BYTES SECONDS\n");
    return 2;
}
