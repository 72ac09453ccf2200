/*
 * bench_libuv.c: the same loop jobs on libuv, for comparison only. libuv is used by this
 * benchmark and nowhere else: the book's loop depends on nothing but libc. Built only when
 * pkg-config finds libuv (Debian: libuv1-dev); without it, `make bench` leaves this column out.
 *
 *   callbacks N   N idle handles, each started once and stopped by its own callback: libuv has no
 *                 call_soon, and an idle handle, run on the next iteration, is its nearest kin
 *   timers N      N timers started with 1,000 distinct timeouts (1 to 1,000 ms), all pending;
 *                 the loop runs once all are due
 *
 * Times are ns per callback or timer: initialising, starting and running it, after a warm-up
 * (bench.h). Closing the handles (which our loop does not need) is not measured.
 * Compare: bench_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bench.h"
#include "errors.h"

static long count;

static void check(int uv_err, const char *what)
{
    if (uv_err < 0)
        die_msg("%s: %s\n", what, uv_strerror(uv_err));
}

static void idle_once(uv_idle_t *idle)
{
    count++;
    check(uv_idle_stop(idle), "uv_idle_stop");
}

static void timer_fired(uv_timer_t *timer)
{
    (void)timer;
    count++;
}

/* Close the n handles of `size` bytes each at `handles`, and wait until the loop has. */
static void close_all(uv_loop_t *loop, void *handles, size_t size, long n)
{
    /* The last started first: the cheapest to take out of libuv's timer heap. */
    for (long i = n - 1; i >= 0; i--)
        uv_close((uv_handle_t *)((char *)handles + (size_t)i * size), NULL);
    check(uv_run(loop, UV_RUN_DEFAULT), "uv_run");
}

/* Initialise, start and run n idle handles, then close them: the CPU time until they ran. */
static int64_t callbacks_pass(uv_loop_t *loop, uv_idle_t *idles, long n)
{
    int64_t start = bench_cpu_ns(), took;

    count = 0;
    for (long i = 0; i < n; i++) {
        check(uv_idle_init(loop, &idles[i]), "uv_idle_init");
        check(uv_idle_start(&idles[i], idle_once), "uv_idle_start");
    }
    check(uv_run(loop, UV_RUN_DEFAULT), "uv_run");
    took = bench_cpu_ns() - start;
    if (count != n)
        die_msg("%ld of %ld callbacks ran\n", count, n);
    close_all(loop, idles, sizeof *idles, n);
    return took;
}

static void callbacks(long n)
{
    uv_loop_t loop;
    uv_idle_t *idles = calloc((size_t)n, sizeof *idles);

    if (idles == NULL)
        die_errno("calloc");
    check(uv_loop_init(&loop), "uv_loop_init");
    (void)callbacks_pass(&loop, idles, n); /* warm-up: see bench.h */
    bench_report((double)callbacks_pass(&loop, idles, n), n);
}

/* Initialise and start n timers with the benchmark's timeouts: the CPU time it took. */
static int64_t start_timers(uv_loop_t *loop, uv_timer_t *timers, long n)
{
    uint32_t seed = BENCH_SEED;
    int64_t start = bench_cpu_ns();

    for (long i = 0; i < n; i++) {
        check(uv_timer_init(loop, &timers[i]), "uv_timer_init");
        check(uv_timer_start(&timers[i], timer_fired, (uint64_t)bench_next_delay_ms(&seed), 0),
              "uv_timer_start");
    }
    return bench_cpu_ns() - start;
}

static void timers(long n)
{
    uv_loop_t loop;
    uv_timer_t *timers = calloc((size_t)n, sizeof *timers);
    int64_t took, start;

    if (timers == NULL)
        die_errno("calloc");
    check(uv_loop_init(&loop), "uv_loop_init");
    /* Warm-up: libuv allocates nothing for a timer, so touching the handles is all it takes
     * (starting and closing a million of them would cost more than the measurement). */
    bench_touch(timers, (size_t)n * sizeof *timers);
    took = start_timers(&loop, timers, n);
    bench_sleep_ms(BENCH_DISTINCT_DELAYS + 10); /* every timer due: see bench_loop.c */
    start = bench_cpu_ns();
    check(uv_run(&loop, UV_RUN_DEFAULT), "uv_run");
    took += bench_cpu_ns() - start;
    if (count != n)
        die_msg("%ld of %ld timers fired\n", count, n);
    bench_report((double)took, n);
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
    return BENCH_NO_SUCH_JOB;
}
