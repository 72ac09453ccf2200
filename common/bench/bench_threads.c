/*
 * bench_threads.c: POSIX threads under `make bench`, beside the loop's tasks.
 *
 *   sleeping N   N threads blocked on a condition variable (default attributes: an 8 MiB stack
 *                mapped, a few pages of it touched): resident bytes per thread
 *   kstack N     the same N threads, measured by the kernel stacks they take (KernelStack in
 *                /proc/meminfo, whole machine: other programs add a little noise): bytes each
 *   spawn N      N threads created and joined one after the other: ns each (after a warm-up:
 *                glibc then reuses the stack of the thread joined before)
 *
 * Compare: bench_loop.c's tasks do the same jobs.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "errors.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long started;
static int released;

/* Say "I am here", then wait until main releases every thread. */
static void *sleeper(void *arg)
{
    (void)arg;
    PCHECK(pthread_mutex_lock(&lock));
    started++;
    PCHECK(pthread_cond_broadcast(&changed));
    while (!released)
        PCHECK(pthread_cond_wait(&changed, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Start n sleeping threads, measure with `measure` once all sleep, release and join them. */
static void sleeping(long n, int64_t (*measure)(void))
{
    pthread_t *threads = calloc((size_t)n, sizeof *threads);
    int64_t before, after;

    if (threads == NULL)
        die_errno("calloc");
    before = measure();
    for (long i = 0; i < n; i++)
        PCHECK(pthread_create(&threads[i], NULL, sleeper, NULL));
    PCHECK(pthread_mutex_lock(&lock));
    while (started < n)
        PCHECK(pthread_cond_wait(&changed, &lock));
    after = measure();
    released = 1;
    PCHECK(pthread_cond_broadcast(&changed));
    PCHECK(pthread_mutex_unlock(&lock));
    for (long i = 0; i < n; i++)
        PCHECK(pthread_join(threads[i], NULL));
    if (before < 0 || after < 0)
        die_msg("no /proc: cannot measure memory\n");
    bench_report((double)(after - before), n);
}

static int64_t kernel_stacks(void)
{
    return bench_meminfo_bytes("KernelStack");
}

static void *nothing(void *arg)
{
    return arg;
}

/* Create and join n threads, one after the other: the CPU time it took. */
static int64_t spawn_pass(long n)
{
    int64_t start = bench_cpu_ns();

    for (long i = 0; i < n; i++) {
        pthread_t t;

        PCHECK(pthread_create(&t, NULL, nothing, NULL));
        PCHECK(pthread_join(t, NULL));
    }
    return bench_cpu_ns() - start;
}

static void spawn(long n)
{
    (void)spawn_pass(n); /* warm-up: see bench.h */
    bench_report((double)spawn_pass(n), n);
}

int main(int argc, char **argv)
{
    const char *job;
    long n;

    bench_args(argc, argv, &job, &n);
    /* Each job ends the process with bench_report. */
    if (strcmp(job, "sleeping") == 0)
        sleeping(n, bench_rss_bytes);
    if (strcmp(job, "kstack") == 0)
        sleeping(n, kernel_stacks);
    if (strcmp(job, "spawn") == 0)
        spawn(n);
    return BENCH_NO_SUCH_JOB;
}
