/* wrong: memo_get locks a mutex of its own, made afresh on every call: it keeps nobody out. */
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
    pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
    long value;

    PCHECK(pthread_mutex_lock(&mutex));
    if (!m->known[key]) {
        m->value[key] = m->compute(key, m->arg);
        m->known[key] = true;
    }
    value = m->value[key];
    PCHECK(pthread_mutex_unlock(&mutex));
    return value;
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
