/*
 * sync.h: waiting for each other on the event loop: asyncio's Lock (chapter 3), and its Event,
 * Semaphore and Queue (chapter 4). Each is a small struct the caller owns, with wait lists of
 * parked tasks (task.h); nothing here allocates, and nothing is thread-safe: like asyncio's, these
 * are for the tasks of one loop, on one thread.
 *
 *     async with lock:                       ASYNC_LOCK(t, &lock);
 *         ...                                ...
 *                                            async_lock_release(&lock);
 *     await event.wait()                     ASYNC_EVENT_WAIT(t, &event);
 *     event.set()                            async_event_set(&event);
 *     async with sem:                        ASYNC_SEM_ACQUIRE(t, &sem);
 *         ...                                ...
 *                                            async_sem_release(&sem);
 *     await queue.put(item)                  ASYNC_QUEUE_PUT(t, &queue, item);
 *     item = await queue.get()               ASYNC_QUEUE_GET(t, &queue, &item);
 *
 * Why a loop needs these at all: a task keeps the thread only until its next wait. Code that
 * checks something, waits, then acts on what it checked can find it changed by another task
 * in between (chapter 3's bank transfer). And tasks that depend on each other need a way to wait
 * for each other without polling: a condition that another task will make true.
 *
 * Every wake-up here hands something over: the lock, a permit, an item, a free slot. The woken
 * task goes on already holding what it waited for, so a task that arrives in between cannot take
 * it first ("barging"), and whoever waits longest is served first. asyncio's Lock and Semaphore
 * behave the same; its Queue does not: a woken getter looks again, and a newcomer that came in
 * between may have taken the item that woke it (chapter 4 shows it).
 *
 * Cancellation (task_cancel, TASK_WAIT_FOR): a task parked on one of these wait lists holds nothing
 * yet, so taking it off its list changes nothing else. A task woken and handed something (the
 * heir) may be cancelled before it runs, and then never goes on to use it: each primitive watches
 * its heir's future, and if the heir ends without going on, passes what it held to the next in
 * line. So a cancellation never leaves a lock locked, a permit lost or an item stranded. There is
 * one heir at a time: the next waiter is woken when the heir goes on (asyncio wakes them the
 * same way, one after the other).
 *
 * The ASYNC_ macros are TASK_ macros: one per source line, never inside a `switch` of your own.
 */
#ifndef SYNC_H
#define SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "task.h"

/* ---- Lock ------------------------------------------------------------------------------------ */

/*
 * asyncio.Lock. Fair: a release hands the lock straight to the task that has waited longest, so a
 * task that arrives later cannot take it first. Zero-initialise it (or ASYNC_LOCK_INIT). A task
 * handed the lock that is cancelled, and ends still holding it (it never went on, say), passes it
 * on. The lock must outlive the tasks that use it.
 */
struct async_lock {
    bool locked;
    struct task_waitlist waiters;
    struct task *heir;                 /* private: the task a release handed the lock to */
    struct future_callback heir_ended; /* private: how the lock hears that the heir ended */
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

/* ---- Event ----------------------------------------------------------------------------------- */

/*
 * asyncio.Event: a flag that tasks wait to see set. Setting it wakes every waiting task; it stays
 * set (later waits go straight on) until cleared. Zero-initialise it (or ASYNC_EVENT_INIT): clear.
 */
struct async_event {
    bool set;
    struct task_waitlist waiters;
};

#define ASYNC_EVENT_INIT                                                                           \
    {                                                                                              \
        0                                                                                          \
    }

/* await event.wait(): go on at once if the event is set, else once somebody sets it. */
#define ASYNC_EVENT_WAIT(t, event)                                                                 \
    do {                                                                                           \
        if (!async_event_is_set(event))                                                            \
            TASK_WAIT_ON((t), &(event)->waiters);                                                  \
    } while (0)

/*
 * event.set(): set the flag and wake every waiting task, in the order they came. Each goes on even
 * if the event is cleared again before it runs: it was woken by this set, as in asyncio.
 */
void async_event_set(struct async_event *event);

/* event.clear(): from now on, ASYNC_EVENT_WAIT waits again. Wakes nobody. */
void async_event_clear(struct async_event *event);

/* event.is_set() */
bool async_event_is_set(const struct async_event *event);

/* ---- Semaphore ------------------------------------------------------------------------------- */

/*
 * asyncio.Semaphore: `value` permits; acquiring takes one, or waits until a release hands one over.
 * Fair, as the lock is: a release with tasks waiting gives its permit straight to the one that has
 * waited longest (the value stays 0), so a newcomer cannot take it first. A bounded semaphore
 * (asyncio.BoundedSemaphore) refuses a release that would raise the value above its starting one.
 * Initialise it with ASYNC_SEM_INIT(n) or ASYNC_BOUNDED_SEM_INIT(n); zeroed, it is unbounded at 0.
 */
struct async_sem {
    unsigned value; /* permits free now, not handed to anybody */
    unsigned bound; /* the most `value` may reach, if `bounded` */
    bool bounded;
    struct task_waitlist waiters;
    struct task *heir;                 /* private: the waiter handed a permit, until it goes on */
    struct future_callback heir_ended; /* private: how the semaphore hears that it ended instead */
};

#define ASYNC_SEM_INIT(n)                                                                          \
    {                                                                                              \
        .value = (n)                                                                               \
    }
#define ASYNC_BOUNDED_SEM_INIT(n)                                                                  \
    {                                                                                              \
        .value = (n), .bound = (n), .bounded = true                                                \
    }

/*
 * await sem.acquire(): go on holding a permit, at once if one is free, else once one is ours.
 * `sem` is evaluated again after a wait: give a pointer the task keeps in its struct, or a global.
 */
#define ASYNC_SEM_ACQUIRE(t, sem)                                                                  \
    do {                                                                                           \
        if (!async_sem_try(sem)) {                                                                 \
            TASK_WAIT_ON((t), &(sem)->waiters);                                                    \
            async_sem_woken_(sem);                                                                 \
        }                                                                                          \
    } while (0)

/* Take a permit if one is free and nobody waits: true if the caller now holds it, false if not. */
bool async_sem_try(struct async_sem *sem);

/*
 * sem.release(): hand the permit to the longest-waiting task, or add it to the value if none
 * waits. Returns 0, or -1 with errno = EOVERFLOW, changing nothing, if the value would pass
 * UINT_MAX or a bounded semaphore's bound (a release with no acquire: Python's ValueError).
 */
int async_sem_release(struct async_sem *sem);

/* The permits free now, not handed to anybody (0 whenever a task waits and none is on its way). */
unsigned async_sem_value(const struct async_sem *sem);

/* Behind the macro; not for direct use: the woken task goes on with the permit it was handed. */
void async_sem_woken_(struct async_sem *sem);

/* ---- Queue ----------------------------------------------------------------------------------- */

/*
 * asyncio.Queue(maxsize=capacity), first in first out, of `void *` items. The caller owns the
 * storage: an array of `capacity` (1 or more) slots given to async_queue_init, which must outlive
 * the queue, and the things the items point to; the queue only moves pointers. Putting waits while
 * the queue is full, getting waits while it is empty. Fair both ways: items come out in the order
 * the puts began, to getters in the order they began, and a wake-up hands over (a woken getter goes
 * on holding its item, a woken putter its free slot), so a newcomer never overtakes a waiting task.
 */
struct async_queue {
    void **slots; /* the caller's array of `capacity` slots */
    size_t capacity;
    size_t head, count; /* the items are slots[head], slots[head + 1], ... (mod capacity) */
    struct task_waitlist getters, putters;
    /* Private: the getter woken and owed the first item, and the putter woken and owed a free
     * slot, each until it goes on; and how the queue hears that one ended instead. */
    struct task *getter_heir, *putter_heir;
    struct future_callback getter_ended, putter_ended;
};

/*
 * Make `queue` an empty queue storing its items in slots[0 .. capacity - 1]. Returns 0, or -1
 * with errno = EINVAL if `slots` is NULL or `capacity` is 0 (asyncio's "unbounded" needs memory
 * that grows, which this queue never allocates).
 */
int async_queue_init(struct async_queue *queue, void **slots, size_t capacity);

/*
 * await queue.put(item): add `item` at the end, at once if there is room, else once a get has made
 * room for it. `queue` and `item` are evaluated again after a wait: give values the task keeps in
 * its struct.
 */
#define ASYNC_QUEUE_PUT(t, queue, item)                                                            \
    do {                                                                                           \
        if (!async_queue_try_put((queue), (item))) {                                               \
            TASK_WAIT_ON((t), &(queue)->putters);                                                  \
            async_queue_put_woken_((queue), (item));                                               \
        }                                                                                          \
    } while (0)

/*
 * item = await queue.get(): store the first item in *item_ptr (a `void **`), at once if there is
 * one, else once a put has added one for this task. `queue` and `item_ptr` are evaluated again
 * after a wait: point into the task's struct, never at a local variable.
 */
#define ASYNC_QUEUE_GET(t, queue, item_ptr)                                                        \
    do {                                                                                           \
        if (!async_queue_try_get((queue), (item_ptr))) {                                           \
            TASK_WAIT_ON((t), &(queue)->getters);                                                  \
            async_queue_get_woken_((queue), (item_ptr));                                           \
        }                                                                                          \
    } while (0)

/* queue.put_nowait(item): add `item` if it can go in without waiting. Returns false if not. */
bool async_queue_try_put(struct async_queue *queue, void *item);

/*
 * queue.get_nowait(): move the first item into *item if it can be had without waiting (there is
 * one, and no woken getter is owed it). Returns false, leaving *item alone, if not.
 */
bool async_queue_try_get(struct async_queue *queue, void **item);

/* queue.qsize(): the items in the queue now, the one owed to a woken getter included. */
size_t async_queue_size(const struct async_queue *queue);

/* Behind the macros; not for direct use: a woken putter or getter takes what it was promised. */
void async_queue_put_woken_(struct async_queue *queue, void *item);
void async_queue_get_woken_(struct async_queue *queue, void **item);

#endif
