/*
 * lockdep.c: exercise: a lock-order checker that finds deadlocks in runs that did not deadlock.
 *
 * Chapter 5. transfer_deadlock.c deadlocks because two threads take two locks in opposite orders.
 * A run where they happen not to meet finishes fine, and the bug stays hidden. A checker that
 * remembers every order in which locks were taken sees the contradiction anyway: this is what
 * Linux's lockdep and ThreadSanitizer's deadlock detector do. Build a small one.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

/* TODO: what the checker remembers: the orders learned, and the locks each thread holds. */
struct lockdep {
    size_t nlocks, nthreads;
};

struct lockdep *lockdep_new(size_t nlocks, size_t nthreads)
{
    /* TODO: allocate and set up a checker that has learned nothing (exercises.h). */
    (void)nlocks;
    (void)nthreads;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return NULL;
}

void lockdep_free(struct lockdep *ld)
{
    free(ld);
}

size_t lockdep_acquire(struct lockdep *ld, size_t thread, size_t lock, size_t chain[])
{
    /* TODO: look for a chain lock -> ... -> (a lock the thread holds), then learn and hold. */
    (void)ld;
    (void)thread;
    (void)lock;
    (void)chain;
    return 0;
}

void lockdep_acquire_try(struct lockdep *ld, size_t thread, size_t lock)
{
    /* TODO: the thread holds `lock` now; learn nothing. */
    (void)ld;
    (void)thread;
    (void)lock;
}

void lockdep_release(struct lockdep *ld, size_t thread, size_t lock)
{
    /* TODO: the thread no longer holds `lock`. */
    (void)ld;
    (void)thread;
    (void)lock;
}
