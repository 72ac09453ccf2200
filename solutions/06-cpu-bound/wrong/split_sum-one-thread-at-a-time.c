/* wrong: each thread is joined before the next is started: threads, but no two at the same time. */
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
    size_t lo, hi;
    item_fn *item;
    void *arg;
    uint64_t sum; /* written by the chunk's thread, read after the join */
};

static void *sum_chunk(void *p)
{
    struct chunk *c = p;

    for (size_t i = c->lo; i < c->hi; i++)
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
        c->item = item;
        c->arg = arg;
        if ((err = pthread_create(&c->thread, NULL, sum_chunk, c)) != 0)
            break;
        if ((err = pthread_join(c->thread, NULL)) != 0)
            break;
        *sum += c->sum;
    }
    free(chunks);
    return err;
}
