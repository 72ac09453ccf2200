/* wrong: each thread adds up all n items instead of its own chunk: the sum is m times too big. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "exercises.h"

void chunk_bounds(size_t n, size_t nchunks, size_t k, size_t *lo, size_t *hi)
{
    size_t base = n / nchunks, extra = n % nchunks;

    /* Chunks 0 .. extra-1 have base + 1 items; chunk k starts after k chunks, of which
     * min(k, extra) were the larger ones. */
    *lo = k * base + (k < extra ? k : extra);
    *hi = *lo + base + (k < extra ? 1 : 0);
}

struct chunk {
    pthread_t thread;
    size_t lo, hi, n;
    item_fn *item;
    void *arg;
    uint64_t sum; /* written by the chunk's thread, read after the join */
};

static void *sum_chunk(void *p)
{
    struct chunk *c = p;

    (void)c->lo, (void)c->hi;
    for (size_t i = 0; i < c->n; i++)
        c->sum += c->item(i, c->arg);
    return NULL;
}

int split_sum(size_t n, size_t nthreads, item_fn *item, void *arg, uint64_t *sum)
{
    size_t m = nthreads < n ? nthreads : n, started = 0;
    struct chunk *chunks;
    int err = 0;

    if (nthreads == 0)
        return EINVAL;
    *sum = 0;
    if (m == 0)
        return 0;
    if ((chunks = calloc(m, sizeof *chunks)) == NULL)
        return ENOMEM;
    for (; started < m; started++) {
        struct chunk *c = &chunks[started];

        chunk_bounds(n, m, started, &c->lo, &c->hi);
        c->n = n;
        c->item = item;
        c->arg = arg;
        if ((err = pthread_create(&c->thread, NULL, sum_chunk, c)) != 0)
            break;
    }
    /* Join every thread that was started, even after a failure: never leave one running. */
    for (size_t j = 0; j < started; j++) {
        int rc = pthread_join(chunks[j].thread, NULL);

        if (err == 0)
            err = rc;
        *sum += chunks[j].sum;
    }
    free(chunks);
    return err;
}
