/*
 * sync.h: waiting for each other on the event loop: asyncio's Lock (and, from chapter 4, its
 * Event, Semaphore and Queue). Each is a small struct the caller owns, zero-initialised, with a
 * wait list of parked tasks (task.h); nothing here allocates, and nothing is thread-safe: like
 * asyncio's, these are for tasks of one loop, on one thread.
 *
 *     async with lock:                       ASYNC_LOCK(t, &lock);
 *         ...                                ...
 *                                            async_lock_release(&lock);
 *
 * Why a loop needs locks at all: a task keeps the thread only until its next wait. Code that
 * checks something, waits, then acts on what it checked can find it changed by another task
 * in between (chapter 3's bank transfer). A lock makes the others wait until the release.
 */
#ifndef SYNC_H
#define SYNC_H

#include <stdbool.h>

#include "task.h"

/*
 * asyncio.Lock. Fair: a release hands the lock straight to the task that has waited longest, so a
 * task that arrives later cannot take it first. Zero-initialise it (or ASYNC_LOCK_INIT).
 */
struct async_lock {
    bool locked;
    struct task_waitlist waiters;
};

#define ASYNC_LOCK_INIT                                                                            \
    {                                                                                              \
        0                                                                                          \
    }

/* await lock.acquire(): go on holding the lock, at once if it is free, else once it is ours. */
#define ASYNC_LOCK(t, lock)                                                                        \
    do {                                                                                           \
        if (!async_lock_try(lock))                                                                 \
            TASK_WAIT_ON((t), &(lock)->waiters);                                                   \
    } while (0)

/* Take the lock if it is free: true if the caller now holds it, false if it must wait. */
bool async_lock_try(struct async_lock *lock);

/* lock.release(): give the lock to the longest-waiting task, or leave it free if none waits. */
void async_lock_release(struct async_lock *lock);

/* True while some task holds the lock. */
bool async_lock_locked(const struct async_lock *lock);

#endif
