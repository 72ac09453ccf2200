/*
 * check_poll_timeout.c: tests of poll_timeout_ms(), against common/'s loop and a loop that uses it.
 *
 * Chapter 8, exercise poll_timeout.c. The loop of common/ computes the same rule in ns
 * (loop_poll_timeout_ns); the tests build real loop states on a fake clock and compare. Then they
 * run a small loop that waits with the timeout it gets: rounding down makes it wake before the
 * deadline, find nothing due, and poll again without waiting, over and over: it spins.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdint.h>

#include "clock.h"
#include "exercises.h"
#include "loop.h"
#include "testing.h"

#define NS_PER_MS INT64_C(1000000)
#define MAX_POLLS 10 /* a loop that polls this often for one timer is spinning */

static int timeout_of(size_t ready, size_t timers, int64_t earliest, int64_t now)
{
    struct poll_state s = {
        .ready = ready, .timers = timers, .earliest_ns = earliest, .now_ns = now};

    return poll_timeout_ms(&s);
}

START_TEST(a_ready_callback_means_do_not_wait)
{
    ck_assert_int_eq(timeout_of(1, 0, 0, 0), 0);
    ck_assert_int_eq(timeout_of(3, 2, 5 * NSEC_PER_SEC, 0), 0); /* even with a timer far away */
    ck_assert_int_eq(timeout_of(1, 1, -NSEC_PER_SEC, 0), 0);
}
END_TEST

START_TEST(no_timer_means_wait_as_long_as_it_takes)
{
    ck_assert_int_eq(timeout_of(0, 0, 0, 0), -1);
    ck_assert_int_eq(timeout_of(0, 0, 123, 456), -1); /* earliest_ns means nothing then */
}
END_TEST

START_TEST(the_time_to_the_earliest_timer_rounded_up)
{
    const int64_t now = 7 * NSEC_PER_SEC;

    ck_assert_int_eq(timeout_of(0, 1, now + 250 * NS_PER_MS, now), 250);
    ck_assert_int_eq(timeout_of(0, 1, now + NS_PER_MS, now), 1);
    ck_assert_int_eq(timeout_of(0, 1, now + NS_PER_MS + 1, now), 2);     /* up, not down */
    ck_assert_int_eq(timeout_of(0, 1, now + 1, now), 1);                 /* 1 ns is 1 ms */
    ck_assert_int_eq(timeout_of(0, 1, now + NS_PER_MS / 2 - 1, now), 1); /* up, not nearest */
    ck_assert_int_eq(timeout_of(0, 1, now + 1999999, now), 2);
    ck_assert_int_eq(timeout_of(0, 4, 1500 * NS_PER_MS + 1, 0), 1501);
}
END_TEST

START_TEST(a_timer_due_or_late_means_do_not_wait)
{
    ck_assert_int_eq(timeout_of(0, 1, 100, 100), 0);
    ck_assert_int_eq(timeout_of(0, 1, 100, 101), 0); /* never negative: -1 means forever */
    ck_assert_int_eq(timeout_of(0, 1, 0, 3 * NSEC_PER_SEC), 0);
    ck_assert_int_eq(timeout_of(0, 1, -(INT64_C(1) << 61), INT64_C(1) << 61), 0);
}
END_TEST

START_TEST(a_far_timer_is_capped_at_int_max)
{
    /* 2^31 ms is about 24.9 days: an int cannot say more. */
    ck_assert_int_eq(timeout_of(0, 1, (int64_t)INT_MAX * NS_PER_MS, 0), INT_MAX);
    ck_assert_int_eq(timeout_of(0, 1, ((int64_t)INT_MAX + 1) * NS_PER_MS, 0), INT_MAX);
    ck_assert_int_eq(timeout_of(0, 1, 40 * 86400 * NSEC_PER_SEC, 0), INT_MAX); /* 40 days */
    ck_assert_int_eq(timeout_of(0, 1, INT64_C(1) << 61, -(INT64_C(1) << 61)), INT_MAX);
}
END_TEST

/* ---- against common/'s loop ---- */

static void nothing(struct loop *loop, void *arg)
{
    (void)loop, (void)arg;
}

/* What common/'s rule says, in ms, rounded up. */
static int64_t loop_rule_ms(const struct loop *loop)
{
    int64_t ns = loop_poll_timeout_ns(loop);

    return ns <= 0 ? ns : (ns + NS_PER_MS - 1) / NS_PER_MS;
}

START_TEST(agrees_with_common_loop)
{
    static const double delays[] = {2.5, 0.0001, 1, 0.75, 0.000001, 3.0000004};
    struct fake_clock fake = {.now_ns = 42 * NSEC_PER_SEC + 123};
    struct loop *loop = loop_new();
    struct loop_timer timers[sizeof delays / sizeof delays[0]] = {{0}};
    int64_t deadlines[sizeof delays / sizeof delays[0]]; /* the loop keeps them in its heap */
    struct loop_callback cb = {0};
    size_t armed = 0;

    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, &fake);
    for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
        int64_t earliest = INT64_MAX;

        deadlines[i] = fake.now_ns + seconds_to_ns(delays[i]);
        ck_assert_int_eq(loop_call_later(loop, &timers[i], delays[i], nothing, NULL), 0);
        armed++;
        for (size_t k = 0; k < armed; k++)
            earliest = deadlines[k] < earliest ? deadlines[k] : earliest;
        /* Step the clock towards the earliest timer and past it, comparing at every step. */
        for (int64_t step = 0; step < 4; step++) {
            int64_t now = fake.now_ns;

            ck_assert_msg(timeout_of(0, armed, earliest, now) == loop_rule_ms(loop),
                          "%zu timers, earliest in %lld ns: you say %d ms, the loop %lld ms", armed,
                          (long long)(earliest - now), timeout_of(0, armed, earliest, now),
                          (long long)loop_rule_ms(loop));
            fake.now_ns += (earliest - now) / 2 + 1;
        }
        loop_call_soon(loop, &cb, nothing, NULL);
        ck_assert_int_eq(timeout_of(1, armed, earliest, fake.now_ns), loop_rule_ms(loop));
        ck_assert(loop_cancel_soon(loop, &cb));
        fake.now_ns = 42 * NSEC_PER_SEC + 123;
    }
    loop_free(loop);
}
END_TEST

/* ---- a loop that waits with your timeout ---- */

/* Poll as a loop would, the clock moving by exactly the timeout, until the timer is due.
 * Returns how many polls that took (MAX_POLLS + 1 if it gave up: spinning). */
static int polls_until_due(int64_t deadline)
{
    int64_t now = 0;
    int polls = 0;

    while (now < deadline && polls <= MAX_POLLS) {
        int ms = timeout_of(0, 1, deadline, now);

        ck_assert_msg(ms >= 0, "%lld ns before the deadline you said %d: wait forever?",
                      (long long)(deadline - now), ms);
        now += ms * NS_PER_MS; /* poll() never returns early; say it returns right on time */
        polls++;
    }
    return polls;
}

START_TEST(one_poll_per_timer_no_spinning)
{
    static const int64_t deadlines[] = {1, 999999, NS_PER_MS, 2500000, 1000000001, 7 * NS_PER_MS};

    for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
        int polls = polls_until_due(deadlines[i]);

        ck_assert_msg(polls == 1,
                      "a timer %lld ns away took %d polls%s: each early wake-up finds nothing due "
                      "and polls again",
                      (long long)deadlines[i], polls, polls > MAX_POLLS ? " (and spun)" : "");
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 8 exercises");
    TCase *tc = test_case(s, "poll_timeout");

    tcase_add_test(tc, a_ready_callback_means_do_not_wait);
    tcase_add_test(tc, no_timer_means_wait_as_long_as_it_takes);
    tcase_add_test(tc, the_time_to_the_earliest_timer_rounded_up);
    tcase_add_test(tc, a_timer_due_or_late_means_do_not_wait);
    tcase_add_test(tc, a_far_timer_is_capped_at_int_max);
    tcase_add_test(tc, agrees_with_common_loop);
    tcase_add_test(tc, one_poll_per_timer_no_spinning);
    return s;
}
