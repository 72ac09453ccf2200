/*
 * sync.c: asyncio's Lock (chapter 3), Event, Semaphore and Queue (chapter 4), on task.h's wait
 * lists. Read sync.h first.
 *
 * Ownership is handed over, not left to be grabbed. A release keeps the lock taken (or the
 * permit out of the semaphore's value) while it wakes the first waiter, the *heir*, which resumes
 * already holding it. A task that tries between the release and that wake-up finds nothing free
 * and queues behind, so no waiter can starve. The queue does the same with its first item and
 * its free slots.
 *
 * One heir at a time per primitive (per side, for the queue): the next waiter is woken when the
 * heir goes on, in the macro right after its TASK_WAIT_ON. That keeps one future_callback in the
 * primitive enough to watch the heir: if it is cancelled before it could go on, it skips that
 * code and ends, its future is done, and the callback passes on what the heir held.
 */
#define _POSIX_C_SOURCE 200809L
#include "sync.h"

#include <errno.h>
#include <limits.h>

/* ---- Lock ------------------------------------------------------------------------------------ */

static void lock_heir_ended(struct loop *loop, struct future *future, void *arg);

/* Give the lock to the longest waiter, who becomes its heir, or leave it free. */
static void lock_pass_on(struct async_lock *lock)
{
    struct task *next = task_wake_first(&lock->waiters);

    lock->heir = next;
    if (next == NULL) {
        lock->locked = false;
        return;
    }
    future_add_done_callback(&next->future, &lock->heir_ended, lock_heir_ended, lock);
}

/*
 * The heir ended still holding the lock it was handed. Cancelled (before it could go on, or in a
 * cleanup that did not release), it passes the lock on. Ended normally without a release, it is
 * the caller's bug, as for any holder: the lock stays locked, for the bug to show.
 */
static void lock_heir_ended(struct loop *loop, struct future *future, void *arg)
{
    struct async_lock *lock = arg;

    (void)loop;
    (void)future;
    if (task_cancelled(lock->heir))
        lock_pass_on(lock);
}

bool async_lock_try(struct async_lock *lock)
{
    if (lock->locked)
        return false;
    lock->locked = true;
    return true;
}

void async_lock_release(struct async_lock *lock)
{
    /* The heir, if any, is the holder: it no longer needs watching. */
    if (lock->heir != NULL)
        future_remove_done_callback(&lock->heir->future, &lock->heir_ended);
    lock_pass_on(lock); /* the next waiter holds it now, or nobody does */
}

bool async_lock_locked(const struct async_lock *lock)
{
    return lock->locked;
}

/* ---- Event ----------------------------------------------------------------------------------- */

/* A woken event waiter holds nothing: there is nothing to pass on if it is cancelled. */

void async_event_set(struct async_event *event)
{
    event->set = true;
    task_wake_all(&event->waiters);
}

void async_event_clear(struct async_event *event)
{
    event->set = false;
}

bool async_event_is_set(const struct async_event *event)
{
    return event->set;
}

/* ---- Semaphore ------------------------------------------------------------------------------- */

static void sem_heir_ended(struct loop *loop, struct future *future, void *arg);

/* If there is no heir, a free permit and a waiter: hand the permit to the longest waiter. */
static void sem_settle(struct async_sem *sem)
{
    if (sem->heir != NULL || sem->value == 0 || task_waitlist_empty(&sem->waiters))
        return;
    sem->value--;
    sem->heir = task_wake_first(&sem->waiters);
    future_add_done_callback(&sem->heir->future, &sem->heir_ended, sem_heir_ended, sem);
}

/* The heir ended before it could go on: its permit comes back, for the next in line. */
static void sem_heir_ended(struct loop *loop, struct future *future, void *arg)
{
    struct async_sem *sem = arg;

    (void)loop;
    (void)future;
    sem->heir = NULL;
    sem->value++;
    sem_settle(sem);
}

bool async_sem_try(struct async_sem *sem)
{
    /* Waiters come first: a permit free now is theirs, one after the other. */
    if (sem->value == 0 || !task_waitlist_empty(&sem->waiters))
        return false;
    sem->value--;
    return true;
}

int async_sem_release(struct async_sem *sem)
{
    unsigned most = sem->bounded ? sem->bound : UINT_MAX;

    /* Refuse before changing anything. With tasks waiting and no heir, the value is 0, below any
     * bound of 1 or more, so a hand-over is never refused. */
    if (sem->value >= most) {
        errno = EOVERFLOW;
        return -1;
    }
    sem->value++;
    sem_settle(sem); /* straight to the longest waiter, if there is one and no heir yet */
    return 0;
}

void async_sem_woken_(struct async_sem *sem)
{
    /* The heir goes on with its permit: stop watching it, and wake the next if one is free. */
    future_remove_done_callback(&sem->heir->future, &sem->heir_ended);
    sem->heir = NULL;
    sem_settle(sem);
}

unsigned async_sem_value(const struct async_sem *sem)
{
    return sem->value;
}

/* ---- Queue ----------------------------------------------------------------------------------- */

/*
 * The queue's rules, kept by every function below:
 *   - the getter heir is owed the first item, the putter heir a free slot: nobody else may take
 *     them, so a newcomer that finds an heir on its side waits behind;
 *   - after every change, settle() makes an heir of the longest parked getter if there is an
 *     item and no getter heir, and of the longest parked putter if there is room and no putter
 *     heir. So no task stays parked while something it could have is free, unless an heir is
 *     about to go on, or to end, and call settle() again.
 */

static void getter_heir_ended(struct loop *loop, struct future *future, void *arg);
static void putter_heir_ended(struct loop *loop, struct future *future, void *arg);

static void settle(struct async_queue *queue)
{
    if (queue->getter_heir == NULL && queue->count > 0 &&
        (queue->getter_heir = task_wake_first(&queue->getters)) != NULL)
        future_add_done_callback(&queue->getter_heir->future, &queue->getter_ended,
                                 getter_heir_ended, queue);
    if (queue->putter_heir == NULL && queue->count < queue->capacity &&
        (queue->putter_heir = task_wake_first(&queue->putters)) != NULL)
        future_add_done_callback(&queue->putter_heir->future, &queue->putter_ended,
                                 putter_heir_ended, queue);
}

/* A heir ended before it could go on: what it was owed goes to the next in line. */
static void getter_heir_ended(struct loop *loop, struct future *future, void *arg)
{
    struct async_queue *queue = arg;

    (void)loop;
    (void)future;
    queue->getter_heir = NULL;
    settle(queue);
}

static void putter_heir_ended(struct loop *loop, struct future *future, void *arg)
{
    struct async_queue *queue = arg;

    (void)loop;
    (void)future;
    queue->putter_heir = NULL;
    settle(queue);
}

static void append(struct async_queue *queue, void *item)
{
    queue->slots[(queue->head + queue->count) % queue->capacity] = item;
    queue->count++;
}

static void *take_head(struct async_queue *queue)
{
    void *item = queue->slots[queue->head];

    queue->slots[queue->head] = NULL; /* the queue no longer refers to it */
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
    return item;
}

int async_queue_init(struct async_queue *queue, void **slots, size_t capacity)
{
    if (slots == NULL || capacity == 0) {
        errno = EINVAL;
        return -1;
    }
    *queue = (struct async_queue){.slots = slots, .capacity = capacity};
    return 0;
}

bool async_queue_try_put(struct async_queue *queue, void *item)
{
    /* With putters parked there is a putter heir, or no room (settle's rule): they come first. */
    if (queue->count == queue->capacity || queue->putter_heir != NULL)
        return false;
    append(queue, item);
    settle(queue);
    return true;
}

bool async_queue_try_get(struct async_queue *queue, void **item)
{
    if (queue->count == 0 || queue->getter_heir != NULL)
        return false;
    *item = take_head(queue);
    settle(queue);
    return true;
}

void async_queue_put_woken_(struct async_queue *queue, void *item)
{
    /* The slot owed to this heir is still free: no newcomer could put while it was owed. */
    future_remove_done_callback(&queue->putter_heir->future, &queue->putter_ended);
    queue->putter_heir = NULL;
    append(queue, item);
    settle(queue);
}

void async_queue_get_woken_(struct async_queue *queue, void **item)
{
    /* The first item is this heir's: no newcomer could get while it was owed. */
    future_remove_done_callback(&queue->getter_heir->future, &queue->getter_ended);
    queue->getter_heir = NULL;
    *item = take_head(queue);
    settle(queue);
}

size_t async_queue_size(const struct async_queue *queue)
{
    return queue->count;
}
