/*
 * transfer_trylock.c: the deadlock's second fix: trylock the second lock; on EBUSY, let go.
 *
 * Chapter 5. The scenario of transfer_deadlock.c, barrier and all, ROUNDS times over: thread 1
 * locks A, thread 2 locks B, both meet at a barrier, then each asks for the other's lock. This
 * time it asks with pthread_mutex_trylock, which never waits: it returns EBUSY when the lock is
 * taken. The thread then backs off: it unlocks the account it holds (so the other thread can
 * finish), pauses for a random moment (so the two do not retry in step, forever: a livelock), and
 * starts again. Whichever thread tries first in a round finds the other's lock held, so every
 * round costs at least one back-off. Python: lock.acquire(blocking=False), or acquire(timeout=s).
 * Compare with transfer_ordered.c, which needs no retries but must know every lock in advance.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define NTHREADS 2
#define ROUNDS 1000
#define AMOUNT 10
#define BACKOFF_MAX_US 100 /* the longest pause after an EBUSY, in microseconds */

struct account {
    const char *name;
    long balance;
    pthread_mutex_t lock;
};

struct mover {
    const char *who;
    struct account *from, *to;
    unsigned seed;     /* for rand_r: each thread its own random sequence */
    unsigned backoffs; /* how many times this thread let go and retried */
};

static struct demo demo;
static struct account a = {"A", 100, PTHREAD_MUTEX_INITIALIZER};
static struct account b = {"B", 100, PTHREAD_MUTEX_INITIALIZER};
static pthread_barrier_t start, both_hold_one;

static void barrier_wait(pthread_barrier_t *barrier)
{
    int err = pthread_barrier_wait(barrier);

    if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
        die_errnum(err, "pthread_barrier_wait");
}

static void *transfer_rounds(void *arg)
{
    struct mover *m = arg;

    for (int round = 0; round < ROUNDS; round++) {
        int err;

        barrier_wait(&start); /* both have finished the previous round */
        PCHECK(pthread_mutex_lock(&m->from->lock));
        barrier_wait(&both_hold_one); /* the deadlock's position: each holds what the other wants */
        while ((err = pthread_mutex_trylock(&m->to->lock)) == EBUSY) {
            PCHECK(pthread_mutex_unlock(&m->from->lock)); /* let go, so the other can finish */
            m->backoffs++;
            if (sleep_seconds((double)(rand_r(&m->seed) % BACKOFF_MAX_US) / 1e6) == -1)
                die_errno("nanosleep");
            PCHECK(pthread_mutex_lock(&m->from->lock));
        }
        if (err != 0)
            die_errnum(err, "pthread_mutex_trylock");
        m->from->balance -= AMOUNT;
        m->to->balance += AMOUNT;
        PCHECK(pthread_mutex_unlock(&m->to->lock));
        PCHECK(pthread_mutex_unlock(&m->from->lock));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct mover movers[NTHREADS] = {{"thread 1", &a, &b, 1, 0}, {"thread 2", &b, &a, 2, 0}};
    pthread_t threads[NTHREADS];

    demo_init(&demo, argc, argv,
              "The deadlock's fix by trylock and back-off: opposite transfers, 1000 rounds, each\n"
              "starting with both threads holding one lock. Finishes; balances conserved.");
    PCHECK(pthread_barrier_init(&start, NULL, NTHREADS));
    PCHECK(pthread_barrier_init(&both_hold_one, NULL, NTHREADS));
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_create(&threads[i], NULL, transfer_rounds, &movers[i]));
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    PCHECK(pthread_barrier_destroy(&start));
    PCHECK(pthread_barrier_destroy(&both_hold_one));
    for (int i = 0; i < NTHREADS; i++) { /* in thread order, once both are done */
        const struct mover *m = &movers[i];

        say(m->who, "%s: moved %d from %s to %s, %d times; found %s busy and backed off %u times",
            m->who, AMOUNT, m->from->name, m->to->name, ROUNDS, m->to->name, m->backoffs);
    }
    say("main", "back-offs: %u in %d rounds (at least one per round)",
        movers[0].backoffs + movers[1].backoffs, ROUNDS);
    say("main", "A: %ld, B: %ld, total %ld: nothing lost, nothing made", a.balance, b.balance,
        a.balance + b.balance);
    demo_finish(&demo);
    return 0;
}
