/*
 * Whole-process times of several commands measured interleaved, for a shared, loaded machine: every round runs
 * each command once (the order rotates every round), so load that comes and goes hits all of them alike. Built by
 * bench/control-path.sh with gcc.
 *
 *   interleave RUNS WARMUP LABEL CMD [ARG...] :: LABEL CMD [ARG...] :: ...
 *
 * Each command's stdout and stderr go to /dev/null; a command that exits non-zero is reported on stderr and
 * fails the run (exit 1). Prints one Markdown row per command: the median, min and max wall time (fork to
 * reaped, CLOCK_MONOTONIC), the median CPU time of the child (user + system, from wait4's rusage) and the median
 * over the rounds of the ratio of its wall time to the first command's in the same round.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_COMMANDS 16

struct command {
    const char *label;
    char **argv;
    double *wall, *cpu, *ratio;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run(struct command *c, double *wall, double *cpu)
{
    double start = now_ms();
    pid_t pid = fork();
    if (pid < 0) { perror("interleave: fork"); return -1; }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execvp(c->argv[0], c->argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) { perror("interleave: wait4"); return -1; }
    *wall = now_ms() - start;
    *cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "interleave: %s (%s) failed with status %d\n", c->label, c->argv[0], status);
        return -1;
    }
    return 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: interleave RUNS WARMUP LABEL CMD [ARG...] :: LABEL CMD [ARG...] :: ...\n");
        return 2;
    }
    int runs = atoi(argv[1]), warmup = atoi(argv[2]), n = 0;
    struct command commands[MAX_COMMANDS];
    for (int i = 3; i < argc && n < MAX_COMMANDS;) {
        int end = i;
        while (end < argc && strcmp(argv[end], "::") != 0) end++;
        if (end - i < 2) { fprintf(stderr, "interleave: each command needs a label and a program\n"); return 2; }
        argv[end < argc ? end : argc] = NULL;
        commands[n].label = argv[i];
        commands[n].argv = &argv[i + 1];
        commands[n].wall = calloc((size_t)runs, sizeof(double));
        commands[n].cpu = calloc((size_t)runs, sizeof(double));
        commands[n].ratio = calloc((size_t)runs, sizeof(double));
        n++;
        i = end + 1;
    }
    if (runs < 1 || n < 1) return 2;
    double wall, cpu;
    for (int round = 0; round < warmup; round++)
        for (int k = 0; k < n; k++)
            if (run(&commands[k], &wall, &cpu) != 0) return 1;
    for (int round = 0; round < runs; round++) {
        for (int j = 0; j < n; j++) {
            int k = (round + j) % n;
            if (run(&commands[k], &commands[k].wall[round], &commands[k].cpu[round]) != 0) return 1;
        }
        for (int k = 0; k < n; k++) commands[k].ratio[round] = commands[k].wall[round] / commands[0].wall[round];
    }
    printf("| command | wall ms, median [min–max] | CPU ms, median | ÷ %s, median per round |\n", commands[0].label);
    printf("|---|---|---|---|\n");
    for (int k = 0; k < n; k++) {
        struct command *c = &commands[k];
        double ratio = median(c->ratio, runs), cpu_median = median(c->cpu, runs);
        double wall_median = median(c->wall, runs);
        printf("| %s | %.1f [%.1f–%.1f] | %.1f | %.2f× |\n", c->label, wall_median, c->wall[0], c->wall[runs - 1], cpu_median, ratio);
    }
    return 0;
}
