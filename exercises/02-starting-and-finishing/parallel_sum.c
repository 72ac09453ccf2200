/*
 * parallel_sum.c: exercise: add up an array on threads; each partial sum comes back through join.
 *
 * Chapter 2. Start from chapters/02-starting-and-finishing/results_join.c: a thread function
 * that returns a malloc'd result, and a main that joins each thread and frees what it gets.
 * Here the threads split one array between them. Read exercises.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

void *sum_thread(void *arg)
{
    /*
     * TODO: arg points to a struct sum_job. Add up its n numbers into a long long that you
     * malloc, and return that pointer: pthread_join hands it to the joiner, who frees it.
     */
    (void)arg;
    return NULL;
}

int parallel_sum(const long a[], size_t n, size_t nthreads, long long *sum)
{
    /*
     * TODO: split a[0 .. n-1] into min(nthreads, n) contiguous chunks, one struct sum_job each;
     * start one thread per chunk with create_thread(&thread, sum_thread, &job); only then join
     * them, adding up what each returns (and freeing it). Mind the cases in exercises.h:
     * nthreads == 0, n == 0, more threads than numbers, and a create_thread that fails.
     */
    (void)a;
    (void)n;
    (void)nthreads;
    (void)sum;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
