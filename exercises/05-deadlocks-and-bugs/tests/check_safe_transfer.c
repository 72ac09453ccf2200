/*
 * check_safe_transfer.c: tests of transfer(), and the account locks it uses.
 *
 * Chapter 5, exercise safe_transfer.c. This file provides account_lock, account_trylock and
 * account_unlock (exercises.h). Through them it keeps a table, as transfer_deadlock.c's watchdog
 * does, of which thread holds which account and which account each thread waits for:
 *   - a cycle in that table is a deadlock, reported the moment it forms, with who holds what;
 *   - a relock or an unlock by a thread that does not hold the account is reported too;
 *   - when no account is locked or unlocked for PROGRESS_SECONDS, the test says so and fails: a
 *     livelock, or a wait on something that is not an account lock;
 *   - "forcing": each thread, once it holds its first account, waits until every other thread
 *     holds one too, or waits for one that is held, or is done. Threads that take their locks in
 *     opposite orders then deadlock on every run, not once in a while: the test does not depend
 *     on luck to catch the bug.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "exercises.h"
#include "testing.h"

#define MAX_ACCOUNTS 8
#define MAX_WORKERS 16
#define NOBODY (-1)
#define PROGRESS_SECONDS 2.0
#define MSG_MAX 1024
#define START_BALANCE 100

/* ---- the harness: account locks that tell the test what they do ---------------------------- */

/* Everything below is guarded by `table`. Thread 0 is the test's own thread; workers 1, 2, ... */
static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t table_changed = PTHREAD_COND_INITIALIZER;
static struct account accounts[MAX_ACCOUNTS];
static size_t naccounts;
static int holder[MAX_ACCOUNTS];          /* the thread holding each account, or NOBODY */
static int wants[MAX_WORKERS + 1];        /* the account each thread waits for, or NOBODY */
static int held[MAX_WORKERS + 1];         /* how many accounts each thread holds */
static bool met[MAX_WORKERS + 1];         /* forcing: the thread has waited for the others once */
static bool done[MAX_WORKERS + 1];        /* the worker has made all its transfers */
static unsigned long taken[MAX_ACCOUNTS]; /* successful locks of each account */
static unsigned long progress;            /* locks taken and released, in all */
static bool forcing;
static int nworkers, finished;
static char failure[MSG_MAX]; /* the first deadlock or misuse seen; empty while there is none */

static _Thread_local int self; /* this thread's number: 0 for the test's own thread */

static const char *thread_name(int t)
{
    static _Thread_local char name[32];

    if (t == 0)
        return "the test's thread";
    snprintf(name, sizeof name, "thread %d", t);
    return name;
}

/* Record the first failure and wake the test's thread. Call with `table` held. */
static void fail_with(const char *fmt, ...)
{
    va_list ap;

    if (failure[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(failure, sizeof failure, fmt, ap);
        va_end(ap);
    }
    pthread_cond_broadcast(&table_changed);
}

static int index_of(const struct account *a)
{
    for (size_t i = 0; i < naccounts; i++) {
        if (a == &accounts[i])
            return (int)i;
    }
    return NOBODY;
}

/* If thread `t`'s wait closes a cycle of waits, describe it as the failure. Call with `table`. */
static void look_for_deadlock(int t)
{
    char text[MSG_MAX];
    size_t used = 0;
    int u = t;

    for (int steps = 0; steps <= nworkers; steps++) {
        if (wants[u] == NOBODY || holder[wants[u]] == NOBODY)
            return; /* someone in the chain can go on */
        u = holder[wants[u]];
        if (u == t)
            break;
    }
    if (u != t)
        return;
    do {
        for (size_t i = 0; i < naccounts && used < sizeof text; i++) {
            if (holder[i] == u)
                used += (size_t)snprintf(text + used, sizeof text - used,
                                         "%s holds account %u and waits for account %u; ",
                                         thread_name(u), accounts[i].id, accounts[wants[u]].id);
        }
        u = holder[wants[u]];
    } while (u != t);
    fail_with("deadlock: %seach waits for the next, for ever (take the locks in one order)", text);
}

/* A worker that cannot go on by itself: it holds an account, or waits for one that is held. */
static bool settled(int t)
{
    return held[t] > 0 || (wants[t] != NOBODY && holder[wants[t]] != NOBODY);
}

static bool others_settled(void)
{
    for (int t = 1; t <= nworkers; t++) {
        if (t != self && !done[t] && !settled(t))
            return false;
    }
    return true;
}

/* Forcing: a worker that has just taken its first account waits until every other worker holds
 * one too, waits for a held one, or is done. Call with `table` held. */
static void meet_the_others(void)
{
    if (!forcing || self == 0 || met[self])
        return;
    met[self] = true;
    while (!others_settled() && failure[0] == '\0')
        pthread_cond_wait(&table_changed, &table);
}

/* The lock is ours now: record it. Call with `table` held. */
static void now_held(int i)
{
    wants[self] = NOBODY;
    holder[i] = self;
    held[self]++;
    taken[i]++;
    progress++;
    pthread_cond_broadcast(&table_changed);
    meet_the_others();
}

int account_lock(struct account *a)
{
    int i, err;

    pthread_mutex_lock(&table);
    if ((i = index_of(a)) == NOBODY) {
        fail_with("account_lock was given %p, which is not one of the test's accounts", (void *)a);
        pthread_mutex_unlock(&table);
        return EINVAL;
    }
    if (holder[i] == self) {
        fail_with("%s locked account %u, which it holds already: a default mutex would wait for "
                  "ever here (this one returns EDEADLK). A transfer from an account to itself "
                  "must lock it once.",
                  thread_name(self), a->id);
        pthread_mutex_unlock(&table);
        return EDEADLK;
    }
    wants[self] = i;
    look_for_deadlock(self);
    pthread_cond_broadcast(&table_changed);
    pthread_mutex_unlock(&table);
    err = pthread_mutex_lock(&a->mutex);
    pthread_mutex_lock(&table);
    if (err == 0)
        now_held(i);
    else
        wants[self] = NOBODY;
    pthread_mutex_unlock(&table);
    return err;
}

int account_trylock(struct account *a)
{
    int i, err;

    pthread_mutex_lock(&table);
    i = index_of(a);
    if (i != NOBODY && holder[i] == self)
        fail_with("%s tried to lock account %u, which it holds already", thread_name(self), a->id);
    pthread_mutex_unlock(&table);
    if (i == NOBODY || holder[i] == self)
        return i == NOBODY ? EINVAL : EDEADLK;
    err = pthread_mutex_trylock(&a->mutex);
    if (err == 0) {
        pthread_mutex_lock(&table);
        now_held(i);
        pthread_mutex_unlock(&table);
    }
    return err;
}

int account_unlock(struct account *a)
{
    int i;

    pthread_mutex_lock(&table);
    i = index_of(a);
    if (i == NOBODY || holder[i] != self) {
        fail_with("%s unlocked account %u, which it does not hold", thread_name(self),
                  i == NOBODY ? 0 : a->id);
        pthread_mutex_unlock(&table);
        return EPERM;
    }
    holder[i] = NOBODY; /* before the unlock: the table never shows a holder that has let go */
    held[self]--;
    progress++;
    pthread_cond_broadcast(&table_changed);
    pthread_mutex_unlock(&table);
    return pthread_mutex_unlock(&a->mutex);
}

/* ---- setting up, and running workers -------------------------------------------------------- */

/* Fresh accounts with these ids, START_BALANCE each, and an empty table. */
static void setup(size_t n, const unsigned ids[])
{
    pthread_mutexattr_t attr;

    ck_assert(n <= MAX_ACCOUNTS);
    ck_assert_int_eq(pthread_mutexattr_init(&attr), 0);
    ck_assert_int_eq(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), 0);
    pthread_mutex_lock(&table);
    naccounts = n;
    for (size_t i = 0; i < n; i++) {
        accounts[i].id = ids[i];
        accounts[i].balance = START_BALANCE;
        ck_assert_int_eq(pthread_mutex_init(&accounts[i].mutex, &attr), 0);
        holder[i] = NOBODY;
        taken[i] = 0;
    }
    for (int t = 0; t <= MAX_WORKERS; t++) {
        wants[t] = NOBODY;
        held[t] = 0;
        met[t] = done[t] = false;
    }
    progress = 0;
    failure[0] = '\0';
    forcing = false;
    nworkers = finished = 0;
    pthread_mutex_unlock(&table);
    pthread_mutexattr_destroy(&attr);
}

/* Fail if the harness saw a deadlock or a misuse, or if an account is still locked. */
static void expect_quiet(const char *after)
{
    char seen[MSG_MAX];
    int still = NOBODY;

    pthread_mutex_lock(&table);
    snprintf(seen, sizeof seen, "%s", failure);
    for (size_t i = 0; i < naccounts; i++) {
        if (holder[i] != NOBODY)
            still = (int)i;
    }
    pthread_mutex_unlock(&table);
    ck_assert_msg(seen[0] == '\0', "%s: %s", after, seen);
    ck_assert_msg(still == NOBODY, "%s: transfer() returned with account %u still locked", after,
                  still == NOBODY ? 0 : accounts[still].id);
}

struct job {
    int from, to; /* indices into accounts[] */
    long amount;
    bool moved; /* what transfer() returned */
};

struct worker {
    int number; /* its `self`: 1, 2, ... */
    struct job *jobs;
    size_t njobs;
};

static pthread_barrier_t go;

static void *work(void *arg)
{
    struct worker *w = arg;

    self = w->number;
    pthread_barrier_wait(&go); /* all start together */
    for (size_t j = 0; j < w->njobs; j++) {
        struct job *job = &w->jobs[j];

        job->moved = transfer(&accounts[job->from], &accounts[job->to], job->amount);
    }
    pthread_mutex_lock(&table);
    if (held[self] > 0)
        fail_with("%s returned from transfer() still holding %d account(s)", thread_name(self),
                  held[self]);
    done[self] = true;
    finished++;
    pthread_cond_broadcast(&table_changed);
    pthread_mutex_unlock(&table);
    return NULL;
}

static void deadline_in(struct timespec *deadline, double seconds)
{
    int64_t ns;

    clock_gettime(CLOCK_REALTIME, deadline);
    ns = deadline->tv_nsec + seconds_to_ns(seconds);
    deadline->tv_sec += (time_t)(ns / NSEC_PER_SEC);
    deadline->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

/* Run the n workers to the end; fail on a deadlock, a misuse, or PROGRESS_SECONDS of nothing. */
static void run_workers(struct worker workers[], int n, bool force)
{
    pthread_t threads[MAX_WORKERS];
    struct timespec deadline;
    char seen[MSG_MAX];
    unsigned long last;

    ck_assert(n <= MAX_WORKERS);
    pthread_mutex_lock(&table);
    nworkers = n;
    forcing = force;
    pthread_mutex_unlock(&table);
    ck_assert_int_eq(pthread_barrier_init(&go, NULL, (unsigned)n), 0);
    for (int i = 0; i < n; i++) {
        workers[i].number = i + 1;
        ck_assert_int_eq(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
    }
    pthread_mutex_lock(&table);
    last = progress;
    deadline_in(&deadline, PROGRESS_SECONDS);
    while (finished < n && failure[0] == '\0') {
        if (pthread_cond_timedwait(&table_changed, &table, &deadline) != ETIMEDOUT)
            continue;
        if (progress == last) {
            fail_with("no account was locked or unlocked for %.0f s, and %d of %d threads are "
                      "still in transfer(): a livelock (a trylock retried for ever, still holding "
                      "the other lock?) or a wait for something other than an account's lock",
                      PROGRESS_SECONDS, n - finished, n);
            break;
        }
        last = progress;
        deadline_in(&deadline, PROGRESS_SECONDS);
    }
    snprintf(seen, sizeof seen, "%s", failure);
    pthread_mutex_unlock(&table);
    ck_assert_msg(seen[0] == '\0', "%s", seen); /* the stuck threads end with the test */
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&go);
}

/* Every balance is what the transfers that returned true add up to, and none is below zero. */
static void expect_balances(const struct worker workers[], int n)
{
    long want[MAX_ACCOUNTS], total = 0;

    for (size_t i = 0; i < naccounts; i++)
        want[i] = START_BALANCE;
    for (int w = 0; w < n; w++) {
        for (size_t j = 0; j < workers[w].njobs; j++) {
            const struct job *job = &workers[w].jobs[j];

            if (job->moved) {
                want[job->from] -= job->amount;
                want[job->to] += job->amount;
            }
        }
    }
    for (size_t i = 0; i < naccounts; i++) {
        ck_assert_msg(accounts[i].balance >= 0,
                      "account %u went below zero (%ld): a transfer moved money the balance did "
                      "not cover (was the balance checked before the locks were taken?)",
                      accounts[i].id, accounts[i].balance);
        ck_assert_msg(accounts[i].balance == want[i],
                      "account %u holds %ld, but the transfers that returned true add up to %ld: "
                      "money was lost or made",
                      accounts[i].id, accounts[i].balance, want[i]);
        total += accounts[i].balance;
    }
    ck_assert_int_eq(total, (long)naccounts * START_BALANCE);
}

/* ---- one thread ----------------------------------------------------------------------------- */

static const unsigned two_ids[] = {7, 3}; /* the ids do not follow the accounts' places */
static const unsigned three_ids[] = {7, 3, 5};

START_TEST(moves_money_under_both_locks)
{
    setup(2, two_ids);
    ck_assert_msg(transfer(&accounts[0], &accounts[1], 30), "moving 30 of 100: returned false");
    expect_quiet("after moving 30 from account 7 to account 3");
    ck_assert_msg(accounts[0].balance == 70 && accounts[1].balance == 130,
                  "after moving 30: balances %ld and %ld, expected 70 and 130", accounts[0].balance,
                  accounts[1].balance);
    ck_assert_msg(taken[0] >= 1 && taken[1] >= 1,
                  "transfer() moved money without locking both accounts (account 7 locked %lu "
                  "times, account 3 %lu times)",
                  taken[0], taken[1]);
    taken[0] = taken[1] = 0;
    ck_assert_msg(transfer(&accounts[1], &accounts[0], 130), "moving all of 130: returned false");
    expect_quiet("after moving 130 from account 3 to account 7");
    ck_assert_msg(accounts[0].balance == 200 && accounts[1].balance == 0,
                  "after moving 130 back: balances %ld and %ld, expected 200 and 0",
                  accounts[0].balance, accounts[1].balance);
    ck_assert_msg(taken[0] >= 1 && taken[1] >= 1,
                  "transfer() moved money without locking both accounts");
}
END_TEST

START_TEST(refuses_what_the_balance_does_not_cover)
{
    setup(2, two_ids);
    ck_assert_msg(!transfer(&accounts[0], &accounts[1], 101), "moving 101 of 100: returned true");
    expect_quiet("after refusing 101");
    ck_assert_msg(accounts[0].balance == 100 && accounts[1].balance == 100,
                  "a refused transfer changed the balances to %ld and %ld", accounts[0].balance,
                  accounts[1].balance);
    ck_assert_msg(transfer(&accounts[1], &accounts[0], 100), "moving 100 of 100: returned false");
    ck_assert_msg(!transfer(&accounts[1], &accounts[0], 1), "moving 1 of 0: returned true");
    expect_quiet("after refusing 1 from an empty account");
    ck_assert_msg(accounts[0].balance == 200 && accounts[1].balance == 0,
                  "balances %ld and %ld, expected 200 and 0", accounts[0].balance,
                  accounts[1].balance);
}
END_TEST

START_TEST(a_transfer_to_the_same_account)
{
    setup(2, two_ids);
    ck_assert_msg(transfer(&accounts[0], &accounts[0], 40),
                  "moving 40 from account 7 to itself (balance 100): returned false");
    expect_quiet("after moving 40 from account 7 to itself");
    ck_assert_msg(taken[0] >= 1, "transfer(a, a) read the balance without locking the account");
    ck_assert_msg(!transfer(&accounts[0], &accounts[0], 101),
                  "moving 101 from account 7 to itself (balance 100): returned true");
    expect_quiet("after refusing 101 from account 7 to itself");
    ck_assert_msg(accounts[0].balance == 100 && accounts[1].balance == 100,
                  "a transfer to the same account changed the balances to %ld and %ld",
                  accounts[0].balance, accounts[1].balance);
}
END_TEST

/* ---- threads forced into the deadlock's position ------------------------------------------ */

START_TEST(two_opposite_transfers)
{
    struct job one[] = {{0, 1, 10, false}}, two[] = {{1, 0, 10, false}};
    struct worker workers[] = {{0, one, 1}, {0, two, 1}};

    setup(2, two_ids);
    run_workers(workers, 2, true);
    ck_assert_msg(one[0].moved && two[0].moved, "a transfer of 10 out of 100 returned false");
    expect_balances(workers, 2);
}
END_TEST

START_TEST(a_ring_of_three)
{
    struct job ab[] = {{0, 1, 10, false}}, bc[] = {{1, 2, 20, false}}, ca[] = {{2, 0, 30, false}};
    struct worker workers[] = {{0, ab, 1}, {0, bc, 1}, {0, ca, 1}};

    setup(3, three_ids);
    run_workers(workers, 3, true);
    ck_assert_msg(ab[0].moved && bc[0].moved && ca[0].moved, "a transfer returned false");
    expect_balances(workers, 3);
}
END_TEST

START_TEST(eight_threads_on_two_accounts)
{
    enum { THREADS = 8, JOBS = 50 };
    static struct job jobs[THREADS][JOBS];
    struct worker workers[THREADS];

    setup(2, two_ids);
    for (int w = 0; w < THREADS; w++) {
        for (int j = 0; j < JOBS; j++)
            jobs[w][j] = (struct job){w % 2, 1 - w % 2, 1 + (w + j) % 7, false};
        workers[w] = (struct worker){0, jobs[w], JOBS};
    }
    run_workers(workers, THREADS, true);
    expect_balances(workers, THREADS);
}
END_TEST

START_TEST(the_check_and_the_move_are_one_step)
{
    /* Both take 60 out of the same 100, at once: only one of them may. */
    struct job to_b[] = {{0, 1, 60, false}}, to_c[] = {{0, 2, 60, false}};
    struct worker workers[] = {{0, to_b, 1}, {0, to_c, 1}};

    setup(3, three_ids);
    run_workers(workers, 2, true);
    ck_assert_msg(to_b[0].moved + to_c[0].moved == 1,
                  "two transfers of 60 out of 100: %d of them returned true, expected exactly one",
                  to_b[0].moved + to_c[0].moved);
    expect_balances(workers, 2);
}
END_TEST

/* ---- many threads ---------------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void) /* xorshift64*: the same transfers on every run */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

START_TEST(many_threads_many_accounts)
{
    enum { THREADS = 8, JOBS = 1500, ACCOUNTS = 5 };
    static const unsigned ids[ACCOUNTS] = {40, 10, 30, 50, 20};
    static struct job jobs[THREADS][JOBS];
    struct worker workers[THREADS];
    int same = 0;

    setup(ACCOUNTS, ids);
    rng_state = 0xba4c;
    for (int w = 0; w < THREADS; w++) {
        for (int j = 0; j < JOBS; j++) {
            int from = (int)(rng() % ACCOUNTS), to = (int)(rng() % ACCOUNTS);

            jobs[w][j] = (struct job){from, to, 1 + (long)(rng() % 60), false};
            same += from == to;
        }
        workers[w] = (struct worker){0, jobs[w], JOBS};
    }
    ck_assert(same > 0); /* transfers to the same account are among them */
    run_workers(workers, THREADS, true);
    expect_balances(workers, THREADS);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 5 exercises");
    TCase *tc = test_case(s, "safe_transfer");

    tcase_add_test(tc, moves_money_under_both_locks);
    tcase_add_test(tc, refuses_what_the_balance_does_not_cover);
    tcase_add_test(tc, a_transfer_to_the_same_account);
    tcase_add_test(tc, two_opposite_transfers);
    tcase_add_test(tc, a_ring_of_three);
    tcase_add_test(tc, eight_threads_on_two_accounts);
    tcase_add_test(tc, the_check_and_the_move_are_one_step);
    tcase_add_test(tc, many_threads_many_accounts);
    return s;
}
