/* limit-probe: a tiny static program the VM lane runs as a service, to push against one cgroup limit.
 *
 *   limit-probe alloc MB          allocate MB MiB in 1 MiB steps, touching every page with non-zero data
 *                                 (so zram cannot treat it as empty), print "allocated MB MiB", then sleep
 *   limit-probe spin              busy loop forever (cpu.max)
 *   limit-probe forkbomb          every process forks as fast as the kernel lets it, forever (pids.max);
 *                                 prints the first refusal: "fork refused: <errno text>"
 *   limit-probe write PATH MB     write MB MiB to PATH with O_DIRECT, 1 MiB per write, print
 *                                 "wrote MB MiB in MS ms" (io.max)
 *
 * Built by tests/vm/lane.sh with gcc -static; output is line-buffered so the lane can wait for a line in the log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int alloc(long mb)
{
    for (long i = 0; i < mb; i++) {
        unsigned char *p = malloc(1 << 20);
        if (p == NULL) { printf("malloc failed after %ld MiB\n", i); return 1; }
        unsigned int x = (unsigned int)i * 2654435761u + 1;
        for (int j = 0; j < (1 << 20); j++) { x = x * 1103515245u + 12345u; p[j] = (unsigned char)(x >> 16); }
        if ((i + 1) % 16 == 0) printf("touched %ld MiB\n", i + 1);
    }
    printf("allocated %ld MiB\n", mb);
    for (;;) pause();
}

static _Noreturn void spin(void)
{
    volatile unsigned long n = 0;
    for (;;) n++;
}

static _Noreturn void forkbomb(void)
{
    int reported = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid < 0) {
            if (!reported) { printf("fork refused: %s\n", strerror(errno)); reported = 1; }
            usleep(20000);
        }
    }
}

static int write_direct(const char *path, long mb)
{
    int fd = open(path, O_WRONLY | O_DIRECT);
    if (fd < 0) { printf("open %s: %s\n", path, strerror(errno)); return 1; }
    void *buf;
    if (posix_memalign(&buf, 4096, 1 << 20) != 0) return 1;
    memset(buf, 0x5a, 1 << 20);
    long t0 = ms_now();
    for (long i = 0; i < mb; i++) {
        if (write(fd, buf, 1 << 20) != (1 << 20)) { printf("write: %s\n", strerror(errno)); return 1; }
    }
    printf("wrote %ld MiB in %ld ms\n", mb, ms_now() - t0);
    close(fd);
    for (;;) pause();
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 3 && strcmp(argv[1], "alloc") == 0) return alloc(atol(argv[2]));
    if (argc >= 2 && strcmp(argv[1], "spin") == 0) spin();
    if (argc >= 2 && strcmp(argv[1], "forkbomb") == 0) forkbomb();
    if (argc >= 4 && strcmp(argv[1], "write") == 0) return write_direct(argv[2], atol(argv[3]));
    fprintf(stderr, "usage: limit-probe alloc MB | spin | forkbomb | write PATH MB\n");
    return 2;
}
