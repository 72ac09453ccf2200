/*
 * transfer_ordered.c: the deadlock's first fix: both threads lock the accounts in one order.
 *
 * Chapter 5. The scenario of transfer_deadlock.c: thread 1 moves money from A to B, thread 2 from
 * B to A, both released at once by a barrier, here ROUNDS times over. The fix is in transfer():
 * it locks the account with the smaller id first, whichever way the money goes. Both threads then
 * ask for A first; the one that gets it can also get B, since nobody holds B without holding A.
 * No cycle of waits can form, so there is nothing for a watchdog to catch. (The barrier sits at
 * the start of each round: between the two locks, as in transfer_deadlock.c, it would now be the
 * deadlock, with thread 2 waiting for A before it reaches the barrier.) The balances come out as
 * they went in. The second fix: transfer_trylock.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define NTHREADS 2
#define ROUNDS 1000
#define AMOUNT 10

struct account {
    int id; /* the global order: lower ids are locked first */
    const char *name;
    long balance;
    pthread_mutex_t lock;
};

struct mover {
    const char *who;
    struct account *from, *to;
};

static struct demo demo;
static struct account a = {1, "A", 100, PTHREAD_MUTEX_INITIALIZER};
static struct account b = {2, "B", 100, PTHREAD_MUTEX_INITIALIZER};
static pthread_barrier_t start;

static void transfer(struct account *from, struct account *to, long amount)
{
    struct account *first = from->id < to->id ? from : to;
    struct account *second = first == from ? to : from;

    PCHECK(pthread_mutex_lock(&first->lock));
    PCHECK(pthread_mutex_lock(&second->lock));
    from->balance -= amount;
    to->balance += amount;
    PCHECK(pthread_mutex_unlock(&second->lock));
    PCHECK(pthread_mutex_unlock(&first->lock));
}

static void *transfer_rounds(void *arg)
{
    const struct mover *m = arg;

    for (int round = 0; round < ROUNDS; round++) {
        int err = pthread_barrier_wait(&start); /* both begin each round together */

        if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
            die_errnum(err, "pthread_barrier_wait");
        transfer(m->from, m->to, AMOUNT);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct mover movers[NTHREADS] = {{"thread 1", &a, &b}, {"thread 2", &b, &a}};
    pthread_t threads[NTHREADS];

    demo_init(&demo, argc, argv,
              "The deadlock's fix by lock order: opposite transfers, 1000 rounds, both threads\n"
              "locking the account with the smaller id first. Finishes; balances conserved.");
    PCHECK(pthread_barrier_init(&start, NULL, NTHREADS));
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_create(&threads[i], NULL, transfer_rounds, &movers[i]));
    for (int i = 0; i < NTHREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    PCHECK(pthread_barrier_destroy(&start));
    for (int i = 0; i < NTHREADS; i++) { /* in thread order, once both are done */
        const struct mover *m = &movers[i];

        say(m->who, "%s: moved %d from %s to %s, %d times, locking %s first", m->who, AMOUNT,
            m->from->name, m->to->name, ROUNDS,
            m->from->id < m->to->id ? m->from->name : m->to->name);
    }
    say("main", "A: %ld, B: %ld, total %ld: nothing lost, nothing made", a.balance, b.balance,
        a.balance + b.balance);
    demo_finish(&demo);
    return 0;
}
