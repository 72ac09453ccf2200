/*
 * transfer_lucky.c: BUG DEMONSTRATION: transfer_deadlock.c's locks, one thread at a time: no hang.
 *
 * Chapter 5. The same two transfers, each locking the account it takes money from first, but
 * thread 2 starts only after thread 1 has finished: they never meet, and nothing deadlocks. The
 * bug is still there, and any run where they overlap may hang (transfer_deadlock.c forces one).
 * Running this program finds nothing wrong. A tool that remembers in which order locks were taken
 * does: built with -fsanitize=thread, this program makes ThreadSanitizer report a
 * "lock-order-inversion (potential deadlock)", while transfer_deadlock.c, whose second locks never
 * succeed, gets no report at all. Exercise lockdep.c builds such a checker. Not built under
 * sanitizers with the other programs; the book shows the command that builds it so.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define AMOUNT 10

struct account {
    const char *name;
    long balance;
    pthread_mutex_t lock;
};

struct mover {
    const char *who;
    struct account *from, *to;
};

static struct demo demo;
static struct account a = {"A", 100, PTHREAD_MUTEX_INITIALIZER};
static struct account b = {"B", 100, PTHREAD_MUTEX_INITIALIZER};

static void *transfer(void *arg)
{
    const struct mover *m = arg;

    PCHECK(pthread_mutex_lock(&m->from->lock)); /* the source first: the bug */
    PCHECK(pthread_mutex_lock(&m->to->lock));
    m->from->balance -= AMOUNT;
    m->to->balance += AMOUNT;
    PCHECK(pthread_mutex_unlock(&m->to->lock));
    PCHECK(pthread_mutex_unlock(&m->from->lock));
    say(m->who, "%s: moved %d from %s to %s, locking %s first", m->who, AMOUNT, m->from->name,
        m->to->name, m->from->name);
    return NULL;
}

int main(int argc, char **argv)
{
    struct mover movers[] = {{"thread 1", &a, &b}, {"thread 2", &b, &a}};
    pthread_t thread;

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: transfer_deadlock.c's lock order, one thread after the other:\n"
              "it finishes, and only a lock-order checker sees the deadlock waiting to happen.");
    for (int i = 0; i < 2; i++) { /* one after the other: the luck */
        PCHECK(pthread_create(&thread, NULL, transfer, &movers[i]));
        PCHECK(pthread_join(thread, NULL));
    }
    say("main", "A: %ld, B: %ld: no deadlock this time", a.balance, b.balance);
    demo_finish(&demo);
    return 0;
}
