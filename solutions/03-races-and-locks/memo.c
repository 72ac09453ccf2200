/*
 * memo.c: solution: one mutex held from the check to the store, the computation included.
 *
 * Chapter 3. While one thread computes a key, any other that wants the memo waits at the mutex,
 * then finds the key known. Simple and right; the price is that threads asking for other keys wait
 * too. Letting them through means marking a key "being computed" and making its askers wait for
 * it: a condition variable, chapter 4. Compare with chapters/03-races-and-locks/counter_mutex.c.
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
    long value;

    PCHECK(pthread_mutex_lock(&m->mutex));
    if (!m->known[key]) { /* the check, and below the act: one critical section */
        m->value[key] = m->compute(key, m->arg);
        m->known[key] = true;
    }
    value = m->value[key]; /* read under the lock too: a thread may be storing it */
    PCHECK(pthread_mutex_unlock(&m->mutex));
    return value;
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
