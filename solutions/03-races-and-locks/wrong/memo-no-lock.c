/* wrong: no lock at all: two threads that check at once both find the key unknown and both compute.
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
    if (!m->known[key]) { /* "threads rarely ask for the same key at the same moment" */
        m->value[key] = m->compute(key, m->arg);
        m->known[key] = true;
    }
    return m->value[key];
}

void memo_destroy(struct memo *m)
{
    PCHECK(pthread_mutex_destroy(&m->mutex));
}
