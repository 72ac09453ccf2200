/*
 * check_callback_to_task.c: tests of total_task_start(): the callback chain as a task.
 *
 * Chapter 9, exercise callback_to_task.c. The tests are the pretend service: they answer each
 * question after a delay of their own choosing, and check every step the moment it happens, on
 * the fake clock: the right question, about the right key, at the right time, in the right order.
 * A wrong step fails at once, with the time it happened at. Compare with
 * chapters/09-tasks-and-coroutines/fetch_task.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 50
#define MAX_USERS 4
#define MAX_ITERATIONS 10000 /* a correct job needs a few dozen: more is a busy wait */
#define NSTEPS 4

/* The service's knowledge, and how long it takes to answer (whole multiples of 1/8 s). */
static long answer_for(enum ask question, long key)
{
    switch (question) {
    case ASK_USER_ID:
        return 100 + key;
    case ASK_ORDERS:
        return key % 7;
    case ASK_TOTAL:
        return key * 12;
    }
    return -1;
}

static double delay_for(enum ask question, long key)
{
    static const double base[] = {1.0, 2.0, 0.5};

    return base[question] + 0.125 * (double)(key % 8);
}

static const char *const step_names[] = {"STEP_STARTED", "STEP_GOT_USER_ID", "STEP_GOT_ORDERS",
                                         "STEP_GOT_TOTAL"};
static const char *const ask_names[] = {"ASK_USER_ID", "ASK_ORDERS", "ASK_TOTAL"};

/* What each user's job must do, worked out from the service, and how far it has got. */
static struct expected {
    long user;
    long value[NSTEPS]; /* what each note reports */
    double at[NSTEPS];  /* when, after START_SECONDS */
    int noted;          /* notes so far */
    int asked;          /* questions so far */
} users[MAX_USERS];
static size_t nusers;
static struct loop *the_loop;

static double now(void)
{
    return loop_time(the_loop) - START_SECONDS;
}

static void expect_user(long user)
{
    struct expected *e = &users[nusers++];
    double t = 0;
    long key = user;

    *e = (struct expected){.user = user, .value = {user}, .at = {0}};
    for (int q = ASK_USER_ID; q <= ASK_TOTAL; q++) {
        t += delay_for(q, key);
        key = answer_for(q, key);
        e->value[q + 1] = key;
        e->at[q + 1] = t;
    }
}

static struct expected *find_user(long user)
{
    for (size_t i = 0; i < nusers; i++)
        if (users[i].user == user)
            return &users[i];
    ck_abort_msg("job_note for user %ld, who has no job", user);
    return NULL;
}

void job_note(struct loop *loop, long user, enum job_step step, long value)
{
    struct expected *e = find_user(user);
    int k = e->noted;

    ck_assert_msg(loop == the_loop, "job_note was given another loop");
    ck_assert_msg(k < NSTEPS, "user %ld: a note after STEP_GOT_TOTAL, at %.3f s", user, now());
    ck_assert_msg((int)step == k, "user %ld: noted %s at %.3f s, expected %s next", user,
                  (unsigned)step < NSTEPS ? step_names[step] : "(bad step)", now(), step_names[k]);
    ck_assert_msg(value == e->value[k],
                  "user %ld: %s noted the value %ld, expected %ld (the previous answer, kept "
                  "across the wait?)",
                  user, step_names[k], value, e->value[k]);
    ck_assert_msg(now() == e->at[k],
                  "user %ld: %s noted at %.3f s, expected at %.3f s, when its answer arrived", user,
                  step_names[k], now(), e->at[k]);
    e->noted++;
}

static void reply(struct loop *loop, void *arg)
{
    struct ask_request *req = arg;

    req->answer = answer_for(req->question, req->key);
    req->done(loop, req, req->arg);
}

int service_ask(struct loop *loop, struct ask_request *req, enum ask question, long key,
                ask_fn *done, void *arg)
{
    struct expected *e = NULL;

    ck_assert_msg((unsigned)question <= ASK_TOTAL, "service_ask: no such question %d",
                  (int)question);
    ck_assert_msg(done != NULL, "service_ask: no callback");
    ck_assert_msg(!loop_timer_pending(&req->timer),
                  "%s about %ld at %.3f s: that request is still waiting for its own answer (one "
                  "request shared by two jobs?)",
                  ask_names[question], key, now());
    for (size_t i = 0; i < nusers; i++) /* whose question is it? every key belongs to one user */
        if (users[i].asked == (int)question && users[i].value[question] == key)
            e = &users[i];
    ck_assert_msg(e != NULL,
                  "%s about %ld at %.3f s: no job should ask that now (asked before its answer "
                  "arrived, or with a key lost across a wait?)",
                  ask_names[question], key, now());
    ck_assert_msg(e->noted == (int)question + 1, "user %ld asked %s at %.3f s before noting %s",
                  e->user, ask_names[question], now(), step_names[question]);
    ck_assert_msg(now() == e->at[question], "user %ld asked %s at %.3f s, expected at %.3f s",
                  e->user, ask_names[question], now(), e->at[question]);
    e->asked++;
    *req = (struct ask_request){.question = question, .key = key, .done = done, .arg = arg};
    return loop_call_later(loop, &req->timer, delay_for(question, key), reply, req);
}

static struct fake_clock clock_;

static void setup(void)
{
    clock_.now_ns = START_SECONDS * NSEC_PER_SEC;
    the_loop = loop_new();
    ck_assert_msg(the_loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(the_loop, &clock_);
    nusers = 0;
}

/*
 * Run the loop to the end, one iteration at a time, so that a busy wait fails instead of hanging.
 * Nothing here watches a descriptor: with nothing ready and no timer (a poll timeout of -1),
 * nothing is left, and an iteration would wait for ever.
 */
static void run_loop(void)
{
    int i;

    for (i = 0; i < MAX_ITERATIONS && loop_poll_timeout_ns(the_loop) != -1; i++)
        ck_assert_msg(loop_run_once(the_loop) != -1, "loop_run_once failed: %s", strerror(errno));
    ck_assert_msg(i < MAX_ITERATIONS,
                  "the loop ran %d iterations and the job is not over (at %.3f s): a busy wait, "
                  "polling instead of awaiting?",
                  MAX_ITERATIONS, now());
}

/* Every job made all its notes, and the clock stopped when the last one was over. */
static void expect_all_done(void)
{
    double last = 0;

    for (size_t i = 0; i < nusers; i++) {
        ck_assert_msg(users[i].noted == NSTEPS, "user %ld stopped after %d of %d notes",
                      users[i].user, users[i].noted, NSTEPS);
        if (users[i].at[NSTEPS - 1] > last)
            last = users[i].at[NSTEPS - 1];
    }
    ck_assert_msg(now() == last, "the loop's clock stopped at %.3f s, expected %.3f s", now(),
                  last);
    loop_free(the_loop);
}

static void run_tasks(const long user_list[], size_t n)
{
    struct total_task tt[MAX_USERS] = {0};

    setup();
    for (size_t i = 0; i < n; i++)
        expect_user(user_list[i]);
    for (size_t i = 0; i < n; i++)
        total_task_start(the_loop, &tt[i], user_list[i]);
    ck_assert_msg(users[0].noted == 0, "total_task_start ran the job at once: it only starts it");
    run_loop();
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(users[i].noted == NSTEPS, "user %ld stopped after %d of %d notes",
                      users[i].user, users[i].noted, NSTEPS);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(task_done(&tt[i].task), "the task of user %ld is not done", user_list[i]);
        ck_assert_msg(tt[i].task.result == &tt[i].total && tt[i].total == users[i].value[3],
                      "user %ld: the task's result should point to its total, %ld", user_list[i],
                      users[i].value[3]);
    }
    expect_all_done();
}

START_TEST(the_given_callbacks_pass_these_checks)
{
    static const long list[] = {1, 2};
    struct callback_job jobs[2];

    setup();
    for (size_t i = 0; i < 2; i++)
        expect_user(list[i]);
    for (size_t i = 0; i < 2; i++)
        callback_job_start(the_loop, &jobs[i], list[i]);
    run_loop();
    expect_all_done();
}
END_TEST

START_TEST(one_job_as_a_task)
{
    static const long list[] = {1};

    run_tasks(list, 1);
}
END_TEST

START_TEST(two_jobs_at_once)
{
    static const long list[] = {1, 2};

    run_tasks(list, 2);
}
END_TEST

START_TEST(four_jobs_at_once)
{
    static const long list[] = {3, 1, 4, 2};

    run_tasks(list, 4);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 9 exercises");
    TCase *tc = test_case(s, "callback_to_task");

    tcase_add_test(tc, the_given_callbacks_pass_these_checks);
    tcase_add_test(tc, one_job_as_a_task);
    tcase_add_test(tc, two_jobs_at_once);
    tcase_add_test(tc, four_jobs_at_once);
    return s;
}
