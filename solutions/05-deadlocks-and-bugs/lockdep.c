/*
 * lockdep.c: solution: the orders learned as a graph, searched breadth-first before each wait.
 *
 * Chapter 5, exercise lockdep.c. Every blocking acquisition of lock L while the thread holds h
 * teaches the order h -> L. Before it does, a breadth-first search from L along the orders learned
 * looks for a lock the thread holds: a path L -> ... -> h means some threads took those locks in
 * that order, and this one is about to wait for L while holding h, the other way round. That is a
 * cycle of the lock-order graph, the shape lock_cycle.c looks for, found as it is about to close.
 * One mutex guards the whole checker: the threads it watches call it at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "errors.h"
#include "exercises.h"

#define NONE ((size_t)-1)

struct lockdep {
    size_t nlocks, nthreads;
    pthread_mutex_t mutex;
    unsigned char *known; /* known[a * nlocks + b]: the order a -> b is learned */
    size_t *after;        /* after[a * nlocks + i], i < nafter[a]: the locks learned after a */
    size_t *nafter;
    unsigned char *held; /* held[t * nlocks + l]: thread t holds lock l */
    size_t *via;         /* the search: the lock it came from to reach each lock, or NONE */
    size_t *queue;
};

struct lockdep *lockdep_new(size_t nlocks, size_t nthreads)
{
    struct lockdep *ld = calloc(1, sizeof *ld);
    int err;

    if (ld == NULL)
        return NULL;
    if ((err = pthread_mutex_init(&ld->mutex, NULL)) != 0) {
        free(ld);
        errno = err;
        return NULL;
    }
    ld->nlocks = nlocks;
    ld->nthreads = nthreads;
    ld->known = calloc(nlocks * nlocks + 1, 1);
    ld->after = malloc((nlocks * nlocks + 1) * sizeof *ld->after);
    ld->nafter = calloc(nlocks + 1, sizeof *ld->nafter);
    ld->held = calloc(nthreads * nlocks + 1, 1);
    ld->via = malloc((nlocks + 1) * sizeof *ld->via);
    ld->queue = malloc((nlocks + 1) * sizeof *ld->queue);
    if (!ld->known || !ld->after || !ld->nafter || !ld->held || !ld->via || !ld->queue) {
        lockdep_free(ld);
        errno = ENOMEM;
        return NULL;
    }
    return ld;
}

void lockdep_free(struct lockdep *ld)
{
    if (ld == NULL)
        return;
    pthread_mutex_destroy(&ld->mutex);
    free(ld->known), free(ld->after), free(ld->nafter), free(ld->held), free(ld->via);
    free(ld->queue);
    free(ld);
}

static bool holds(const struct lockdep *ld, size_t thread, size_t lock)
{
    return ld->held[thread * ld->nlocks + lock];
}

/* A path lock -> ... -> h along the orders learned, h held by `thread`: its length, or 0. */
static size_t find_inversion(struct lockdep *ld, size_t thread, size_t lock, size_t chain[])
{
    size_t head = 0, tail = 0;

    for (size_t l = 0; l < ld->nlocks; l++)
        ld->via[l] = NONE;
    ld->via[lock] = lock;
    ld->queue[tail++] = lock;
    while (head < tail) {
        size_t v = ld->queue[head++];

        if (v != lock && holds(ld, thread, v)) {
            size_t k = 0;

            for (size_t x = v; x != lock; x = ld->via[x]) /* walk back from h to lock */
                chain[k++] = x;
            chain[k++] = lock;
            for (size_t i = 0; i < k / 2; i++) { /* and turn it round: lock first */
                size_t t = chain[i];

                chain[i] = chain[k - 1 - i];
                chain[k - 1 - i] = t;
            }
            return k;
        }
        for (size_t i = 0; i < ld->nafter[v]; i++) {
            size_t w = ld->after[v * ld->nlocks + i];

            if (ld->via[w] == NONE) {
                ld->via[w] = v;
                ld->queue[tail++] = w;
            }
        }
    }
    return 0;
}

size_t lockdep_acquire(struct lockdep *ld, size_t thread, size_t lock, size_t chain[])
{
    size_t k;

    PCHECK(pthread_mutex_lock(&ld->mutex));
    if (holds(ld, thread, lock)) { /* waiting for itself */
        chain[0] = lock;
        PCHECK(pthread_mutex_unlock(&ld->mutex));
        return 1;
    }
    k = find_inversion(ld, thread, lock, chain);
    for (size_t h = 0; h < ld->nlocks; h++) {
        if (holds(ld, thread, h) && !ld->known[h * ld->nlocks + lock]) {
            ld->known[h * ld->nlocks + lock] = 1;
            ld->after[h * ld->nlocks + ld->nafter[h]++] = lock;
        }
    }
    ld->held[thread * ld->nlocks + lock] = 1;
    PCHECK(pthread_mutex_unlock(&ld->mutex));
    return k;
}

void lockdep_acquire_try(struct lockdep *ld, size_t thread, size_t lock)
{
    PCHECK(pthread_mutex_lock(&ld->mutex));
    ld->held[thread * ld->nlocks + lock] = 1;
    PCHECK(pthread_mutex_unlock(&ld->mutex));
}

void lockdep_release(struct lockdep *ld, size_t thread, size_t lock)
{
    PCHECK(pthread_mutex_lock(&ld->mutex));
    ld->held[thread * ld->nlocks + lock] = 0;
    PCHECK(pthread_mutex_unlock(&ld->mutex));
}
