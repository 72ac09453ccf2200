/*
 * scenarios.h: the scenarios every step of chapter 8's loop runs, and the tracer that prints what
 * each iteration of the loop did.
 *
 * Chapter 8. step1_callbacks.c, step2_timers.c and step3_descriptors.c each define an event loop
 * with the names and signatures of common/loop.h (the first two their own, the third is common's),
 * set LOOP_STEP to 1, 2 or 3, and include this file: the very same scenario code then runs on
 * every step, and tests/check_programs.c checks, line by line, that each step prints what
 * common/'s loop prints. Function bodies in a header are unusual; here they are the point: one
 * copy of the scenarios, so the steps cannot drift from the loop the book ships.
 * Scenarios 3 and 5 run on a fake clock (clock.h): "100 ms later" takes no time, and every line,
 * times included, is the same on every run. Scenario 4 runs on the real clock, and prints no
 * time: only the order, and that no timer fired early.
 */
#ifndef SCENARIOS_H
#define SCENARIOS_H

#include <stdint.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WHO "loop" /* the timeline row of every line */

/* Run the loop one iteration at a time, saying before each what its poll will do, until
 * loop_run_once says that nothing is left to wait for. */
static void trace_iterations(struct loop *loop)
{
    int iteration = 0, more;

    do {
        int64_t timeout = loop_poll_timeout_ns(loop);

        iteration++;
        if (timeout < 0)
            say(WHO, "iteration %d: poll, waiting for as long as it takes", iteration);
        else if (timeout == 0)
            say(WHO, "iteration %d: poll, without waiting", iteration);
        else
            say(WHO, "iteration %d: poll, waiting %g ms", iteration, (double)timeout / 1e6);
        more = loop_run_once(loop);
    } while (more == 1);
    if (more == -1)
        die_errno("loop_run_once");
}

static struct loop *new_loop(void)
{
    struct loop *loop = loop_new();

    if (loop == NULL)
        die_errno("loop_new");
    return loop;
}

/* ---- scenario 1: callbacks -------------------------------------------------------------- */

static struct loop_callback cb_a, cb_b, cb_c, cb_d, cb_e;
static int c_runs;

static void say_e(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say(WHO, "  E");
}

static void a_queues_e(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  A, which queues E");
    loop_call_soon(loop, &cb_e, say_e, NULL);
}

static void b_cancels_d(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  B, which cancels D: %s", loop_cancel_soon(loop, &cb_d) ? "done" : "too late");
}

static void c_queues_itself(struct loop *loop, void *arg)
{
    (void)arg;
    if (++c_runs == 1) {
        say(WHO, "  C, which queues itself again");
        loop_call_soon(loop, &cb_c, c_queues_itself, NULL);
    } else {
        say(WHO, "  C, second time");
    }
}

static void say_d(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say(WHO, "  D (cancelled: this line must never appear)");
}

static void scenario_callbacks(void)
{
    struct loop *loop = new_loop();

    say(WHO, "== scenario 1: callbacks A, B, C, D queued");
    loop_call_soon(loop, &cb_a, a_queues_e, NULL);
    loop_call_soon(loop, &cb_b, b_cancels_d, NULL);
    loop_call_soon(loop, &cb_c, c_queues_itself, NULL);
    loop_call_soon(loop, &cb_d, say_d, NULL);
    trace_iterations(loop);
    loop_free(loop);
}

/* ---- scenario 2: loop_stop ends loop_run after the iteration in progress --------------------- */

static struct loop_callback cb_x, cb_y, cb_z;

static void say_z(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say(WHO, "  Z");
}

static void x_stops(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  X, which queues Z and calls loop_stop");
    loop_call_soon(loop, &cb_z, say_z, NULL);
    loop_stop(loop);
}

static void say_y(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say(WHO, "  Y");
}

static void scenario_stop(void)
{
    struct loop *loop = new_loop();

    say(WHO, "== scenario 2: X and Y queued, then loop_run");
    loop_call_soon(loop, &cb_x, x_stops, NULL);
    loop_call_soon(loop, &cb_y, say_y, NULL);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    say(WHO, "loop_run returned; loop_run again");
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    say(WHO, "loop_run returned: nothing left");
    loop_free(loop);
}

#if LOOP_STEP >= 2
/* ---- scenario 3: timers, on a fake clock ----------------------------------------------------- */

static const struct demo *scenario_demo;
static struct loop_timer t1, t2, t3, t4, t5, t6, t0;
static struct loop_callback cb_hello, cb_after;

static double ms(const struct loop *loop) /* the loop's time in ms */
{
    return (double)loop_now_ns(loop) / 1e6;
}

static double scaled_ms(double ms) /* a duration of the scenario, scaled by -s */
{
    return demo_seconds(scenario_demo, ms / 1e3) * 1e3;
}

static void arm(struct loop *loop, struct loop_timer *t, double ms, loop_fn *fn, void *arg)
{
    if (loop_call_later(loop, t, scaled_ms(ms) / 1e3, fn, arg) == -1)
        die_errno("loop_call_later");
}

static void timer_fired(struct loop *loop, void *arg)
{
    say(WHO, "  %s at %g ms", (const char *)arg, ms(loop));
}

static void hello_arms_t0(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  hello at %g ms, which arms T0 (0 ms)", ms(loop));
    arm(loop, &t0, 0, timer_fired, "T0");
}

static void say_after(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  the callback queued by T2, at %g ms", ms(loop));
}

static void t2_queues(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  T2 at %g ms, which queues a callback", ms(loop));
    loop_call_soon(loop, &cb_after, say_after, NULL);
}

static void t3_cancels_and_arms(struct loop *loop, void *arg)
{
    (void)arg;
    say(WHO, "  T3 at %g ms, which cancels T5 (%s) and arms T6 (0 ms)", ms(loop),
        loop_cancel_timer(loop, &t5) ? "done" : "too late");
    arm(loop, &t6, 0, timer_fired, "T6");
}

static void scenario_timers(const struct demo *demo)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop();

    scenario_demo = demo;
    loop_use_fake_clock(loop, &fake);
    say(WHO, "== scenario 3: timers T1 to T5 armed (%g, %g, %g, %g, %g ms), then hello queued",
        scaled_ms(300), scaled_ms(100), scaled_ms(200), scaled_ms(100), scaled_ms(250));
    arm(loop, &t1, 300, timer_fired, "T1");
    arm(loop, &t2, 100, t2_queues, NULL);
    arm(loop, &t3, 200, t3_cancels_and_arms, NULL);
    arm(loop, &t4, 100, timer_fired, "T4");
    arm(loop, &t5, 250, timer_fired, "T5 (cancelled: this line must never appear)");
    loop_call_soon(loop, &cb_hello, hello_arms_t0, NULL);
    trace_iterations(loop);
    loop_free(loop);
}

/* ---- scenario 4: timers on the real clock ---------------------------------------------------- */

/* One timer of the real-clock scenario: it checks that it did not fire before its time. */
struct checked_timer {
    struct loop_timer timer;
    const char *name;
    double ms;
    int64_t due_ns; /* when it was armed, plus its delay, on the real clock */
};

static void checked_fired(struct loop *loop, void *arg)
{
    const struct checked_timer *ct = arg;

    say(WHO, "  %s: %s", ct->name,
        loop_now_ns(loop) >= ct->due_ns ? "fired, not early" : "fired EARLY");
}

static void scenario_real_clock(const struct demo *demo)
{
    struct loop *loop = new_loop();
    static struct checked_timer timers[] = {
        {.name = "U1", .ms = 300}, {.name = "U2", .ms = 100}, {.name = "U3", .ms = 200}};

    scenario_demo = demo;
    say(WHO, "== scenario 4: timers U1 to U3 armed (%g, %g, %g ms) on the real clock, loop_run",
        scaled_ms(300), scaled_ms(100), scaled_ms(200));
    for (size_t i = 0; i < sizeof timers / sizeof timers[0]; i++) {
        timers[i].due_ns = loop_now_ns(loop) + seconds_to_ns(scaled_ms(timers[i].ms) / 1e3);
        arm(loop, &timers[i].timer, timers[i].ms, checked_fired, &timers[i]);
    }
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
}
#endif

#if LOOP_STEP >= 3
/* ---- scenario 5: descriptors ----------------------------------------------------------------- */

static int pipe_fds[2];
static struct loop_callback cb_queued_by_writer;

static void say_queued_by_writer(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
    say(WHO, "  the callback queued by the writer");
}

static void on_writable(struct loop *loop, void *arg)
{
    (void)arg;
    if (write(pipe_fds[1], "x", 1) != 1)
        die_errno("write");
    loop_unwatch(loop, pipe_fds[1], LOOP_WRITE);
    say(WHO, "  write end writable: 1 byte written, unwatched; a callback queued");
    loop_call_soon(loop, &cb_queued_by_writer, say_queued_by_writer, NULL);
}

static void on_readable(struct loop *loop, void *arg)
{
    char byte;

    (void)arg;
    if (read(pipe_fds[0], &byte, 1) != 1)
        die_errno("read");
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
    say(WHO, "  read end readable: 1 byte read, unwatched");
}

static void scenario_descriptors(void)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop();

    loop_use_fake_clock(loop, &fake);
    if (pipe(pipe_fds) == -1)
        die_errno("pipe");
    say(WHO, "== scenario 5: a pipe, its read end watched, then its write end");
    if (loop_watch(loop, pipe_fds[0], LOOP_READ, on_readable, NULL) == -1 ||
        loop_watch(loop, pipe_fds[1], LOOP_WRITE, on_writable, NULL) == -1)
        die_errno("loop_watch");
    trace_iterations(loop);
    if (close(pipe_fds[0]) == -1 || close(pipe_fds[1]) == -1)
        die_errno("close");
    loop_free(loop);
}
#endif

#endif
