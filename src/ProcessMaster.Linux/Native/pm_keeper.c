/*
 * The standalone exit keeper (see pm_keeper.h): a static program without libc, a few kilobytes. The helper library
 * embeds it and execs it from a sealed memfd, so a waiting keeper costs a few pages instead of a copy of the daemon.
 *   argv: pm-keeper <app> <pid>     fd 3: the exits directory (the daemon's state directory's exits/)
 * Signals stay blocked as the helper left them: only SIGKILL ends a keeper early (its record is then lost).
 */
#include "pm_keeper.h"

void *memset(void *s, int c, unsigned long n);
void *memset(void *s, int c, unsigned long n)
{
    unsigned char *p = s;
    while (n--) *p++ = (unsigned char)c;
    return s;
}

__attribute__((noreturn, used)) void pm_keeper_main(long *stack);
__attribute__((noreturn, used)) void pm_keeper_main(long *stack)
{
    long argc = stack[0];
    char **argv = (char **)(stack + 1);
    if (argc != 3) pmk_syscall(PMK_NR_exit_group, 254, 0, 0, 0, 0);
    long pid = 0;
    for (const char *p = argv[2]; *p; p++) {
        if (*p < '0' || *p > '9') pmk_syscall(PMK_NR_exit_group, 254, 0, 0, 0, 0);
        pid = pid * 10 + (*p - '0');
    }
    pmk_keep(3, argv[1], pid);
}

#if defined(__x86_64__)
__asm__(".text\n.global _start\n_start:\n  xor %rbp, %rbp\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call pm_keeper_main\n  hlt\n");
#elif defined(__aarch64__)
__asm__(".text\n.global _start\n_start:\n  mov x0, sp\n  and sp, x0, #-16\n  bl pm_keeper_main\n  brk #0\n");
#endif
