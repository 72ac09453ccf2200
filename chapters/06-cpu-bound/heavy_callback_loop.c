/*
 * heavy_callback_loop.c: one CPU-heavy callback makes every timer late; the loop reports it.
 *
 * Chapter 6. A timer ticks every 0.1 s, each tick due at a fixed time, and prints how late it
 * ran. At 0.25 s another timer's callback computes for half a second. The loop cannot preempt a
 * callback: the ticks due meanwhile (at 0.3, 0.4 ... 0.7 s) all wait until it returns, then run
 * one after the other, late. With loop_report_slow_callbacks, the loop times every callback and
 * reports those slower than 0.1 s, as asyncio's debug mode does (loop.slow_callback_duration):
 * the heavy one, never the ticks. Compare with compute_loop.c and exercise chunked_sum.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "clock.h"
#include "cpu_work.h"
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "timeline.h"

#define TICK_SECONDS 0.1
#define TICKS 10
#define HEAVY_AT 0.25     /* when the heavy callback starts */
#define HEAVY_SECONDS 0.5 /* how long it computes */
#define SLOW_SECONDS 0.1  /* asyncio's slow_callback_duration */

static struct demo demo;
static volatile uint64_t sink; /* the computation's result goes here, so it cannot be skipped */
static int64_t start_ns;       /* the loop's time when the program's clock starts */

struct ticker {
    struct loop_timer timer;
    int count;         /* ticks so far */
    int64_t period_ns; /* TICK_SECONDS, scaled */
    int64_t most_late; /* the largest lateness seen, in ns */
};

/* Times in whole nanoseconds, as the loop keeps them: a tick is never early, not even by rounding.
 */
static double seconds(int64_t ns)
{
    return (double)ns / (double)NSEC_PER_SEC;
}

static void tick(struct loop *loop, void *arg)
{
    struct ticker *t = arg;
    int64_t due = start_ns + t->period_ns * ++t->count, late = loop_now_ns(loop) - due;

    say("ticker", "tick %d: due at %.3f s, %.3f s late", t->count, seconds(due - start_ns),
        seconds(late));
    t->most_late = late > t->most_late ? late : t->most_late;
    if (t->count == TICKS)
        return;
    /* The next tick is due one period after this one was due, however late this one ran. */
    if (loop_call_later(loop, &t->timer, seconds(due + t->period_ns - loop_now_ns(loop)), tick,
                        t) == -1)
        die_errno("loop_call_later");
}

/* Half a second of real computation, in one callback: no other callback can run meanwhile. */
static void heavy(struct loop *loop, void *arg)
{
    int64_t until = clock_now_ns() + seconds_to_ns(demo_seconds(&demo, HEAVY_SECONDS));
    uint64_t x = 0;

    (void)arg;
    say("heavy", "heavy: computing for %.3f s", demo_seconds(&demo, HEAVY_SECONDS));
    while (clock_now_ns() < until)
        x = work_mix(x);
    sink = x;
    say("heavy", "heavy: done at %.3f s", seconds(loop_now_ns(loop) - start_ns));
}

/* The loop calls this after each callback that ran longer than the threshold. */
static void report(struct loop *loop, loop_fn *fn, void *fn_arg, double took, void *arg)
{
    (void)loop, (void)fn_arg, (void)arg;
    say("loop", "loop: slow callback %s took %.3f s (over %.3f s)", fn == heavy ? "heavy" : "tick",
        took, demo_seconds(&demo, SLOW_SECONDS));
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct ticker ticker = {0};
    struct loop_timer heavy_timer = {0};
    int rc;

    demo_init(&demo, argc, argv, "A timer ticks every 0.1 s; a callback computes for 0.5 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    loop_report_slow_callbacks(loop, demo_seconds(&demo, SLOW_SECONDS), report, NULL);
    start_ns = loop_now_ns(loop);
    ticker.period_ns = seconds_to_ns(demo_seconds(&demo, TICK_SECONDS));
    rc = loop_call_later(loop, &ticker.timer, seconds(ticker.period_ns), tick, &ticker);
    if (rc == 0)
        rc = loop_call_later(loop, &heavy_timer, demo_seconds(&demo, HEAVY_AT), heavy, NULL);
    if (rc == -1)
        die_errno("loop_call_later");
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
    say("main", "the ticks ran up to %.3f s late", seconds(ticker.most_late));
    demo_finish(&demo);
    return 0;
}
