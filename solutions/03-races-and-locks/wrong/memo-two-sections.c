/* wrong: the check and the store are each locked, but the mutex is released in between, while
 * computing. */
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
    bool known;
    long value;

    PCHECK(pthread_mutex_lock(&m->mutex));
    known = m->known[key];
    value = m->value[key];
    PCHECK(pthread_mutex_unlock(&m->mutex));
    if (known)
        return value;
    value = m->compute(key, m->arg); /* "never compute while holding a lock" */
    PCHECK(pthread_mutex_lock(&m->mutex));
    m->value[key] = value;
    m->known[key] = true;
    PCHECK(pthread_mutex_unlock(&m->mutex));
    return value;
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
