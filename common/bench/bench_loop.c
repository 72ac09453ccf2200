/*
 * bench_loop.c: the event loop of common/ (loop.h, task.h) under `make bench`.
 *
 *   callbacks N   N callbacks queued with loop_call_soon, then run: ns each, queueing included
 *   timers N      N timers armed with 1,000 distinct delays (1 to 1,000 ms), all pending at once;
 *                 the loop runs once all are due: ns per timer, arming and firing included
 *   sleeping N    N tasks asleep in TASK_SLEEP: resident bytes per task (no warm-up: memory)
 *   spawn N       N tasks created, started and finished (each ends at its first step): ns each
 * The caller's storage (callbacks, timers, tasks) is allocated once, before the warm-up.
 *
 * Compare: bench_libuv.c and bench_asyncio.py do the same jobs, bench_threads.c the thread ones.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "errors.h"
#include "loop.h"
#include "task.h"

#define SLEEP_SECONDS 3600.0 /* the sleeping tasks never wake during the measurement */

static long count;

static void counted(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    count++;
}

static struct loop *new_loop(void)
{
    struct loop *loop = loop_new();

    if (loop == NULL)
        die_errno("loop_new");
    return loop;
}

/* Queue n callbacks and run them: the CPU time it took. */
static int64_t callbacks_pass(struct loop *loop, struct loop_callback *cbs, long n)
{
    int64_t start = bench_cpu_ns();

    count = 0;
    for (long i = 0; i < n; i++)
        loop_call_soon(loop, &cbs[i], counted, NULL);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    if (count != n)
        die_msg("%ld of %ld callbacks ran\n", count, n);
    return bench_cpu_ns() - start;
}

static void callbacks(long n)
{
    struct loop *loop = new_loop();
    struct loop_callback *cbs = calloc((size_t)n, sizeof *cbs);

    if (cbs == NULL)
        die_errno("calloc");
    (void)callbacks_pass(loop, cbs, n); /* warm-up: see bench.h */
    bench_report((double)callbacks_pass(loop, cbs, n), n);
}

/* Arm n timers with the benchmark's delays: the CPU time it took. */
static int64_t arm_timers(struct loop *loop, struct loop_timer *timers, long n)
{
    uint32_t seed = BENCH_SEED;
    int64_t start = bench_cpu_ns();

    for (long i = 0; i < n; i++) {
        double delay = bench_next_delay_ms(&seed) / 1000.0;

        if (loop_call_later(loop, &timers[i], delay, counted, NULL) == -1)
            die_errno("loop_call_later");
    }
    return bench_cpu_ns() - start;
}

static void timers(long n)
{
    struct loop *loop = new_loop();
    struct loop_timer *timers = calloc((size_t)n, sizeof *timers);
    int64_t took, start;

    if (timers == NULL)
        die_errno("calloc");
    /* Warm-up without waiting: arm them all, then cancel them all, the last armed first (it is
     * the cheapest to take out: it sits at the end of the heap more often than not). */
    (void)arm_timers(loop, timers, n);
    for (long i = n - 1; i >= 0; i--)
        loop_cancel_timer(loop, &timers[i]);
    took = arm_timers(loop, timers, n);
    /* Wait (at no CPU cost) until every timer is due: the loop then fires them all in one timers
     * phase, and what is measured is the timers alone, not the polls between deadlines. */
    bench_sleep_ms(BENCH_DISTINCT_DELAYS + 10);
    start = bench_cpu_ns();
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    took += bench_cpu_ns() - start;
    if (count != n)
        die_msg("%ld of %ld timers fired\n", count, n);
    bench_report((double)took, n);
}

static enum task_state sleeper(struct task *t)
{
    TASK_BEGIN(t);
    TASK_SLEEP(t, SLEEP_SECONDS);
    TASK_END(t);
}

static void sleeping(long n)
{
    struct loop *loop = new_loop();
    int64_t before = bench_rss_bytes(), after;
    struct task *tasks = calloc((size_t)n, sizeof *tasks);

    if (tasks == NULL)
        die_errno("calloc");
    for (long i = 0; i < n; i++) {
        task_init(&tasks[i], NULL, sleeper);
        task_start(loop, &tasks[i]);
    }
    /* One iteration runs every task's first step, up to its TASK_SLEEP: all of them now sleep. */
    if (loop_run_once(loop) == -1)
        die_errno("loop_run_once");
    after = bench_rss_bytes();
    if (before < 0 || after < 0)
        die_msg("no /proc/self/statm: cannot measure resident memory\n");
    bench_report((double)(after - before), n);
}

static enum task_state finisher(struct task *t)
{
    TASK_BEGIN(t);
    TASK_END(t);
}

/* Create, start and finish n tasks: the CPU time it took. */
static int64_t spawn_pass(struct loop *loop, struct task *tasks, long n)
{
    int64_t start = bench_cpu_ns();

    for (long i = 0; i < n; i++) {
        task_init(&tasks[i], NULL, finisher);
        task_start(loop, &tasks[i]);
    }
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    if (!task_done(&tasks[n - 1]))
        die_msg("a task did not finish\n");
    return bench_cpu_ns() - start;
}

static void spawn(long n)
{
    struct loop *loop = new_loop();
    struct task *tasks = calloc((size_t)n, sizeof *tasks);

    if (tasks == NULL)
        die_errno("calloc");
    (void)spawn_pass(loop, tasks, n); /* warm-up: see bench.h */
    bench_report((double)spawn_pass(loop, tasks, n), n);
}

int main(int argc, char **argv)
{
    const char *job;
    long n;

    bench_args(argc, argv, &job, &n);
    /* Each job ends the process with bench_report. */
    if (strcmp(job, "callbacks") == 0)
        callbacks(n);
    if (strcmp(job, "timers") == 0)
        timers(n);
    if (strcmp(job, "sleeping") == 0)
        sleeping(n);
    if (strcmp(job, "spawn") == 0)
        spawn(n);
    return BENCH_NO_SUCH_JOB;
}
