/*
 * exercises.h: what each exercise of chapter 3 must do. The stubs beside this file and the
 * solutions in solutions/03-races-and-locks/ both implement it, and the same tests judge both.
 *
 * Two exercises run threads (counter.c, memo.c). Their tests start many threads at the same
 * moment, but whether a missing lock shows in one run depends on how the threads share the cores:
 * run them under ThreadSanitizer too (SANITIZE=thread), which sees a data race even in a run that
 * lost nothing. One exercise runs on the event loop (bank_transfer.c), on a fake clock: there the
 * tests choose every interleaving, and it happens the same way on every run.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "loop.h"
#include "sync.h"

/* ---- counter.c ----------------------------------------------------------------------------- */

#define COUNT_MAX_THREADS 64

/*
 * Where the events to count come from: next(source) returns true for each event, and false once
 * there are no more (and from then on). Any number of threads may call it at once. The tests
 * provide it and decide how many events there are: nobody can know the total without counting.
 */
typedef bool event_fn(void *source);

/*
 * Count the events of `source` with `nthreads` threads (1 to COUNT_MAX_THREADS): start them all,
 * then join them all; each thread calls next(source) until it returns false and adds 1 to the
 * count for every true. Return the count: exact, whatever the number of threads and events. The
 * calling thread counts nothing itself. Each function counts its own way:
 *   count_with_mutex:   one shared long, every increment made while holding one pthread mutex;
 *   count_with_atomic:  one shared atomic_long, every increment one atomic_fetch_add; no lock;
 *   count_per_thread:   nothing shared while counting: each thread counts in a variable of its
 *                       own, hands its count back when it is joined, and the counts are added up.
 * A pthread call that fails may end the program (PCHECK, errors.h).
 */
long count_with_mutex(int nthreads, event_fn *next, void *source);
long count_with_atomic(int nthreads, event_fn *next, void *source);
long count_per_thread(int nthreads, event_fn *next, void *source);

/* ---- bank_transfer.c ----------------------------------------------------------------------- */

/* A bank on the event loop: naccounts balances, and the async lock that guards them. */
struct bank {
    long *balances; /* balances[i] is account i's; never below 0 */
    size_t naccounts;
    struct async_lock lock; /* free (zero-initialised) when run_transfers is called; yours */
};

struct transfer {
    size_t from, to;   /* two different accounts */
    long amount;       /* above 0 */
    double io_seconds; /* how long the bank's I/O for this transfer takes: 0 or more */
    bool applied;      /* out: true if the money moved, false if `from` had too little */
};

/*
 * Run the n transfers as tasks on `loop`, all at once (gathered), and return when all are done.
 * Each transfer checks that `from` holds at least `amount`, then waits io_seconds (TASK_SLEEP,
 * standing for the bank's I/O, which must be over before any money moves), then moves `amount`
 * from `from` to `to`; if the check failed, it moves nothing (and may skip the wait). While one
 * waits, the others run: whatever the waits, the outcome must be one that doing the transfers one
 * at a time, in some order, would give: each applied if and only if `from` held enough at its
 * turn, not a cent created or lost, no balance below 0. bank->lock is free again on return.
 * Returns 0, or -1 with errno set (the loop or a task failed).
 */
int run_transfers(struct loop *loop, struct bank *bank, struct transfer transfers[], size_t n);

/* ---- memo.c -------------------------------------------------------------------------------- */

#define MEMO_KEYS 64

/* Computes the value of `key` (0 <= key < MEMO_KEYS): slow, so worth remembering. */
typedef long memo_fn(int key, void *arg);

/* A memo table shared by threads: each key's value, once computed, and the mutex that guards it. */
struct memo {
    pthread_mutex_t mutex;
    bool known[MEMO_KEYS]; /* known[k]: value[k] holds compute(k) */
    long value[MEMO_KEYS];
    memo_fn *compute;
    void *arg;
};

/* Make `m` ready: nothing known yet, values from compute(key, arg). Returns 0 or an error number.
 */
int memo_init(struct memo *m, memo_fn *compute, void *arg);

/*
 * The value of `key` (0 <= key < MEMO_KEYS): compute(key, arg)'s result, which is computed at most
 * once per key in the memo's whole life, however many threads ask for it at the same time; those
 * that come while it is being computed wait for it and get the same value. Any number of threads
 * may call memo_get at once. compute may run with m->mutex held or not: your choice.
 */
long memo_get(struct memo *m, int key);

/* Release what memo_init set up. No thread may be using `m`. */
void memo_destroy(struct memo *m);

#endif
