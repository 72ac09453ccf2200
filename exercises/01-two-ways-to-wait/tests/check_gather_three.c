/*
 * check_gather_three.c: tests of gather_three(): three waits at once, on the loop's fake clock.
 *
 * Chapter 1, exercise gather_three.c. The tests do not only read the results once the loop is
 * done: callbacks of their own, on the same loop and the same clock, look at results[] while the
 * tasks run (a job still waiting must not have written `finished`; one whose wait is over must
 * have), and others hold the thread up for a while, as a slow callback would, so that a time
 * worked out in advance comes out wrong. The clock starts at several values, none of them 0.
 * Compare with chapters/01-two-ways-to-wait/running_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define UNSET (-1.0) /* what a result holds until gather_three writes it */
#define PROBES_MAX (2 * GATHER_JOBS)
#define NS_PER_SEC_F 1e9
#define N(array) (sizeof(array) / sizeof((array)[0]))

/* Where the fake clock starts: only times read from the loop come out right in all of them. */
static const int64_t starts_ns[] = {
    100 * NSEC_PER_SEC,
    INT64_C(12345678901234), /* 12345.678901234 s */
    86400 * NSEC_PER_SEC + 1,
    3 * NSEC_PER_SEC / 2,
};

/* The fake clock stands still while code runs: these move it by hand, as time.sleep() would. */
struct stall {
    struct loop_timer timer;
    struct loop_callback soon;
    struct fake_clock *clock;
    int64_t ns; /* how long the callback keeps the thread */
};

struct run;

/* A callback of the test that looks at results[] while the loop runs. */
struct probe {
    struct loop_timer timer;
    struct run *run;
    int64_t at_ns;
};

/* One call of gather_three, with everything the test's callbacks need. */
struct run {
    const struct timed_job *jobs;
    struct job_result results[GATHER_JOBS];
    struct fake_clock clock;
    struct loop *loop;
    int64_t start_ns; /* the clock when gather_three is called */
    int64_t begin_ns; /* when every task must start: start_ns, plus the first stall if any */
    int64_t end_ns[GATHER_JOBS]; /* when each task must wake */
    int64_t stalled_until_ns;    /* when the later stall ends, if there is one */
    struct stall first, later;   /* stalls: in the loop's first callback, and at a given time */
    struct loop_callback before; /* looks at results[] before any task can have run */
    struct probe probes[PROBES_MAX];
    size_t nprobes, probed;
};

/* A wait as the loop counts it: rounded to whole nanoseconds (clock.h). */
static int64_t wait_ns(double seconds)
{
    return seconds_to_ns(seconds);
}

static double as_seconds(int64_t ns)
{
    return (double)ns / NS_PER_SEC_F;
}

/* True if `seconds` (a time the solution wrote) is `ns` on the loop's clock, to the nanosecond. */
static bool is_time(double seconds, int64_t ns)
{
    double diff = seconds * NS_PER_SEC_F - (double)ns;

    return diff < 0.5 && diff > -0.5;
}

/* True if `seconds` looks like a time of this run: at or after the call, not UNSET or 0. */
static bool written(const struct run *r, double seconds)
{
    return seconds * NS_PER_SEC_F > (double)r->start_ns - 0.5;
}

static void stall_cb(struct loop *loop, void *arg)
{
    struct stall *s = arg;

    (void)loop;
    s->clock->now_ns += s->ns;
}

static void before_cb(struct loop *loop, void *arg)
{
    const struct run *r = arg;

    (void)loop;
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        ck_assert_msg(!written(r, r->results[i].started) && !written(r, r->results[i].finished),
                      "before the loop ran any task, results[%zu] (job %s) already reads started "
                      "%.9f s, finished %.9f s: each task notes the loop's time itself, when the "
                      "loop runs it (gather_three only sets the tasks up and runs them)",
                      i, r->jobs[i].name, r->results[i].started, r->results[i].finished);
    }
}

static void probe_cb(struct loop *loop, void *arg)
{
    struct probe *p = arg;
    struct run *r = p->run;
    int64_t now = loop_now_ns(loop);

    r->probed++;
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        const struct job_result *res = &r->results[i];

        ck_assert_msg(is_time(res->started, r->begin_ns),
                      "at %.9f s, results[%zu] (job %s) reads started %.9f s, expected %.9f s: "
                      "every task starts as soon as the loop runs, before any wait is over",
                      as_seconds(now), i, r->jobs[i].name, res->started, as_seconds(r->begin_ns));
        if (r->end_ns[i] < now)
            ck_assert_msg(is_time(res->finished, r->end_ns[i]),
                          "at %.9f s, job %s has been done since %.9f s, but results[%zu] reads "
                          "finished %.9f s: the task writes it when it wakes from its wait",
                          as_seconds(now), r->jobs[i].name, as_seconds(r->end_ns[i]), i,
                          res->finished);
        else
            ck_assert_msg(!written(r, res->finished),
                          "at %.9f s, job %s still waits (until %.9f s), but results[%zu] already "
                          "reads finished %.9f s: a task writes `finished` when its wait is over, "
                          "it does not work it out in advance",
                          as_seconds(now), r->jobs[i].name, as_seconds(r->end_ns[i]), i,
                          res->finished);
    }
}

static void add_probe(struct run *r, int64_t at_ns)
{
    struct probe *p;
    int rc;

    if (at_ns <= r->begin_ns) /* at the start itself, whether the tasks have run is not a time */
        return;
    ck_assert(r->nprobes < PROBES_MAX);
    p = &r->probes[r->nprobes++];
    p->run = r;
    p->at_ns = at_ns;
    rc = loop_call_later(r->loop, &p->timer, as_seconds(at_ns - r->start_ns), probe_cb, p);
    ck_assert_msg(rc == 0, "loop_call_later failed: %s", strerror(errno));
}

/*
 * Set up a run of `jobs` on a new loop whose clock reads start_ns. first_ns: a stall in the loop's
 * first callback, before the tasks start; later_ns at later_at_ns (after the call): a stall then.
 * With no stall, probes look at the results 1 ns before and 1 ns after every job's wake-up.
 */
static void setup(struct run *r, const struct timed_job jobs[GATHER_JOBS], int64_t start_ns,
                  int64_t first_ns, int64_t later_at_ns, int64_t later_ns)
{
    *r = (struct run){.jobs = jobs, .start_ns = start_ns, .begin_ns = start_ns + first_ns};
    r->clock.now_ns = start_ns;
    r->loop = loop_new();
    ck_assert_msg(r->loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(r->loop, &r->clock);
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        r->results[i] = (struct job_result){.name = NULL, .started = UNSET, .finished = UNSET};
        r->end_ns[i] = r->begin_ns + wait_ns(jobs[i].seconds);
    }
    /* Queued before gather_three: these run before the loop can have run any of its tasks. */
    loop_call_soon(r->loop, &r->before, before_cb, r);
    r->first = (struct stall){.clock = &r->clock, .ns = first_ns};
    if (first_ns > 0)
        loop_call_soon(r->loop, &r->first.soon, stall_cb, &r->first);
    r->later = (struct stall){.clock = &r->clock, .ns = later_ns};
    if (later_ns > 0) {
        int64_t at = start_ns + later_at_ns, until = at + later_ns;
        int rc =
            loop_call_later(r->loop, &r->later.timer, as_seconds(later_at_ns), stall_cb, &r->later);

        ck_assert_msg(rc == 0, "loop_call_later failed: %s", strerror(errno));
        ck_assert(at > r->begin_ns);
        r->stalled_until_ns = until;
        for (size_t i = 0; i < GATHER_JOBS; i++) {
            ck_assert(r->end_ns[i] != at); /* the test's own data: no tie with the stall */
            if (r->end_ns[i] > at && r->end_ns[i] < until)
                r->end_ns[i] = until; /* the thread was busy: the task wakes when it is free */
        }
    } else if (first_ns == 0) {
        for (size_t i = 0; i < GATHER_JOBS; i++) {
            add_probe(r, r->end_ns[i] - 1);
            add_probe(r, r->end_ns[i] + 1);
        }
    }
}

/* Take the probes off the loop, for a test that reads the clock where the tasks left it. */
static void without_probes(struct run *r)
{
    for (size_t i = 0; i < r->nprobes; i++)
        loop_cancel_timer(r->loop, &r->probes[i].timer);
    r->nprobes = 0;
}

/* When the loop's clock stops: at the last wake-up, or when the test's own last timer ends. */
static int64_t run_end(const struct run *r)
{
    int64_t last = r->stalled_until_ns > r->begin_ns ? r->stalled_until_ns : r->begin_ns;

    for (size_t i = 0; i < GATHER_JOBS; i++)
        last = r->end_ns[i] > last ? r->end_ns[i] : last;
    for (size_t i = 0; i < r->nprobes; i++)
        last = r->probes[i].at_ns > last ? r->probes[i].at_ns : last;
    return last;
}

/* Call gather_three; fail unless it succeeded, with every time right and the loop left empty. */
static void finish(struct run *r)
{
    int64_t last = run_end(r), moved;
    int rc;

    errno = 0;
    rc = gather_three(r->loop, r->jobs, r->results);
    ck_assert_msg(rc == 0, "gather_three returned %d (errno %d: %s), expected 0", rc, errno,
                  strerror(errno));
    ck_assert_msg(r->probed == r->nprobes,
                  "only %zu of the test's %zu timers ran: gather_three must run the loop until "
                  "nothing is left on it",
                  r->probed, r->nprobes);
    ck_assert_msg(loop_poll_timeout_ns(r->loop) == -1,
                  "gather_three returned with something still scheduled on the loop: it must "
                  "leave the loop empty, ready for more");
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        const struct job_result *res = &r->results[i];

        ck_assert_msg(res->name != NULL && strcmp(res->name, r->jobs[i].name) == 0,
                      "results[%zu].name is %s, expected \"%s\": results follow the arguments, "
                      "not the order the tasks finish in",
                      i, res->name ? res->name : "NULL", r->jobs[i].name);
        ck_assert_msg(is_time(res->started, r->begin_ns),
                      "results[%zu] (job %s) started at %.9f s, expected %.9f s: all three start "
                      "together, when the loop first runs them, before any wait ends",
                      i, r->jobs[i].name, res->started, as_seconds(r->begin_ns));
        ck_assert_msg(is_time(res->finished, r->end_ns[i]),
                      "results[%zu] (job %s, %.9g s) finished at %.9f s, expected %.9f s: the "
                      "time the loop woke the task, read then",
                      i, r->jobs[i].name, r->jobs[i].seconds, res->finished,
                      as_seconds(r->end_ns[i]));
    }
    moved = loop_now_ns(r->loop) - r->start_ns;
    ck_assert_msg(moved == last - r->start_ns,
                  "the loop's clock moved %.9f s, expected %.9f s (the longest wait, not the sum; "
                  "the test's own timers end 1 ns after the last wake-up)",
                  as_seconds(moved), as_seconds(last - r->start_ns));
    loop_free(r->loop);
}

/* Run the jobs from every start of the clock, with the test's probes, and check everything. */
static void expect_gathered(const struct timed_job jobs[GATHER_JOBS])
{
    for (size_t s = 0; s < N(starts_ns); s++) {
        struct run r;

        setup(&r, jobs, starts_ns[s], 0, 0, 0);
        finish(&r);
    }
}

START_TEST(all_start_together)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};

    for (size_t s = 0; s < N(starts_ns); s++) {
        struct run r;

        setup(&r, jobs, starts_ns[s], 0, 0, 0);
        ck_assert_int_eq(gather_three(r.loop, jobs, r.results), 0);
        for (size_t i = 0; i < GATHER_JOBS; i++)
            ck_assert_msg(is_time(r.results[i].started, r.start_ns),
                          "job %s started at %.9f s, expected %.9f s: all three start together, "
                          "before any wait ends (the clock does not start at 0)",
                          jobs[i].name, r.results[i].started, as_seconds(r.start_ns));
        loop_free(r.loop);
    }
}
END_TEST

START_TEST(each_ends_after_its_own_wait)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};

    expect_gathered(jobs);
}
END_TEST

START_TEST(takes_the_longest_wait_not_the_sum)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};
    struct run r;
    int64_t moved;

    setup(&r, jobs, starts_ns[0], 0, 0, 0);
    without_probes(&r); /* they would keep the clock going 1 ns past the last wake-up */
    ck_assert_int_eq(gather_three(r.loop, jobs, r.results), 0);
    moved = loop_now_ns(r.loop) - r.start_ns;
    ck_assert_msg(moved == 3 * NSEC_PER_SEC,
                  "the loop's clock moved %.3f s, expected 3.000 s (the longest wait; "
                  "6 s would mean one task after the other, 0 s that nobody waited)",
                  as_seconds(moved));
    loop_free(r.loop);
}
END_TEST

START_TEST(results_in_argument_order)
{
    /* They finish c, b, a: results must still read a, b, c. */
    const struct timed_job jobs[] = {{"a", 2.5}, {"b", 1.5}, {"c", 0.5}};

    expect_gathered(jobs);
}
END_TEST

START_TEST(waits_off_the_grid)
{
    const struct timed_job jobs[] = {{"x", 0.3}, {"y", 1.7e-3}, {"z", 2.000001}};
    const struct timed_job more[] = {{"u", 0.25}, {"v", 4}, {"w", 1.75}};

    expect_gathered(jobs);
    expect_gathered(more);
}
END_TEST

START_TEST(waits_less_than_a_millisecond_apart)
{
    /* A microsecond apart, then a nanosecond apart: the probes fall between the wake-ups. */
    const struct timed_job micro[] = {{"p", 2.000001}, {"q", 2}, {"r", 2.0000005}};
    const struct timed_job nano[] = {{"p", 1.7e-3 + 2e-9}, {"q", 1.7e-3}, {"r", 1.7e-3 + 1e-9}};

    expect_gathered(micro);
    expect_gathered(nano);
}
END_TEST

START_TEST(equal_and_zero_waits)
{
    const struct timed_job zero[] = {{"p", 0}, {"q", 0}, {"r", 0}};
    const struct timed_job equal[] = {{"p", 2}, {"q", 2}, {"r", 2}};
    /* 0.4 ns rounds to 0 (a sleep of 0), 0.6 ns to 1 ns: the loop counts whole nanoseconds. */
    const struct timed_job tiny[] = {{"p", 0.4e-9}, {"q", 0.6e-9}, {"r", 0}};

    expect_gathered(zero);
    expect_gathered(equal);
    expect_gathered(tiny);
}
END_TEST

START_TEST(a_late_loop_wakes_the_tasks_late)
{
    /*
     * A callback that keeps the thread for 0.5 s before the tasks start, and another at 1.25 s
     * that keeps it for 1 s: every task starts 0.5 s late, and "b", due at 1.5 s, wakes at
     * 2.25 s. A task notes the time it really started and woke, read from the loop then.
     */
    const struct timed_job jobs[] = {{"a", 2}, {"b", 1}, {"c", 3}};
    /* A sleep of 0 s (or less than half a nanosecond) is still a trip round the loop. */
    const struct timed_job zero[] = {{"a", 1.5}, {"b", 0}, {"c", 0.3e-9}};
    const struct timed_job *const sets[] = {jobs, zero};
    const int64_t half = NSEC_PER_SEC / 2, quarter = NSEC_PER_SEC / 4;

    for (size_t s = 0; s < N(starts_ns); s++) {
        for (size_t j = 0; j < N(sets); j++) {
            struct run r;

            setup(&r, sets[j], starts_ns[s], half, 5 * quarter, NSEC_PER_SEC); /* both stalls */
            finish(&r);
            setup(&r, sets[j], starts_ns[s], half, 0, 0); /* only the first */
            finish(&r);
            setup(&r, sets[j], starts_ns[s], 0, 5 * quarter, NSEC_PER_SEC); /* only the later */
            finish(&r);
        }
    }
}
END_TEST

START_TEST(twice_on_one_loop)
{
    /* The loop is left empty and ready: the second gather starts where the first one ended. */
    const struct timed_job first[] = {{"a", 1}, {"b", 0.3}, {"c", 2}};
    const struct timed_job second[] = {{"d", 0.5}, {"e", 1.5}, {"f", 0.25}};
    struct job_result results[GATHER_JOBS];
    struct run r;
    int64_t begin;

    setup(&r, first, starts_ns[1], 0, 0, 0);
    ck_assert_int_eq(gather_three(r.loop, first, r.results), 0);
    begin = run_end(&r);
    ck_assert_msg(loop_now_ns(r.loop) == begin,
                  "the first gather moved the clock to %.9f s, expected %.9f s", loop_time(r.loop),
                  as_seconds(begin));
    for (size_t i = 0; i < GATHER_JOBS; i++)
        results[i] = (struct job_result){.name = NULL, .started = UNSET, .finished = UNSET};
    ck_assert_int_eq(gather_three(r.loop, second, results), 0);
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        ck_assert_msg(is_time(results[i].started, begin) &&
                          is_time(results[i].finished, begin + wait_ns(second[i].seconds)),
                      "second gather on the same loop: job %s started at %.9f s and finished at "
                      "%.9f s, expected %.9f s and %.9f s",
                      second[i].name, results[i].started, results[i].finished, as_seconds(begin),
                      as_seconds(begin + wait_ns(second[i].seconds)));
    }
    loop_free(r.loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1 exercises");
    TCase *tc = test_case(s, "gather_three");

    tcase_add_test(tc, all_start_together);
    tcase_add_test(tc, each_ends_after_its_own_wait);
    tcase_add_test(tc, takes_the_longest_wait_not_the_sum);
    tcase_add_test(tc, results_in_argument_order);
    tcase_add_test(tc, waits_off_the_grid);
    tcase_add_test(tc, waits_less_than_a_millisecond_apart);
    tcase_add_test(tc, equal_and_zero_waits);
    tcase_add_test(tc, a_late_loop_wakes_the_tasks_late);
    tcase_add_test(tc, twice_on_one_loop);
    return s;
}
