/* wrong (caught under SANITIZE=thread): double-checked locking: known[] is read without the mutex,
 * a data race that usually works on x86 and has no guarantee at all. */
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

    if (m->known[key]) /* the fast path: "no lock needed once it is known" */
        return m->value[key];
    PCHECK(pthread_mutex_lock(&m->mutex));
    if (!m->known[key]) { /* checked again, under the lock */
        m->value[key] = m->compute(key, m->arg);
        m->known[key] = true;
    }
    value = m->value[key];
    PCHECK(pthread_mutex_unlock(&m->mutex));
    return value;
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
