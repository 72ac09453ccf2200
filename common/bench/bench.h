/*
 * bench.h: what the benchmark programs of `make bench` share.
 *
 * Each program runs one job, named on its command line with a size (`bench_loop timers 100000`),
 * and prints one number on stdout: the cost of one operation in ns of CPU time, or the resident
 * memory of one item in bytes. The driver (run) starts a fresh process for every measurement, so
 * that no job inherits another's heap, and takes the minimum of several interleaved runs.
 * Benchmarks measure; they never decide pass or fail. Linux only (/proc, CLOCK_PROCESS_CPUTIME_ID).
 *
 * Warm-up: every timed job runs once untimed, then again, measured, on the same loop and the same
 * storage, as in a program that has been running for a while. Without it, the first touch of each
 * fresh page of memory (a page fault: the kernel finds and zeroes a page) is measured too; on a
 * virtual machine a fault can cost 10 us or more, far more than the callback that caused it, and
 * the figures would compare page faults, not event loops.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The exit status of a program asked for a job it does not have (the driver shows "-"). */
#define BENCH_NO_SUCH_JOB 3

/* Timers of the "timers" job get delays of 1 to this many ms: that many distinct delays. */
#define BENCH_DISTINCT_DELAYS 1000

/* CPU time used by the whole process (every thread) so far, in ns: CLOCK_PROCESS_CPUTIME_ID. */
int64_t bench_cpu_ns(void);

/* The process's resident memory now, in bytes (/proc/self/statm), or -1 if unknown. */
int64_t bench_rss_bytes(void);

/* A field of /proc/meminfo in bytes ("KernelStack"), or -1 if unknown. Whole machine. */
int64_t bench_meminfo_bytes(const char *field);

/*
 * Read "JOB N" from the command line into *job and *n (n at least 1). Exits with status 2 and a
 * usage line on anything else.
 */
void bench_args(int argc, char **argv, const char **job, long *n);

/*
 * The delay of the next timer, in ms, from 1 to BENCH_DISTINCT_DELAYS, drawn from a fixed
 * pseudo-random sequence that starts from *state (bench_asyncio.py draws the very same one).
 */
int bench_next_delay_ms(uint32_t *state);

/* The seed every program starts the sequence from. */
#define BENCH_SEED 12345u

/* Print the result, `total` divided by n, and exit 0. */
_Noreturn void bench_report(double total, long n);

/* Write to every page of the `size` bytes at p, so that none of them faults when first used. */
void bench_touch(void *p, size_t size);

/* Sleep until `ms` milliseconds from now have passed (time that costs no CPU). */
void bench_sleep_ms(int ms);

#endif
