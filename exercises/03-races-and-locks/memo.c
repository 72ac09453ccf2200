/*
 * memo.c: exercise: a memo table that several threads share, each value computed exactly once.
 *
 * Chapter 3. "If it is not known yet, compute it and remember it" is a check-then-act: two threads
 * that check at the same time both find nothing and both compute. As it stands, memo_get remembers
 * nothing at all. Make it remember, safely, with the mutex in struct memo. Compare with
 * chapters/03-races-and-locks/counter_mutex.c (a lock around a read-modify-write) and
 * bank_lock_loop.c (a lock around a check-then-act, on the loop).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

int memo_init(struct memo *m, memo_fn *compute, void *arg)
{
    for (int k = 0; k < MEMO_KEYS; k++)
        m->known[k] = false;
    m->compute = compute;
    m->arg = arg;
    return pthread_mutex_init(&m->mutex, NULL);
}

long memo_get(struct memo *m, int key)
{
    /*
     * TODO: this computes the value on every call. Compute it only if m->known[key] is false, then
     * store it in m->value[key] and set m->known[key]; otherwise return what is stored. Many
     * threads call this at once: hold m->mutex from the check to the store, so that no two
     * threads can both find the key unknown.
     */
    return m->compute(key, m->arg);
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
