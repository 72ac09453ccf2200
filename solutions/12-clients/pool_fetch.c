/*
 * pool_fetch.c: solution: `threads` workers taking the next index under a mutex.
 *
 * Chapter 12. concurrent.futures.ThreadPoolExecutor(max_workers=threads).map(fn, range(n)),
 * by hand. The index is the only thing the workers share; each result goes to its own slot, so
 * results[] needs no lock. Compare with chapters/12-clients/crawl_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>

#include "exercises.h"

struct pool {
    pthread_mutex_t mutex;
    size_t next, n; /* next: guarded by mutex */
    fetch_fn *fn;
    void *arg;
    int *results;
};

/* Lock, unlock and join cannot fail here (a default mutex, locked once by its holder; threads
 * joined once): their error numbers are not worth a branch in an exercise's answer. */
static bool take(struct pool *p, size_t *i)
{
    bool found;

    pthread_mutex_lock(&p->mutex);
    found = p->next < p->n;
    if (found)
        *i = p->next++;
    pthread_mutex_unlock(&p->mutex);
    return found;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    size_t i;

    while (take(p, &i))
        p->results[i] = p->fn(i, p->arg);
    return NULL;
}

int pool_fetch(size_t n, size_t threads, fetch_fn *fn, void *arg, int results[])
{
    struct pool p = {.n = n, .fn = fn, .arg = arg, .results = results};
    pthread_t pool[POOL_MAX_THREADS];
    size_t started = 0;
    int err = 0;

    if (threads > n)
        threads = n;
    if (threads > POOL_MAX_THREADS)
        threads = POOL_MAX_THREADS;
    if ((err = pthread_mutex_init(&p.mutex, NULL)) != 0)
        return err;
    while (started < threads && (err = pthread_create(&pool[started], NULL, worker, &p)) == 0)
        started++;
    if (started == 0 && n > 0)
        worker(&p); /* not even one thread: do the work here rather than leave it undone */
    for (size_t k = 0; k < started; k++)
        pthread_join(pool[k], NULL);
    pthread_mutex_destroy(&p.mutex);
    return err;
}
