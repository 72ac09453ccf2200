/*
 * exercises.h: what each exercise of chapter 5 must do. The stubs beside this file and the
 * solutions in solutions/05-deadlocks-and-bugs/ both implement it, and the same tests judge both.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- lock_cycle.c -------------------------------------------------------------------------- */

/*
 * One edge of a lock graph. In a wait-for graph, from -> to says "thread `from` waits for a lock
 * that thread `to` holds": a cycle is a deadlock, now. In a lock-order graph, it says "some thread
 * took lock `to` while holding lock `from`": a cycle is a deadlock that some timing can cause.
 */
struct lock_edge {
    size_t from, to;
};

/* The largest graphs the tests give: this many nodes, and this many edges. */
#define LOCK_GRAPH_MAX 250000

/*
 * Find a cycle in the directed graph of n nodes (0 .. n-1) and the m edges edges[0 .. m-1]. Edges
 * may repeat, come in any order, and leave some nodes out; an edge from a node to itself is a
 * cycle of one node. If there is a cycle, write one to cycle[] (the caller's array of n entries):
 * k different nodes such that cycle[0] -> cycle[1], ..., cycle[k-2] -> cycle[k-1] and
 * cycle[k-1] -> cycle[0] are all edges, and return k. Return 0 if the graph has no cycle, or -1
 * with errno set (ENOMEM) if memory runs out. The graph may be one chain of 100,000 nodes: a
 * search that goes one function call deeper per node runs out of stack (the tests run it on a
 * thread with 1 MiB of stack). It must take time in proportion to n + m: the tests give up on a
 * call that uses more than about 2 seconds of CPU.
 */
long find_lock_cycle(size_t n, const struct lock_edge edges[], size_t m, size_t cycle[]);

/* ---- safe_transfer.c ----------------------------------------------------------------------- */

/*
 * A bank account. Its balance is read and written only while its lock is held, and it is locked
 * and unlocked only with the three functions below. The tests provide them: they are
 * pthread_mutex_lock, pthread_mutex_trylock and pthread_mutex_unlock on `mutex` (made with the type
 * PTHREAD_MUTEX_ERRORCHECK), plus a record of which thread holds which account and waits for which.
 * With it a test sees a deadlock the moment it happens, and can arrange the timing that causes one.
 */
struct account {
    unsigned id; /* unique among the accounts: use it to order them */
    long balance;
    pthread_mutex_t mutex;
};

/* Lock `a`: 0, or EDEADLK if the calling thread holds it already (a thread waiting for itself). */
int account_lock(struct account *a);

/* Lock `a` if it is free: 0; EBUSY if another thread holds it; EDEADLK if the caller does. */
int account_trylock(struct account *a);

/* Unlock `a`: 0, or EPERM if the calling thread does not hold it. */
int account_unlock(struct account *a);

/*
 * Move `amount` (above 0) from `from` to `to` if from's balance is at least `amount`, and return
 * true; otherwise change nothing and return false. The check and the move happen under the locks,
 * so no other transfer can change the balance in between. Many threads call it at once, with any
 * two accounts, in either direction, and with from == to (which moves nothing, and returns whether
 * the balance covers the amount). It must never deadlock, nor lose or make money. It uses the two
 * accounts' locks and no other lock, so transfers between other accounts go on meanwhile.
 */
bool transfer(struct account *from, struct account *to, long amount);

/* ---- lockdep.c ----------------------------------------------------------------------------- */

/* The most locks and threads a lockdep is made for. */
#define LOCKDEP_MAX_LOCKS 1024
#define LOCKDEP_MAX_THREADS 64

/*
 * A lock-order checker, as Linux's lockdep: the threads tell it every lock they take and release,
 * and it learns in which order locks are taken. When a thread is about to wait for a lock in an
 * order that contradicts what it has learned, it reports the inversion, even if this run does not
 * deadlock: another run, with other timing, would. Defined by you, in lockdep.c.
 */
struct lockdep;

/*
 * A checker for nlocks locks (0 .. nlocks-1, at most LOCKDEP_MAX_LOCKS) taken by nthreads threads
 * (0 .. nthreads-1, at most LOCKDEP_MAX_THREADS), that has learned nothing yet. Returns NULL with
 * errno set if memory runs out. Free it with lockdep_free.
 */
struct lockdep *lockdep_new(size_t nlocks, size_t nthreads);

void lockdep_free(struct lockdep *ld);

/*
 * Thread `thread` is about to wait for `lock` (it calls pthread_mutex_lock, which may block).
 * First look for an inversion: a chain of orders learned earlier, lock -> ... -> h, from `lock` to
 * a lock h that this thread holds now. (Some thread took those locks in that order; this one holds
 * h and waits for `lock`: together they can deadlock.) If there is one, write it to chain[] (the
 * caller's array of nlocks entries), chain[0] == lock, chain[k-1] == h, each chain[i] -> chain[i+1]
 * an order learned earlier, and return its length k; otherwise return 0. Then learn, for every
 * lock h the thread holds, the order h -> lock, and count `lock` as held by the thread.
 * If the thread holds `lock` already, report the chain {lock} (k = 1: a thread waiting for itself)
 * and change nothing. Safe to call from several threads at once.
 */
size_t lockdep_acquire(struct lockdep *ld, size_t thread, size_t lock, size_t chain[]);

/*
 * Thread `thread` took `lock` with a trylock that succeeded. It holds `lock` now, but a trylock
 * never waits, so it cannot be part of a deadlock: learn no order, report nothing.
 */
void lockdep_acquire_try(struct lockdep *ld, size_t thread, size_t lock);

/* Thread `thread` released `lock` (which it holds). Locks may be released in any order. */
void lockdep_release(struct lockdep *ld, size_t thread, size_t lock);

#endif
