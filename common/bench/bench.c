/*
 * bench.c: CPU time, resident memory and the shared pseudo-random delays. Read bench.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errors.h"

int64_t bench_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1)
        die_errno("clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int64_t bench_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size, resident;
    int got;

    if (f == NULL)
        return -1;
    got = fscanf(f, "%ld %ld", &size, &resident);
    fclose(f);
    return got == 2 ? (int64_t)resident * sysconf(_SC_PAGESIZE) : -1;
}

int64_t bench_meminfo_bytes(const char *field)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    size_t len = strlen(field);
    long kib = -1;

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            if (sscanf(line + len + 1, "%ld", &kib) != 1)
                kib = -1;
            break;
        }
    }
    fclose(f);
    return kib < 0 ? -1 : (int64_t)kib * 1024;
}

void bench_args(int argc, char **argv, const char **job, long *n)
{
    char *end;

    if (argc != 3 || (*n = strtol(argv[2], &end, 10), end == argv[2] || *end != '\0' || *n < 1)) {
        fprintf(stderr, "usage: %s JOB N   (JOB: callbacks, timers, sleeping, spawn, ...)\n",
                argv[0]);
        exit(2);
    }
    *job = argv[1];
}

int bench_next_delay_ms(uint32_t *state)
{
    /* The classic ANSI C rand() recurrence, written out so that Python can repeat it exactly. */
    *state = *state * 1103515245u + 12345u;
    return 1 + (int)((*state >> 16) % BENCH_DISTINCT_DELAYS);
}

void bench_report(double total, long n)
{
    printf("%.1f\n", total / (double)n);
    exit(0);
}

void bench_touch(void *p, size_t size)
{
    long page = sysconf(_SC_PAGESIZE);

    /* volatile: a plain write of zeros to memory that calloc gave could be optimised away. */
    for (size_t off = 0; off < size; off += (size_t)page)
        ((volatile char *)p)[off] = 0;
}

void bench_sleep_ms(int ms)
{
    if (sleep_seconds(ms / 1000.0) == -1)
        die_errno("sleep_seconds");
}
