/*
 * split_sum.c: exercise: split a sum over N threads, with the same result for any N.
 *
 * Chapter 6. Start from chapters/06-cpu-bound/split_threads.c: one chunk per thread, each thread
 * writing its own partial sum, main adding them up after the joins. Here the number of items
 * need not divide evenly, and there may be more threads than items.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "exercises.h"

void chunk_bounds(size_t n, size_t nchunks, size_t k, size_t *lo, size_t *hi)
{
    /*
     * TODO: chunk k of nchunks over the items 0 .. n-1. Every chunk gets n / nchunks items, and
     * the first n % nchunks chunks one more. Where does chunk k start, then?
     */
    (void)n;
    (void)nchunks;
    (void)k;
    *lo = *hi = 0;
}

int split_sum(size_t n, size_t nthreads, item_fn *item, void *arg, uint64_t *sum)
{
    /*
     * TODO: m = min(nthreads, n) threads, thread j summing item(i, arg) over chunk j of m.
     * Give each thread a struct with its bounds, item, arg and a place for its partial sum;
     * start them all, then join them all, then add up the partial sums into *sum.
     */
    (void)n;
    (void)nthreads;
    (void)item;
    (void)arg;
    (void)sum;
    return ENOSYS; /* "not implemented", until you implement it */
}
