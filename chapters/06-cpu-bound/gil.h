/*
 * gil.h: a global interpreter lock in miniature: one lock that a thread must hold to compute, and
 * that it hands over, fairly, when another thread has been waiting for it.
 *
 * Chapter 6; used by split_threads_gil.c and gil_handover.c. CPython's threads each hold the GIL
 * while they run Python code. A thread that wants it waits; once it has waited a switch interval
 * (5 ms, sys.getswitchinterval()), the holder is asked to let go, and does so at its next check.
 * Here the holder checks the clock itself and calls gil_switch() every switch interval.
 *
 * Why not a plain mutex: pthread_mutex_unlock() followed at once by pthread_mutex_lock() in the
 * same thread often gets the mutex back. The waiter is woken, but by the time it runs the holder
 * may have taken the mutex again, and the waiter goes back to sleep (gil_handover.c shows it).
 * Nothing in POSIX says who gets a mutex next. So this lock serves threads in the order they came,
 * like the queue at a deli counter: take a ticket, wait until your number is called. A thread that
 * hands the lock over takes a new ticket, behind everyone already waiting. (CPython gets the same
 * effect differently: the thread that was asked to let go waits until another has taken the GIL.)
 *
 * Static inline functions, so that each program that includes this file gets its own copy.
 */
#ifndef GIL_H
#define GIL_H

#include <pthread.h>
#include <stdbool.h>

#include "errors.h"

struct gil {
    pthread_mutex_t mutex;     /* guards the two numbers below; held only for a moment */
    pthread_cond_t turn;       /* broadcast whenever `serving` or `next_ticket` changes */
    unsigned long next_ticket; /* the number the next thread to arrive will get */
    unsigned long serving;     /* the ticket whose thread holds the GIL (or may take it now) */
};

#define GIL_INITIALIZER                                                                            \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0                                  \
    }

/* With g->mutex held: take a ticket, then wait until it is called. */
static inline void gil_queue_locked(struct gil *g)
{
    unsigned long mine = g->next_ticket++;

    PCHECK(pthread_cond_broadcast(&g->turn)); /* for gil_await_waiters: one more in the queue */
    while (g->serving != mine)
        PCHECK(pthread_cond_wait(&g->turn, &g->mutex));
}

/* With g->mutex held, by the GIL's holder: how many threads wait for it. */
static inline unsigned long gil_waiting_locked(const struct gil *g)
{
    return g->next_ticket - g->serving - 1;
}

/* Wait for the GIL, behind every thread already waiting for it; then the caller holds it. */
static inline void gil_acquire(struct gil *g)
{
    PCHECK(pthread_mutex_lock(&g->mutex));
    gil_queue_locked(g);
    PCHECK(pthread_mutex_unlock(&g->mutex));
}

/* Let go of the GIL: the thread that has waited longest, if any, holds it now. */
static inline void gil_release(struct gil *g)
{
    PCHECK(pthread_mutex_lock(&g->mutex));
    g->serving++; /* call the next ticket */
    /* Every waiter wakes and compares its ticket; only the one called goes on. A condition
     * variable per thread would wake just that one: more code, for at most a few threads here. */
    PCHECK(pthread_cond_broadcast(&g->turn));
    PCHECK(pthread_mutex_unlock(&g->mutex));
}

/*
 * The switch interval is over: if another thread waits, hand it the GIL and queue again behind
 * every thread waiting now, all in one step, so that no newcomer can slip in between. Returns
 * true if the GIL went to another thread (it has come back by the time this returns), false if
 * nobody was waiting (the caller simply keeps it: nothing to switch to).
 */
static inline bool gil_switch(struct gil *g)
{
    bool someone_waits;

    PCHECK(pthread_mutex_lock(&g->mutex));
    someone_waits = gil_waiting_locked(g) > 0;
    if (someone_waits) {
        g->serving++;
        PCHECK(pthread_cond_broadcast(&g->turn));
        gil_queue_locked(g);
    }
    PCHECK(pthread_mutex_unlock(&g->mutex));
    return someone_waits;
}

/* For the GIL's holder: wait until n threads are queued behind it, so who comes next is known. */
static inline void gil_await_waiters(struct gil *g, unsigned long n)
{
    PCHECK(pthread_mutex_lock(&g->mutex));
    while (gil_waiting_locked(g) < n)
        PCHECK(pthread_cond_wait(&g->turn, &g->mutex));
    PCHECK(pthread_mutex_unlock(&g->mutex));
}

#endif
