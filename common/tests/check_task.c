/*
 * check_task.c: tasks on the loop (task.h): start order, sleeping, gather, results, a 0 s
 * TASK_SLEEP. Every test runs on a fake clock, so the times asserted are exact.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "task.h"
#include "testing.h"

#define MAX_LOG 32

static const char *trace[MAX_LOG];
static double trace_at[MAX_LOG];
static int ntrace;

static void note(struct loop *loop, const char *what)
{
    ck_assert_int_lt(ntrace, MAX_LOG);
    trace_at[ntrace] = loop_time(loop);
    trace[ntrace++] = what;
}

static void expect_trace(const char *const expected[], const double at[], int n)
{
    ck_assert_msg(ntrace == n, "expected %d steps, got %d", n, ntrace);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(strcmp(trace[i], expected[i]) == 0, "step %d: expected '%s', got '%s'", i,
                      expected[i], trace[i]);
        if (at != NULL)
            ck_assert_msg(trace_at[i] == at[i], "'%s' at %.3f s, expected %.3f s", trace[i],
                          trace_at[i], at[i]);
    }
}

struct sleeper {
    struct task task;
    double seconds;
    const char *started, *finished;
};

static enum task_state sleeper(struct task *t)
{
    struct sleeper *s = (struct sleeper *)t;

    TASK_BEGIN(t);
    note(t->loop, s->started);
    TASK_SLEEP(t, s->seconds);
    note(t->loop, s->finished);
    TASK_RETURN(t, (void *)s->finished);
    TASK_END(t);
}

static struct loop *fake_loop(struct fake_clock *fake)
{
    struct loop *loop = loop_new();

    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, fake);
    ntrace = 0;
    return loop;
}

START_TEST(gathered_tasks_overlap_their_waits)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper one = {.seconds = 2, .started = "1 started", .finished = "1 finished"};
    struct sleeper two = {.seconds = 1, .started = "2 started", .finished = "2 finished"};
    struct task *const both[] = {&one.task, &two.task};
    const char *const expected[] = {"1 started", "2 started", "2 finished", "1 finished"};
    const double at[] = {0, 0, 1, 2};

    task_init(&one.task, "one", sleeper);
    task_init(&two.task, "two", sleeper);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    expect_trace(expected, at, 4);
    /* Results in argument order, although two finished first. */
    ck_assert_str_eq(one.task.result, "1 finished");
    ck_assert_str_eq(two.task.result, "2 finished");
    ck_assert(task_done(&one.task) && task_done(&two.task));
    loop_free(loop);
}
END_TEST

/* A parent that gathers two children itself, then returns how many it gathered. */
struct parent {
    struct task task;
    struct sleeper kids[2];
    struct task *list[2];
};

static enum task_state parent(struct task *t)
{
    struct parent *p = (struct parent *)t;

    TASK_BEGIN(t);
    note(t->loop, "parent begins");
    TASK_GATHER(t, p->list, 2);
    note(t->loop, "parent goes on");
    TASK_RETURN(t, (void *)(intptr_t)2);
    TASK_END(t);
}

START_TEST(gather_inside_a_task_waits_for_all)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct parent p = {.kids = {{.seconds = 3, .started = "a", .finished = "a done"},
                                {.seconds = 1, .started = "b", .finished = "b done"}}};
    const char *const expected[] = {"parent begins", "a",      "b",
                                    "b done",        "a done", "parent goes on"};
    const double at[] = {0, 0, 0, 1, 3, 3};

    for (int i = 0; i < 2; i++) {
        task_init(&p.kids[i].task, "kid", sleeper);
        p.list[i] = &p.kids[i].task;
    }
    task_init(&p.task, "parent", parent);
    ck_assert_int_eq(task_run(loop, &p.task), 0);
    expect_trace(expected, at, 6);
    ck_assert_int_eq((intptr_t)p.task.result, 2);
    loop_free(loop);
}
END_TEST

START_TEST(gathering_finished_tasks_goes_straight_on)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper s = {.seconds = 1, .started = "s", .finished = "s done"};
    struct task *const one[] = {&s.task};

    task_init(&s.task, "s", sleeper);
    ck_assert_int_eq(task_run(loop, &s.task), 0);
    ck_assert_int_eq(task_run_all(loop, one, 1), 0); /* already done: nothing to wait for */
    ck_assert_int_eq(ntrace, 2);
    loop_free(loop);
}
END_TEST

/* Two tasks that each yield with TASK_SLEEP(t, 0) three times: they must alternate. */
static enum task_state yielder(struct task *t)
{
    TASK_BEGIN(t);
    note(t->loop, t->name);
    TASK_SLEEP(t, 0);
    note(t->loop, t->name);
    TASK_SLEEP(t, 0);
    note(t->loop, t->name);
    TASK_END(t);
}

START_TEST(sleep_zero_is_one_trip_round_the_loop)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct task a, b;
    struct task *const both[] = {&a, &b};
    const char *const expected[] = {"A", "B", "A", "B", "A", "B"};

    task_init(&a, "A", yielder);
    task_init(&b, "B", yielder);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    expect_trace(expected, NULL, 6);
    ck_assert(loop_time(loop) == 0); /* no time passed */
    loop_free(loop);
}
END_TEST

START_TEST(tasks_start_in_order_on_a_later_iteration)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper s[3] = {{.seconds = 1, .started = "first", .finished = "x"},
                           {.seconds = 1, .started = "second", .finished = "y"},
                           {.seconds = 1, .started = "third", .finished = "z"}};
    const char *const expected[] = {"first", "second", "third", "x", "y", "z"};

    for (int i = 0; i < 3; i++) {
        task_init(&s[i].task, "s", sleeper);
        task_start(loop, &s[i].task);
    }
    ck_assert_int_eq(ntrace, 0); /* task_start only schedules, as asyncio.create_task */
    ck_assert_int_eq(loop_run(loop), 0);
    expect_trace(expected, NULL, 6); /* equal wake-up times: the order they went to sleep */
    loop_free(loop);
}
END_TEST

/* ---- futures --------------------------------------------------------------------------------- */

struct awaiter {
    struct task task;
    struct future *future;
    int error_seen;
    void *result_seen;
};

static enum task_state awaiter(struct task *t)
{
    struct awaiter *a = (struct awaiter *)t;

    TASK_BEGIN(t);
    note(t->loop, "awaiting");
    TASK_AWAIT(t, a->future);
    a->error_seen = future_error(a->future);
    a->result_seen = a->future->result;
    note(t->loop, "awoken");
    TASK_END(t);
}

static void set_later(struct loop *loop, void *arg)
{
    ck_assert_int_eq(future_set_result(arg, (void *)"value"), 0);
    note(loop, "set");
}

static void done_callback(struct loop *loop, struct future *f, void *arg)
{
    (void)f;
    note(loop, arg);
}

START_TEST(await_wakes_every_waiter_and_callback_once_set)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct future f;
    struct loop_timer timer = {0};
    struct future_callback cb1, cb2;
    struct awaiter a = {.future = &f}, b = {.future = &f};
    /* The tasks parked on the future wake first, then the callbacks: each in the order it came. */
    const char *const expected[] = {"awaiting",       "awaiting",       "set", "awoken", "awoken",
                                    "first callback", "second callback"};
    const double at[] = {0, 0, 2, 2, 2, 2, 2};

    future_init(&f, loop);
    task_init(&a.task, "a", awaiter);
    task_init(&b.task, "b", awaiter);
    task_start(loop, &a.task);
    task_start(loop, &b.task);
    future_add_done_callback(&f, &cb1, done_callback, "first callback");
    ck_assert_int_eq(loop_call_later(loop, &timer, 2, set_later, &f), 0);
    ck_assert_int_eq(loop_run_once(loop), 1);
    /* Added after the tasks parked: still after the first callback. */
    future_add_done_callback(&f, &cb2, done_callback, "second callback");
    ck_assert_int_eq(loop_run(loop), 0);
    expect_trace(expected, at, 7);
    ck_assert_str_eq(a.result_seen, "value");
    ck_assert_int_eq(a.error_seen, 0);
    ck_assert_int_eq(future_set_result(&f, NULL), -1); /* done for good */
    ck_assert_int_eq(errno, EINVAL);
    future_release(&f, "f");
    loop_free(loop);
}
END_TEST

START_TEST(a_task_is_a_future_and_its_error_is_reported_once_if_never_read)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper failing = {.seconds = 1, .started = "started", .finished = "finished"};
    struct awaiter a = {.future = &failing.task.future};
    int pipefd[2], saved;
    char report[256] = "";
    ssize_t n;

    task_init(&failing.task, "failing", sleeper);
    task_init(&a.task, "a", awaiter);
    task_start(loop, &a.task); /* awaiting a task that has not started: it waits */
    task_start(loop, &failing.task);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_str_eq(a.result_seen, "finished"); /* the sleeper's TASK_RETURN value */
    /* An error nobody read is reported when the future is released, once. */
    future_init(&a.task.future, loop);
    ck_assert_int_eq(future_set_error(&a.task.future, ECONNREFUSED), 0);
    ck_assert_int_eq(pipe(pipefd), 0);
    saved = dup(STDERR_FILENO);
    dup2(pipefd[1], STDERR_FILENO);
    future_release(&a.task.future, "fetch");
    future_release(&a.task.future, "fetch");
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(pipefd[1]);
    n = read(pipefd[0], report, sizeof report - 1);
    close(pipefd[0]);
    report[n > 0 ? n : 0] = '\0';
    ck_assert_msg(strstr(report, "future fetch: an error nobody retrieved: Connection refused") !=
                          NULL &&
                      strstr(report, "\n") == strrchr(report, '\n'),
                  "reported: '%s'", report);
    loop_free(loop);
}
END_TEST

/* ---- cancellation ---------------------------------------------------------------------------- */

struct holder {
    struct task task;
    double seconds;
    int cleaned, finished;
};

/* Sleeps, then finishes; its cleanup counts how often it ran. */
static enum task_state holder(struct task *t)
{
    struct holder *h = (struct holder *)t;

    TASK_BEGIN(t);
    note(t->loop, "holding");
    TASK_SLEEP(t, h->seconds);
    h->finished++;
    TASK_RETURN(t, NULL);
    TASK_CLEANUP(t);
    h->cleaned++;
    note(t->loop, "cleanup");
    TASK_END(t);
}

static void cancel_it(struct loop *loop, void *arg)
{
    (void)loop;
    ck_assert(task_cancel(arg));
    ck_assert(!task_cancel(arg)); /* once */
}

START_TEST(cancel_runs_the_cleanup_and_ends_with_ecanceled)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder h = {.seconds = 10};
    struct loop_timer timer = {0};
    const char *const expected[] = {"holding", "cleanup"};
    const double at[] = {0, 3};

    task_init(&h.task, "h", holder);
    task_start(loop, &h.task);
    ck_assert_int_eq(loop_call_later(loop, &timer, 3, cancel_it, &h.task), 0);
    ck_assert_int_eq(loop_run(loop), 0); /* the 10 s timer went with the task */
    expect_trace(expected, at, 2);
    ck_assert_int_eq(h.cleaned, 1);
    ck_assert_int_eq(h.finished, 0);
    ck_assert(task_done(&h.task) && task_cancelled(&h.task));
    ck_assert_int_eq(h.task.error, ECANCELED);
    ck_assert_int_eq(h.task.future.state, FUTURE_DONE);
    ck_assert_int_eq(future_error(&h.task.future), ECANCELED);
    loop_free(loop);
}
END_TEST

START_TEST(a_task_cancelled_before_its_first_step_runs_nothing)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder started = {.seconds = 1}, unstarted = {.seconds = 1};

    task_init(&started.task, "started", holder);
    task_init(&unstarted.task, "unstarted", holder);
    task_start(loop, &started.task);
    ck_assert(task_cancel(&started.task));
    ck_assert(task_cancel(&unstarted.task));
    task_start(loop, &unstarted.task);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(ntrace, 0);
    ck_assert_int_eq(started.cleaned + unstarted.cleaned, 0);
    ck_assert(task_done(&started.task) && task_done(&unstarted.task));
    ck_assert_int_eq(started.task.error, ECANCELED);
    ck_assert_int_eq(unstarted.task.error, ECANCELED);
    loop_free(loop);
}
END_TEST

struct gatherer {
    struct task task;
    struct task *const *tasks;
    size_t n;
    int cleaned;
};

static enum task_state gatherer(struct task *t)
{
    struct gatherer *g = (struct gatherer *)t;

    TASK_BEGIN(t);
    TASK_GATHER(t, g->tasks, g->n);
    note(t->loop, "gathered");
    TASK_RETURN(t, NULL);
    TASK_CLEANUP(t);
    g->cleaned++;
    TASK_END(t);
}

START_TEST(cancelling_a_gather_cancels_what_it_gathers)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder one = {.seconds = 5}, two = {.seconds = 7};
    struct task *const both[] = {&one.task, &two.task};
    struct gatherer g = {.tasks = both, .n = 2};
    struct loop_timer timer = {0};

    task_init(&one.task, "one", holder);
    task_init(&two.task, "two", holder);
    task_init(&g.task, "g", gatherer);
    task_start(loop, &g.task);
    ck_assert_int_eq(loop_call_later(loop, &timer, 1, cancel_it, &g.task), 0);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(one.cleaned + two.cleaned + g.cleaned, 3);
    ck_assert_int_eq(one.task.error, ECANCELED);
    ck_assert_int_eq(g.task.error, ECANCELED);
    ck_assert_msg(loop_time(loop) == 1, "took %.3f s: the children's timers went too",
                  loop_time(loop));
    loop_free(loop);
}
END_TEST

struct parked {
    struct task task;
    struct task_waitlist *list;
    int woke;
};

static enum task_state parked(struct task *t)
{
    struct parked *p = (struct parked *)t;

    TASK_BEGIN(t);
    TASK_WAIT_ON(t, p->list);
    p->woke++;
    TASK_END(t);
}

START_TEST(a_cancelled_task_leaves_its_wait_list)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct task_waitlist list = {0};
    struct parked p[3] = {{.list = &list}, {.list = &list}, {.list = &list}};

    for (int i = 0; i < 3; i++) {
        task_init(&p[i].task, NULL, parked);
        task_start(loop, &p[i].task);
    }
    ck_assert_int_eq(loop_run_once(loop), 0); /* all three parked */
    ck_assert(task_cancel(&p[1].task));       /* the middle one */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(task_wake_all(&list), 2);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(p[0].woke + p[2].woke, 2);
    ck_assert_int_eq(p[1].woke, 0);
    loop_free(loop);
}
END_TEST

/* ---- wait_for -------------------------------------------------------------------------------- */

struct waiting {
    struct task task;
    struct task *child;
    double limit;
    int child_error;
};

static enum task_state waiting(struct task *t)
{
    struct waiting *w = (struct waiting *)t;

    TASK_BEGIN(t);
    TASK_WAIT_FOR(t, w->child, w->limit);
    w->child_error = w->child->error;
    note(t->loop, "waited");
    TASK_END(t);
}

START_TEST(wait_for_gives_up_after_the_limit_and_lets_the_child_clean_up)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder slow = {.seconds = 10};
    struct waiting w = {.child = &slow.task, .limit = 2};
    const char *const expected[] = {"holding", "cleanup", "waited"};
    const double at[] = {0, 2, 2};

    task_init(&slow.task, "slow", holder);
    task_init(&w.task, "w", waiting);
    ck_assert_int_eq(task_run(loop, &w.task), 0);
    expect_trace(expected, at, 3);
    ck_assert_int_eq(w.child_error, ETIMEDOUT);
    ck_assert_int_eq(slow.cleaned, 1);
    loop_free(loop);
}
END_TEST

START_TEST(wait_for_in_time_gives_the_result_and_leaves_no_timer)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder quick = {.seconds = 1};
    struct waiting w = {.child = &quick.task, .limit = 5};
    const char *const expected[] = {"holding", "waited"};
    const double at[] = {0, 1};

    task_init(&quick.task, "quick", holder);
    task_init(&w.task, "w", waiting);
    ck_assert_int_eq(task_run(loop, &w.task), 0);
    expect_trace(expected, at, 2);
    ck_assert_int_eq(w.child_error, 0);
    ck_assert_int_eq(quick.finished, 1);
    ck_assert_msg(loop_time(loop) == 1, "the loop ran to %.3f s: the 5 s timer was left behind",
                  loop_time(loop));
    loop_free(loop);
}
END_TEST

/* ---- task groups ----------------------------------------------------------------------------- */

struct failer {
    struct task task;
    double seconds;
};

/* Waits, then fails with ECONNRESET. */
static enum task_state failer(struct task *t)
{
    struct failer *f = (struct failer *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, f->seconds);
    note(t->loop, "failing");
    TASK_FAIL(t, ECONNRESET);
    TASK_END(t);
}

struct grouper {
    struct task task;
    struct task_group group;
    struct task *members[3];
    size_t n;
    int error_seen;
};

static enum task_state grouper(struct task *t)
{
    struct grouper *g = (struct grouper *)t;

    TASK_BEGIN(t);
    for (size_t i = 0; i < g->n; i++)
        task_group_start(t->loop, &g->group, g->members[i]);
    TASK_GROUP_WAIT(t, &g->group);
    g->error_seen = g->group.error;
    note(t->loop, "group done");
    TASK_END(t);
}

START_TEST(a_failing_member_cancels_the_rest_of_its_group)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder slow = {.seconds = 10}, slower = {.seconds = 20};
    struct failer bad = {.seconds = 3};
    struct grouper g = {.members = {&slow.task, &bad.task, &slower.task}, .n = 3};
    const char *const expected[] = {"holding", "holding", "failing",
                                    "cleanup", "cleanup", "group done"};
    const double at[] = {0, 0, 3, 3, 3, 3};

    task_init(&slow.task, "slow", holder);
    task_init(&slower.task, "slower", holder);
    task_init(&bad.task, "bad", failer);
    task_init(&g.task, "g", grouper);
    ck_assert_int_eq(task_run(loop, &g.task), 0);
    expect_trace(expected, at, 6);
    ck_assert_int_eq(g.error_seen, ECONNRESET);
    ck_assert_ptr_eq(g.group.failed, &bad.task);
    ck_assert_int_eq(slow.cleaned + slower.cleaned, 2);
    ck_assert_int_eq(slow.task.error, ECANCELED);
    loop_free(loop);
}
END_TEST

START_TEST(gather_lets_the_others_run_on_after_a_failure)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder slow = {.seconds = 10};
    struct failer bad = {.seconds = 3};
    struct task *const both[] = {&slow.task, &bad.task};
    struct gatherer g = {.tasks = both, .n = 2};

    task_init(&slow.task, "slow", holder);
    task_init(&bad.task, "bad", failer);
    task_init(&g.task, "g", gatherer);
    ck_assert_int_eq(task_run(loop, &g.task), 0);
    ck_assert_int_eq(slow.finished, 1); /* not cancelled: it ran its 10 s */
    ck_assert_int_eq(bad.task.error, ECONNRESET);
    ck_assert(loop_time(loop) == 10);
    loop_free(loop);
}
END_TEST

START_TEST(a_group_whose_members_all_succeed_has_no_error)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct holder a = {.seconds = 1}, b = {.seconds = 2};
    struct grouper g = {.members = {&a.task, &b.task}, .n = 2};

    task_init(&a.task, "a", holder);
    task_init(&b.task, "b", holder);
    task_init(&g.task, "g", grouper);
    ck_assert_int_eq(task_run(loop, &g.task), 0);
    ck_assert_int_eq(g.error_seen, 0);
    ck_assert_int_eq(a.finished + b.finished, 2);
    ck_assert(loop_time(loop) == 2);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("task");
    TCase *tc = test_case(s, "task");
    TCase *futures = test_case(s, "futures");
    TCase *cancel = test_case(s, "cancellation, wait_for, task groups");

    tcase_add_test(tc, gathered_tasks_overlap_their_waits);
    tcase_add_test(tc, gather_inside_a_task_waits_for_all);
    tcase_add_test(tc, gathering_finished_tasks_goes_straight_on);
    tcase_add_test(tc, sleep_zero_is_one_trip_round_the_loop);
    tcase_add_test(tc, tasks_start_in_order_on_a_later_iteration);
    tcase_add_test(futures, await_wakes_every_waiter_and_callback_once_set);
    tcase_add_test(futures, a_task_is_a_future_and_its_error_is_reported_once_if_never_read);
    tcase_add_test(cancel, cancel_runs_the_cleanup_and_ends_with_ecanceled);
    tcase_add_test(cancel, a_task_cancelled_before_its_first_step_runs_nothing);
    tcase_add_test(cancel, cancelling_a_gather_cancels_what_it_gathers);
    tcase_add_test(cancel, a_cancelled_task_leaves_its_wait_list);
    tcase_add_test(cancel, wait_for_gives_up_after_the_limit_and_lets_the_child_clean_up);
    tcase_add_test(cancel, wait_for_in_time_gives_the_result_and_leaves_no_timer);
    tcase_add_test(cancel, a_failing_member_cancels_the_rest_of_its_group);
    tcase_add_test(cancel, gather_lets_the_others_run_on_after_a_failure);
    tcase_add_test(cancel, a_group_whose_members_all_succeed_has_no_error);
    return s;
}
