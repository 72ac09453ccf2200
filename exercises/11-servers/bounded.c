/*
 * bounded.c: exercise: a fixed pool of threads that runs a list of items, N at a time.
 *
 * Chapter 11. chapters/11-servers/server_pool.c starts --threads workers once and hands each
 * accepted connection to whichever is free: never more than N served at once, however many
 * clients come, and never fewer while some wait. Here the "connections" are items 0..nitems-1.
 * Python: concurrent.futures.ThreadPoolExecutor(max_workers=N).map(work, range(nitems)).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "exercises.h"

int run_bounded(int nitems, int nthreads, bounded_work *work, void *arg)
{
    /*
     * TODO: start min(nthreads, nitems) workers. Each loops: take the next item (a shared
     * counter, under a mutex), stop if none is left, run work(item, arg). Join them all.
     */
    (void)nitems;
    (void)nthreads;
    (void)work;
    (void)arg;
    return ENOSYS;
}
