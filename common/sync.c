/*
 * sync.c: asyncio's Lock (chapter 3), on task.h's wait lists. Read sync.h first.
 *
 * Ownership is handed over, not left to be grabbed: release() keeps `locked` true while it wakes
 * the first waiter, which resumes already holding the lock. A task that tries the lock between the
 * release and that wake-up finds it taken and queues behind, so no waiter can starve.
 */
#define _POSIX_C_SOURCE 200809L
#include "sync.h"

bool async_lock_try(struct async_lock *lock)
{
    if (lock->locked)
        return false;
    lock->locked = true;
    return true;
}

void async_lock_release(struct async_lock *lock)
{
    if (task_wake_first(&lock->waiters) == NULL)
        lock->locked = false; /* nobody waits: free; otherwise the woken task holds it now */
}

bool async_lock_locked(const struct async_lock *lock)
{
    return lock->locked;
}
