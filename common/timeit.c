/*
 * timeit.c: run a program and say how long it took; `make run` prints every chapter program's
 * time with it. Usage: timeit PROGRAM [ARG...]. Exits with the program's status.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "errors.h"
#include "proc.h"

#define EXIT_CANNOT_START 127 /* what proc_run's child exits with when exec fails, as the shell */

int main(int argc, char **argv)
{
    static struct proc_result r; /* static: 20 KiB of line buffers, unused without capture */

    if (argc < 2)
        die_msg("usage: %s PROGRAM [ARG...]", argv[0]);
    if (proc_run(argv + 1, 0, false, &r) == -1)
        die_errno(argv[1]);
    if (r.signal != 0)
        printf("(killed by signal %d after %.2f s)\n", r.signal, r.elapsed);
    else if (r.exit_code == EXIT_CANNOT_START)
        printf("(%s could not be started: is it built, and executable?)\n", argv[1]);
    else
        printf("(took %.2f s)\n", r.elapsed);
    return r.exit_code == -1 ? EXIT_FAILURE : r.exit_code;
}
