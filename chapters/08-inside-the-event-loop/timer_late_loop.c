/*
 * timer_late_loop.c: a timer due at 0.2 s waits for a callback that computes for 1 s: 0.8 s late.
 *
 * Chapter 8. A loop runs one callback at a time and cannot take the thread back from one that
 * computes: the timers phase comes after the ready phase, whatever the clock says. The timer is
 * due at 0.2 s; it fires when the callback returns, at 1 s. No asyncio loop can do better (its
 * debug mode only reports such callbacks: chapter 6). Compare with timer_late_threads.c, where
 * the kernel wakes the sleeping thread on time while another one computes.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "timeline.h"

#define TIMER_SECONDS 0.2
#define COMPUTE_SECONDS 1.0

static struct demo demo;
static int64_t due_ns;

/* Keep the CPU busy until `seconds` have passed, as a long computation would. */
static void compute(double seconds)
{
    int64_t end = clock_now_ns() + seconds_to_ns(seconds);

    while (clock_now_ns() < end)
        ;
}

static void long_callback(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say("callback", "callback: computing for %g s", demo_seconds(&demo, COMPUTE_SECONDS));
    compute(demo_seconds(&demo, COMPUTE_SECONDS));
    say("callback", "callback: done");
}

static void timer_fired(struct loop *loop, void *arg)
{
    (void)arg;
    say("timer", "timer: due at %g s, fired %.3f s late", demo_seconds(&demo, TIMER_SECONDS),
        (double)(loop_now_ns(loop) - due_ns) / (double)NSEC_PER_SEC);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct loop_timer timer = {0};
    struct loop_callback callback = {0};

    demo_init(&demo, argc, argv,
              "A timer due at 0.2 s waits for a callback computing for 1 s: the loop cannot "
              "preempt.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    due_ns = loop_now_ns(loop) + seconds_to_ns(demo_seconds(&demo, TIMER_SECONDS));
    if (loop_call_later(loop, &timer, demo_seconds(&demo, TIMER_SECONDS), timer_fired, NULL) == -1)
        die_errno("loop_call_later");
    loop_call_soon(loop, &callback, long_callback, NULL);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
