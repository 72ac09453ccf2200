/*
 * transfer_deadlock.c: BUG DEMONSTRATION: two opposite transfers lock in opposite orders: deadlock.
 *
 * Chapter 5. Thread 1 moves money from account A to B, thread 2 from B to A, and each locks the
 * account it takes money from first. A barrier lets both take their first lock before either asks
 * for its second, so the deadlock happens on every run, not once in a blue moon: each thread holds
 * what the other waits for. A watchdog (main) keeps a table of who holds which account and who
 * waits for which; when the table shows a cycle, it prints it and ends the process with
 * DEADLOCK_STATUS instead of hanging. Not built under sanitizers, like every bug demonstration.
 * (ThreadSanitizer would not report this one anyway: it learns lock orders from acquisitions that
 * succeed, and here the second ones never do. It catches the inversion in a run that got lucky.)
 * The fixes, same scenario: transfer_ordered.c and transfer_trylock.c; the same bug on the loop:
 * transfer_deadlock_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define NTHREADS 2
#define NACCOUNTS 2
#define NOBODY (-1)
#define AMOUNT 10
#define DEADLOCK_STATUS 3    /* the exit status that says "the watchdog found a deadlock" */
#define WATCHDOG_SECONDS 2.0 /* report anyway if the transfers have not finished by then */

struct account {
    const char *name;
    long balance;
    pthread_mutex_t lock;
};

static struct demo demo;
static struct account accounts[NACCOUNTS] = {{"A", 100, PTHREAD_MUTEX_INITIALIZER},
                                             {"B", 100, PTHREAD_MUTEX_INITIALIZER}};
static const char *const names[NTHREADS] = {"thread 1", "thread 2"}; /* for the timeline */
static pthread_barrier_t both_hold_one;

/* The watchdog's table, guarded by `table`: each account's holder, each thread's wanted account. */
static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t table_changed = PTHREAD_COND_INITIALIZER;
static int holder[NACCOUNTS] = {NOBODY, NOBODY};
static int wants[NTHREADS] = {NOBODY, NOBODY};
static int finished;

/* Lock account `a` for thread `self`, telling the watchdog before waiting and after getting it. */
static void lock_account(int self, int a)
{
    PCHECK(pthread_mutex_lock(&table));
    wants[self] = a;
    PCHECK(pthread_cond_signal(&table_changed));
    PCHECK(pthread_mutex_unlock(&table));
    PCHECK(pthread_mutex_lock(&accounts[a].lock));
    PCHECK(pthread_mutex_lock(&table));
    wants[self] = NOBODY;
    holder[a] = self;
    PCHECK(pthread_cond_signal(&table_changed));
    PCHECK(pthread_mutex_unlock(&table));
}

static void unlock_account(int a)
{
    PCHECK(pthread_mutex_lock(&table));
    holder[a] = NOBODY; /* before the unlock: the table never shows a holder that has let go */
    PCHECK(pthread_mutex_unlock(&table));
    PCHECK(pthread_mutex_unlock(&accounts[a].lock));
}

/* Thread `self` moves AMOUNT from account `self` to the other one: thread 1 A to B, 2 B to A. */
static void *transfer(void *arg)
{
    int self = *(const int *)arg, from = self, to = 1 - self;
    int err;

    lock_account(self, from);
    say(names[self], "thread %d: locked %s", self + 1, accounts[from].name);
    err = pthread_barrier_wait(&both_hold_one); /* now each holds the lock the other will want */
    if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
        die_errnum(err, "pthread_barrier_wait");
    say(names[self], "thread %d: asks for %s", self + 1, accounts[to].name);
    lock_account(self, to); /* the other thread holds it, and waits for ours: never returns */
    accounts[from].balance -= AMOUNT;
    accounts[to].balance += AMOUNT;
    unlock_account(to);
    unlock_account(from);
    PCHECK(pthread_mutex_lock(&table));
    finished++;
    PCHECK(pthread_cond_signal(&table_changed));
    PCHECK(pthread_mutex_unlock(&table));
    return NULL;
}

/* The thread after `t` in the wait-for chain (t waits for an account that it holds), or NOBODY. */
static int blocker_of(int t)
{
    return wants[t] == NOBODY ? NOBODY : holder[wants[t]];
}

/* The first thread on a cycle of waits, each waiting for the next, or NOBODY. Needs `table`. */
static int find_cycle(void)
{
    for (int start = 0; start < NTHREADS; start++) {
        int t = blocker_of(start);

        for (int steps = 0; t != NOBODY && t != start && steps < NTHREADS; steps++)
            t = blocker_of(t);
        if (t == start)
            return start;
    }
    return NOBODY;
}

/* Wait until both transfers finish or the table shows a cycle; in the second case, report it. */
static void watch(void)
{
    struct timespec deadline;
    int64_t ns;
    int first = NOBODY, err = 0;

    /* pthread_cond_timedwait takes a deadline on CLOCK_REALTIME unless told otherwise. */
    if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
        die_errno("clock_gettime");
    ns = deadline.tv_nsec + seconds_to_ns(demo_seconds(&demo, WATCHDOG_SECONDS));
    deadline.tv_sec += (time_t)(ns / NSEC_PER_SEC);
    deadline.tv_nsec = (long)(ns % NSEC_PER_SEC);
    PCHECK(pthread_mutex_lock(&table));
    while (finished < NTHREADS && (first = find_cycle()) == NOBODY && err != ETIMEDOUT) {
        err = pthread_cond_timedwait(&table_changed, &table, &deadline);
        if (err != 0 && err != ETIMEDOUT)
            die_errnum(err, "pthread_cond_timedwait");
    }
    if (finished == NTHREADS) {
        PCHECK(pthread_mutex_unlock(&table));
        return;
    }
    for (int t = 0; t < NTHREADS; t++) {
        for (int a = 0; a < NACCOUNTS; a++) {
            if (holder[a] == t && wants[t] != NOBODY)
                say("watchdog", "watchdog: thread %d holds %s and waits for %s", t + 1,
                    accounts[a].name, accounts[wants[t]].name);
        }
    }
    if (first != NOBODY)
        say("watchdog",
            "watchdog: deadlock: thread %d waits for thread %d, which waits for thread %d",
            first + 1, blocker_of(first) + 1, blocker_of(blocker_of(first)) + 1);
    else
        say("watchdog", "watchdog: no progress for %.2f s", demo_seconds(&demo, WATCHDOG_SECONDS));
    say("watchdog", "watchdog: ending the process with status %d instead of hanging",
        DEADLOCK_STATUS);
    demo_finish(&demo);
    exit(DEADLOCK_STATUS); /* the two threads are stuck for good: nothing can unlock them */
}

int main(int argc, char **argv)
{
    static const int ids[NTHREADS] = {0, 1};
    pthread_t threads[NTHREADS];

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: two opposite transfers deadlock on every run; a watchdog\n"
              "reports who holds what and exits with status 3 instead of hanging.");
    PCHECK(pthread_barrier_init(&both_hold_one, NULL, NTHREADS));
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_create(&threads[i], NULL, transfer, (void *)&ids[i]));
    watch();
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    say("main", "A: %ld, B: %ld", accounts[0].balance, accounts[1].balance);
    demo_finish(&demo);
    return 0;
}
