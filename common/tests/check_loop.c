/*
 * check_loop.c: the event loop's rules, one test each (loop.h states them).
 *
 * Timers are tested on a fake clock, so "two seconds later" takes no time; counting tests (as
 * libuv's) record what ran, in what order, and check it after the loop returns.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"
#include "testing.h"

#define MAX_EVENTS 64
#define MANY_TIMERS 100000

/* What ran, in order: each callback appends its argument (a small integer) to the log. */
static int events[MAX_EVENTS];
static int nevents;

static void log_event(int what)
{
    ck_assert_int_lt(nevents, MAX_EVENTS);
    events[nevents++] = what;
}

static void record(struct loop *loop, void *arg)
{
    (void)loop;
    log_event((int)(intptr_t)arg);
}

static void expect_events(const int *expected, int n)
{
    ck_assert_msg(nevents == n, "expected %d callbacks to run, got %d", n, nevents);
    for (int i = 0; i < n; i++)
        ck_assert_msg(events[i] == expected[i], "callback %d: expected %d, got %d", i, expected[i],
                      events[i]);
}

static struct loop *new_loop(struct fake_clock *fake)
{
    struct loop *loop = loop_new();

    ck_assert_ptr_nonnull(loop);
    if (fake != NULL)
        loop_use_fake_clock(loop, fake);
    nevents = 0;
    return loop;
}

#define ARG(n) ((void *)(intptr_t)(n))

/* ---- the ready queue ---- */

START_TEST(ready_callbacks_run_in_scheduling_order)
{
    struct loop *loop = new_loop(NULL);
    struct loop_callback cb[5] = {{0}};
    const int expected[] = {0, 1, 2, 3, 4};

    for (int i = 0; i < 5; i++)
        loop_call_soon(loop, &cb[i], record, ARG(i));
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 5);
    loop_free(loop);
}
END_TEST

static struct loop_callback later_cb;
static int pipe_fds[2];

/* Scheduled from inside a callback: must wait for the next iteration, after a poll. */
static void schedule_later(struct loop *loop, void *arg)
{
    (void)arg;
    log_event(1);
    ck_assert_int_eq(write(pipe_fds[1], "x", 1), 1); /* readable from the next poll on */
    loop_call_soon(loop, &later_cb, record, ARG(2));
}

static void on_readable(struct loop *loop, void *arg)
{
    char c;

    (void)arg;
    ck_assert_int_eq(read(pipe_fds[0], &c, 1), 1);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
    log_event(3);
}

/* Read the byte, stop watching, and log the callback's argument. */
static void on_readable_arg(struct loop *loop, void *arg)
{
    char c;

    ck_assert_int_eq(read(pipe_fds[0], &c, 1), 1);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
    log_event((int)(intptr_t)arg);
}

START_TEST(callback_scheduled_while_running_waits_for_next_iteration)
{
    struct loop *loop = new_loop(NULL);
    struct loop_callback first = {0};
    const int after_first[] = {1}, after_second[] = {1, 2, 3};

    ck_assert_int_eq(pipe(pipe_fds), 0);
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, on_readable, NULL), 0);
    loop_call_soon(loop, &first, schedule_later, NULL);

    ck_assert_int_eq(loop_run_once(loop), 1);
    expect_events(after_first, 1); /* the one it scheduled did not run in the same pass */

    /* Next iteration: the poll sees the pipe, then the queued callback runs, then the pipe's. */
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_events(after_second, 3);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    loop_free(loop);
}
END_TEST

START_TEST(cancelled_callback_does_not_run)
{
    struct loop *loop = new_loop(NULL);
    struct loop_callback a = {0}, b = {0};
    const int expected[] = {2};

    loop_call_soon(loop, &a, record, ARG(1));
    loop_call_soon(loop, &b, record, ARG(2));
    ck_assert(loop_cancel_soon(loop, &a));
    ck_assert(!loop_cancel_soon(loop, &a)); /* a second cancel is harmless */
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 1);
    loop_free(loop);
}
END_TEST

static struct loop_callback snap_a, snap_b, snap_c, snap_d, snap_e;

static void a_queues_e(struct loop *loop, void *arg)
{
    log_event((int)(intptr_t)arg);
    loop_call_soon(loop, &snap_e, record, ARG(5));
}

static void b_cancels_d(struct loop *loop, void *arg)
{
    log_event((int)(intptr_t)arg);
    ck_assert(loop_cancel_soon(loop, &snap_d));
}

START_TEST(cancelling_a_queued_callback_lets_no_newcomer_in)
{
    struct loop *loop = new_loop(NULL);
    const int first[] = {1, 2, 3}, both[] = {1, 2, 3, 5};

    memset(&snap_e, 0, sizeof snap_e);
    memset(&snap_d, 0, sizeof snap_d);
    loop_call_soon(loop, &snap_a, a_queues_e, ARG(1));
    loop_call_soon(loop, &snap_b, b_cancels_d, ARG(2));
    loop_call_soon(loop, &snap_c, record, ARG(3));
    loop_call_soon(loop, &snap_d, record, ARG(4));
    /* Four were queued, one of them cancelled: E, queued during this pass, must still wait. */
    ck_assert_int_eq(loop_run_once(loop), 1);
    expect_events(first, 3);
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_events(both, 4);
    loop_free(loop);
}
END_TEST

/* ---- timers ---- */

START_TEST(equal_deadlines_fire_in_scheduling_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer t[6] = {{0}};
    const int expected[] = {5, 0, 2, 4, 1, 3}; /* the 0.5 s one first, then 1 s ones in order */

    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(loop_call_later(loop, &t[i], 1.0, record, ARG(i)), 0);
    ck_assert_int_eq(loop_call_later(loop, &t[5], 0.5, record, ARG(5)), 0);
    /* Reorder the 1 s ones: cancel and re-arm 1 and 3, which puts them last, in that order. */
    ck_assert(loop_cancel_timer(loop, &t[1]));
    ck_assert(loop_cancel_timer(loop, &t[3]));
    ck_assert_int_eq(loop_call_later(loop, &t[1], 1.0, record, ARG(1)), 0);
    ck_assert_int_eq(loop_call_later(loop, &t[3], 1.0, record, ARG(3)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 6);
    ck_assert_int_eq(fake.now_ns, NSEC_PER_SEC); /* virtual time stopped at the last deadline */
    loop_free(loop);
}
END_TEST

static struct loop_timer victim;

static void cancel_victim(struct loop *loop, void *arg)
{
    (void)arg;
    log_event(1);
    ck_assert(loop_cancel_timer(loop, &victim));
}

START_TEST(cancelled_timer_never_fires)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer early = {0}, cancelled = {0};
    const int expected[] = {1};

    /* Cancelled before the loop runs. */
    ck_assert_int_eq(loop_call_later(loop, &cancelled, 1.0, record, ARG(9)), 0);
    ck_assert(loop_timer_pending(&cancelled));
    ck_assert(loop_cancel_timer(loop, &cancelled));
    ck_assert(!loop_timer_pending(&cancelled));
    /* Cancelled by a timer due at the same moment, in the same timers phase. */
    memset(&victim, 0, sizeof victim);
    ck_assert_int_eq(loop_call_later(loop, &early, 2.0, cancel_victim, NULL), 0);
    ck_assert_int_eq(loop_call_later(loop, &victim, 2.0, record, ARG(8)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 1);
    loop_free(loop);
}
END_TEST

START_TEST(arming_a_pending_timer_is_refused)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer t = {0};

    ck_assert_int_eq(loop_call_later(loop, &t, 1.0, record, ARG(1)), 0);
    errno = 0;
    ck_assert_int_eq(loop_call_later(loop, &t, 2.0, record, ARG(2)), -1);
    ck_assert_int_eq(errno, EBUSY);
    loop_free(loop);
}
END_TEST

static int64_t last_deadline;
static uint64_t last_seq;
static int fired;
static struct loop_timer *base; /* the array of timers the test armed */
static int64_t *deadline_of;    /* their deadlines, by index: the loop keeps them in its heap */

static void check_order(struct loop *loop, void *arg)
{
    struct loop_timer *t = arg;
    int64_t deadline = deadline_of[t - base];

    ck_assert_msg(deadline > last_deadline || (deadline == last_deadline && t->seq > last_seq),
                  "timer %d fired out of order", fired);
    ck_assert_int_eq(loop_now_ns(loop), deadline); /* the fake clock jumped exactly to it */
    last_deadline = deadline;
    last_seq = t->seq;
    fired++;
}

/* Arm timers[i] `seconds` from the fake clock's 0, noting its deadline for check_order. */
static void arm(struct loop *loop, struct loop_timer *timers, int i, double seconds)
{
    base = timers;
    deadline_of[i] = seconds_to_ns(seconds);
    ck_assert_int_eq(loop_call_later(loop, &timers[i], seconds, check_order, &timers[i]), 0);
}

START_TEST(many_timers_fire_in_deadline_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer *timers = calloc(MANY_TIMERS, sizeof *timers);
    uint32_t x = 12345; /* a fixed pseudo-random sequence: the same run every time */

    deadline_of = calloc(MANY_TIMERS, sizeof *deadline_of);
    ck_assert_ptr_nonnull(timers);
    ck_assert_ptr_nonnull(deadline_of);
    last_deadline = -1;
    fired = 0;
    for (int i = 0; i < MANY_TIMERS; i++) {
        x = x * 1103515245u + 12345u;
        /* Milliseconds from 0 to 999: many equal deadlines, so the FIFO tie-break is exercised. */
        arm(loop, timers, i, (double)(x >> 16 & 1023) / 1024.0);
    }
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(fired, MANY_TIMERS);
    free(deadline_of);
    free(timers);
    loop_free(loop);
}
END_TEST

#define CANCEL_TIMERS 20000

START_TEST(cancelling_arbitrary_timers_keeps_the_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer *timers = calloc(CANCEL_TIMERS, sizeof *timers);
    uint32_t x = 777;
    int kept = 0;

    deadline_of = calloc(CANCEL_TIMERS, sizeof *deadline_of);
    ck_assert_ptr_nonnull(timers);
    ck_assert_ptr_nonnull(deadline_of);
    last_deadline = -1;
    fired = 0;
    for (int i = 0; i < CANCEL_TIMERS; i++) {
        x = x * 1103515245u + 12345u;
        /* Deadlines in whole ms from 0 to 4095 ms: ties, and entries moving both up and down. */
        arm(loop, timers, i, (double)(x >> 16 & 4095) / 1000.0);
    }
    /* Take out entries from everywhere in the heap (the root, leaves, the middle), then re-arm
     * some of them: each removal fills its hole with the last entry, which may have to go up. */
    for (int i = 0; i < CANCEL_TIMERS; i++) {
        x = x * 1103515245u + 12345u;
        if (x >> 16 & 1) {
            ck_assert(loop_cancel_timer(loop, &timers[i]));
            ck_assert(!loop_timer_pending(&timers[i]));
        }
    }
    for (int i = 0; i < CANCEL_TIMERS; i += 7) {
        if (!loop_timer_pending(&timers[i]))
            arm(loop, timers, i, 2.0);
    }
    for (int i = 0; i < CANCEL_TIMERS; i++)
        kept += loop_timer_pending(&timers[i]);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(fired, kept); /* every pending timer fired once, in order; no cancelled one */
    free(deadline_of);
    free(timers);
    loop_free(loop);
}
END_TEST

static struct loop_timer rearmed;
static int rearm_count;

static void rearm_now(struct loop *loop, void *arg)
{
    (void)arg;
    if (++rearm_count < 3)
        ck_assert_int_eq(loop_call_later(loop, &rearmed, 0, rearm_now, NULL), 0);
}

START_TEST(timer_rearmed_for_now_waits_for_next_iteration)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);

    memset(&rearmed, 0, sizeof rearmed);
    rearm_count = 0;
    ck_assert_int_eq(loop_call_later(loop, &rearmed, 0, rearm_now, NULL), 0);
    ck_assert_int_eq(loop_run_once(loop), 1); /* must return, not spin on a 0 s timer */
    ck_assert_int_eq(rearm_count, 1);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(rearm_count, 3);
    loop_free(loop);
}
END_TEST

/* ---- the poll timeout ---- */

START_TEST(poll_timeout_follows_the_rule)
{
    struct fake_clock fake = {.now_ns = 5 * NSEC_PER_SEC};
    struct loop *loop = new_loop(&fake);
    struct loop_timer t = {0};
    struct loop_callback cb = {0};

    ck_assert_int_eq(loop_poll_timeout_ns(loop), -1); /* nothing at all: forever */
    ck_assert_int_eq(loop_watch(loop, STDIN_FILENO, LOOP_READ, record, NULL), 0);
    ck_assert_int_eq(loop_poll_timeout_ns(loop), -1); /* only a descriptor: forever */
    ck_assert_int_eq(loop_call_later(loop, &t, 1.5, record, NULL), 0);
    ck_assert_int_eq(loop_poll_timeout_ns(loop), 1500000000); /* the time to the next deadline */
    fake.now_ns += NSEC_PER_SEC;
    ck_assert_int_eq(loop_poll_timeout_ns(loop), 500000000);
    fake.now_ns += NSEC_PER_SEC;
    ck_assert_int_eq(loop_poll_timeout_ns(loop), 0); /* overdue: do not block */
    fake.now_ns -= 2 * NSEC_PER_SEC;
    loop_call_soon(loop, &cb, record, NULL);
    ck_assert_int_eq(loop_poll_timeout_ns(loop), 0); /* a ready callback: do not block */
    loop_unwatch(loop, STDIN_FILENO, LOOP_READ);
    loop_free(loop);
}
END_TEST

START_TEST(run_returns_when_nothing_is_left)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer t = {0};

    ck_assert_int_eq(loop_run(loop), 0);      /* empty: returns at once */
    ck_assert_int_eq(loop_run_once(loop), 0); /* and so does one iteration: no poll forever */
    ck_assert_int_eq(loop_call_later(loop, &t, 3.0, record, ARG(1)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(fake.now_ns, 3 * NSEC_PER_SEC);
    loop_free(loop);
}
END_TEST

START_TEST(fake_clock_takes_no_real_time)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_timer t = {0};
    int64_t start = clock_now_ns();

    ck_assert_int_eq(loop_call_later(loop, &t, 3600.0, record, ARG(1)), 0); /* an hour */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(nevents, 1);
    ck_assert(loop_time(loop) == 3600.0);
    ck_assert_msg(clock_now_ns() - start < NSEC_PER_SEC, "a fake hour took real time");
    loop_free(loop);
}
END_TEST

START_TEST(real_clock_timer_waits_its_delay)
{
    struct loop *loop = new_loop(NULL);
    struct loop_timer t = {0};
    int64_t start = clock_now_ns();

    ck_assert_int_eq(loop_call_later(loop, &t, 0.05, record, ARG(1)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(nevents, 1);
    /* Never early: select()'s timeout is rounded up, and a timer runs only once due. */
    ck_assert_int_ge(clock_now_ns() - start, 50000000);
    loop_free(loop);
}
END_TEST

static void stop_loop(struct loop *loop, void *arg)
{
    log_event((int)(intptr_t)arg);
    loop_stop(loop);
}

START_TEST(stop_returns_after_the_current_iteration)
{
    struct fake_clock fake = {0};
    struct loop *loop = new_loop(&fake);
    struct loop_callback a = {0}, b = {0};
    struct loop_timer later = {0};
    const int expected[] = {1, 2};

    loop_call_soon(loop, &a, stop_loop, ARG(1));
    loop_call_soon(loop, &b, record, ARG(2)); /* same iteration: still runs */
    ck_assert_int_eq(loop_call_later(loop, &later, 1.0, record, ARG(3)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 2);
    ck_assert(loop_timer_pending(&later)); /* left for a later loop_run */
    loop_free(loop);
}
END_TEST

/* ---- descriptors ---- */

START_TEST(descriptor_at_or_above_fd_setsize_is_refused)
{
    struct loop *loop = new_loop(NULL);

    errno = 0;
    ck_assert_int_eq(loop_watch(loop, FD_SETSIZE, LOOP_READ, record, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(loop_watch(loop, FD_SETSIZE + 100, LOOP_WRITE, record, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(loop_watch(loop, -1, LOOP_READ, record, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(loop_run(loop), 0); /* nothing was watched: nothing to wait for */
    loop_free(loop);
}
END_TEST

START_TEST(highest_descriptor_below_fd_setsize_works)
{
    struct loop *loop = new_loop(NULL);
    int fds[2], high = FD_SETSIZE - 1;

    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_msg(dup2(fds[0], high) == high, "dup2 to %d failed (ulimit -n too low?)", high);
    pipe_fds[0] = high;
    pipe_fds[1] = fds[1];
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(loop_watch(loop, high, LOOP_READ, on_readable, NULL), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(nevents, 1);
    close(high);
    close(fds[0]);
    close(fds[1]);
    loop_free(loop);
}
END_TEST

static int other_fds[2];

static void unwatch_the_other(struct loop *loop, void *arg)
{
    (void)arg;
    log_event(1);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
    loop_unwatch(loop, other_fds[0], LOOP_READ);
}

START_TEST(unwatch_drops_a_readiness_already_queued)
{
    struct loop *loop = new_loop(NULL);
    const int expected[] = {1};

    ck_assert_int_eq(pipe(pipe_fds), 0);
    ck_assert_int_eq(pipe(other_fds), 0);
    ck_assert_int_eq(write(pipe_fds[1], "x", 1), 1);
    ck_assert_int_eq(write(other_fds[1], "x", 1), 1);
    /* Both are readable in the same poll; the first callback unwatches the second. */
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, unwatch_the_other, NULL), 0);
    ck_assert_int_eq(loop_watch(loop, other_fds[0], LOOP_READ, record, ARG(2)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 1);
    for (int i = 0; i < 2; i++) {
        close(pipe_fds[i]);
        close(other_fds[i]);
    }
    loop_free(loop);
}
END_TEST

/* ---- the watcher table grows on demand ---- */

#define MANY_FDS 600 /* more than the table's first size (64), fewer than FD_SETSIZE */

static int runs_per_fd[FD_SETSIZE];

static void count_fd(struct loop *loop, void *arg)
{
    int fd = (int)(intptr_t)arg;

    (void)loop;
    ck_assert_int_lt(fd, FD_SETSIZE);
    runs_per_fd[fd]++;
}

START_TEST(many_descriptors_are_watched_and_reported_in_one_poll)
{
    struct loop *loop = new_loop(NULL);
    int fds[2], dups[MANY_FDS];

    memset(runs_per_fd, 0, sizeof runs_per_fd);
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    /* dup() returns the lowest free descriptor: values climb one by one, and every time they pass
     * the table's size it grows. All of them are readable: they share one pipe with data in it. */
    for (int i = 0; i < MANY_FDS; i++) {
        dups[i] = dup(fds[0]);
        ck_assert_msg(dups[i] >= 0 && dups[i] < FD_SETSIZE, "dup: %s (ulimit -n too low?)",
                      strerror(errno));
        ck_assert_int_eq(loop_watch(loop, dups[i], LOOP_READ, count_fd, ARG(dups[i])), 0);
    }
    /* One iteration: one poll must report all of them, so each callback runs exactly once. */
    ck_assert_int_eq(loop_run_once(loop), 1);
    for (int i = 0; i < MANY_FDS; i++)
        ck_assert_msg(runs_per_fd[dups[i]] == 1, "descriptor %d (watch number %d): %d runs",
                      dups[i], i + 1, runs_per_fd[dups[i]]);
    for (int i = 0; i < MANY_FDS; i++) {
        loop_unwatch(loop, dups[i], LOOP_READ);
        close(dups[i]);
    }
    ck_assert_int_eq(loop_run(loop), 0); /* nothing left to wait for */
    close(fds[0]);
    close(fds[1]);
    loop_free(loop);
}
END_TEST

static int high_fd;

/* Runs first: watch a descriptor far above the others, which makes the table grow. */
static void watch_a_high_one(struct loop *loop, void *arg)
{
    (void)arg;
    log_event(1);
    ck_assert_int_eq(loop_watch(loop, high_fd, LOOP_READ, record, ARG(3)), 0);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
}

static void then_unwatch(struct loop *loop, void *arg)
{
    log_event((int)(intptr_t)arg);
    loop_unwatch(loop, other_fds[0], LOOP_READ);
    loop_unwatch(loop, high_fd, LOOP_READ);
}

START_TEST(growing_the_table_keeps_a_readiness_already_queued)
{
    struct loop *loop = new_loop(NULL);
    const int expected[] = {1, 2};

    high_fd = FD_SETSIZE - 1;
    ck_assert_int_eq(pipe(pipe_fds), 0);
    ck_assert_int_eq(pipe(other_fds), 0);
    ck_assert_msg(dup2(pipe_fds[0], high_fd) == high_fd, "dup2 to %d failed", high_fd);
    ck_assert_int_eq(write(pipe_fds[1], "x", 1), 1);
    ck_assert_int_eq(write(other_fds[1], "x", 1), 1);
    /* Both readable in the same poll; the first callback grows the table while the second one's
     * readiness waits in the ready queue, linked through its watcher: it must still run. */
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, watch_a_high_one, NULL), 0);
    ck_assert_int_eq(loop_watch(loop, other_fds[0], LOOP_READ, then_unwatch, ARG(2)), 0);
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_events(expected, 2);
    close(high_fd);
    for (int i = 0; i < 2; i++) {
        close(pipe_fds[i]);
        close(other_fds[i]);
    }
    loop_free(loop);
}
END_TEST

START_TEST(a_descriptor_can_be_watched_again_after_unwatch)
{
    struct loop *loop = new_loop(NULL);
    const int expected[] = {7};

    ck_assert_int_eq(pipe(pipe_fds), 0);
    ck_assert_int_eq(write(pipe_fds[1], "x", 1), 1);
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, record, ARG(6)), 0);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ);
    loop_unwatch(loop, pipe_fds[0], LOOP_READ); /* a second unwatch is harmless */
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, on_readable_arg, ARG(7)), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    expect_events(expected, 1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    loop_free(loop);
}
END_TEST

static volatile sig_atomic_t alarms;
static int alarm_pipe;

/* Interrupt select() a few times, then make the pipe readable so the loop can finish. */
static void on_alarm(int sig)
{
    (void)sig;
    if (alarms == 5)
        return; /* one more may already be pending when the 5th turns the timer off */
    if (++alarms == 5) {
        struct itimerval off = {{0, 0}, {0, 0}};

        setitimer(ITIMER_REAL, &off, NULL);
        (void)!write(alarm_pipe, "x", 1);
    }
}

START_TEST(interrupted_poll_is_retried)
{
    struct loop *loop;
    struct sigaction sa;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}};

    /* ThreadSanitizer handles signals itself and holds them back around select(), so what this
     * test exercises does not happen under it; the other builds run it. */
    if (test_sanitized("thread")) {
        test_skip("interrupted_poll_is_retried: ThreadSanitizer holds signals back");
        return;
    }
    loop = new_loop(NULL);

    ck_assert_int_eq(pipe(pipe_fds), 0);
    alarm_pipe = pipe_fds[1];
    alarms = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: select() fails with EINTR */
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
    ck_assert_int_eq(loop_watch(loop, pipe_fds[0], LOOP_READ, on_readable, NULL), 0);
    ck_assert_int_eq(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
    /* Blocked in select(), the loop is interrupted by the first alarms. */
    ck_assert_msg(loop_run(loop) == 0, "loop_run gave up: %s", strerror(errno));
    ck_assert_int_eq(alarms, 5);
    ck_assert_int_eq(nevents, 1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("loop");
    TCase *tc = test_case(s, "loop");

    tcase_add_test(tc, ready_callbacks_run_in_scheduling_order);
    tcase_add_test(tc, callback_scheduled_while_running_waits_for_next_iteration);
    tcase_add_test(tc, cancelled_callback_does_not_run);
    tcase_add_test(tc, cancelling_a_queued_callback_lets_no_newcomer_in);
    tcase_add_test(tc, equal_deadlines_fire_in_scheduling_order);
    tcase_add_test(tc, cancelled_timer_never_fires);
    tcase_add_test(tc, arming_a_pending_timer_is_refused);
    tcase_add_test(tc, many_timers_fire_in_deadline_order);
    tcase_add_test(tc, cancelling_arbitrary_timers_keeps_the_order);
    tcase_add_test(tc, timer_rearmed_for_now_waits_for_next_iteration);
    tcase_add_test(tc, poll_timeout_follows_the_rule);
    tcase_add_test(tc, run_returns_when_nothing_is_left);
    tcase_add_test(tc, fake_clock_takes_no_real_time);
    tcase_add_test(tc, real_clock_timer_waits_its_delay);
    tcase_add_test(tc, stop_returns_after_the_current_iteration);
    tcase_add_test(tc, descriptor_at_or_above_fd_setsize_is_refused);
    tcase_add_test(tc, highest_descriptor_below_fd_setsize_works);
    tcase_add_test(tc, unwatch_drops_a_readiness_already_queued);
    tcase_add_test(tc, many_descriptors_are_watched_and_reported_in_one_poll);
    tcase_add_test(tc, growing_the_table_keeps_a_readiness_already_queued);
    tcase_add_test(tc, a_descriptor_can_be_watched_again_after_unwatch);
    tcase_add_test(tc, interrupted_poll_is_retried);
    return s;
}
