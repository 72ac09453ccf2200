/*
 * start_numbered.c: exercise: start n threads, each told its own index, and return at once.
 *
 * Chapter 2. Read chapters/02-starting-and-finishing/args_per_thread.c and args_address_of_i.c
 * first: one argument per thread, or one for all. Here start_numbered returns before its threads
 * may have read anything, so even its local variables are gone by then. Read exercises.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

int start_numbered(pthread_t threads[], size_t n, numbered_fn *work, void *shared)
{
    /*
     * TODO: for k = 0 .. n-1, start a thread with create_thread(&threads[k], fn, arg), where
     * fn is a thread function of yours that calls work(index, shared), and arg tells it which
     * index. Return 0 without joining: the caller does. If a start fails, join the threads
     * already started, free what you allocated, and return -1 with errno set to the error.
     */
    (void)threads;
    (void)n;
    (void)work;
    (void)shared;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
