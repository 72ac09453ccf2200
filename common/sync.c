/*
 * sync.c: asyncio's Lock (chapter 3), Event, Semaphore and Queue (chapter 4), on task.h's wait
 * lists. Read sync.h first.
 *
 * Ownership is handed over, not left to be grabbed. A release keeps the lock taken (or the
 * semaphore's value at 0) while it wakes the first waiter, which resumes already holding it. A
 * task that tries between the release and that wake-up finds nothing free and queues behind, so
 * no waiter can starve. The queue does the same with promises: see settle() below.
 */
#define _POSIX_C_SOURCE 200809L
#include "sync.h"

#include <errno.h>
#include <limits.h>

/* ---- Lock ------------------------------------------------------------------------------------ */

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

/* ---- Event ----------------------------------------------------------------------------------- */

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

bool async_sem_try(struct async_sem *sem)
{
    if (sem->value == 0)
        return false;
    sem->value--;
    return true;
}

int async_sem_release(struct async_sem *sem)
{
    unsigned most = sem->bounded ? sem->bound : UINT_MAX;

    /* Refuse before waking anyone: a refused release changes nothing. With tasks waiting the
     * value is 0, below any bound of 1 or more, so a hand-over is never refused. */
    if (sem->value >= most) {
        errno = EOVERFLOW;
        return -1;
    }
    if (task_wake_first(&sem->waiters) == NULL)
        sem->value++; /* nobody waits; otherwise the woken task holds this permit now */
    return 0;
}

unsigned async_sem_value(const struct async_sem *sem)
{
    return sem->value;
}

/* ---- Queue ----------------------------------------------------------------------------------- */

/*
 * The queue's rules, kept by every function below:
 *   - the first getters_woken items are promised, in order, to the getters woken and not yet run,
 *     which resume in the order they were woken (the loop's ready queue is FIFO) and each take
 *     the head; putters_woken free slots are promised likewise to woken putters;
 *   - a newcomer may take an item (or a slot) only if nobody woken is still owed one: otherwise
 *     it waits behind, and the last woken task to run calls settle(), which wakes it;
 *   - after every change, settle() promises what is not promised yet to the tasks parked longest.
 * So a parked task holds no promise and can leave its wait list at any time (chapter 10), and
 * no task stays parked while an item or a slot it could have is free, unless a woken task is
 * about to run and settle again.
 */

static void settle(struct async_queue *queue)
{
    while (queue->count > queue->getters_woken && task_wake_first(&queue->getters) != NULL)
        queue->getters_woken++;
    while (queue->capacity - queue->count > queue->putters_woken &&
           task_wake_first(&queue->putters) != NULL)
        queue->putters_woken++;
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
    if (queue->count == queue->capacity || queue->putters_woken > 0)
        return false;
    append(queue, item);
    settle(queue);
    return true;
}

bool async_queue_try_get(struct async_queue *queue, void **item)
{
    if (queue->count == 0 || queue->getters_woken > 0)
        return false;
    *item = take_head(queue);
    settle(queue);
    return true;
}

void async_queue_put_woken_(struct async_queue *queue, void *item)
{
    /* The slot promised when this task was woken is still free: no newcomer could take it. */
    append(queue, item);
    queue->putters_woken--;
    settle(queue);
}

void async_queue_get_woken_(struct async_queue *queue, void **item)
{
    /* The head is this task's: the getters woken before it have taken theirs already. */
    *item = take_head(queue);
    queue->getters_woken--;
    settle(queue);
}

size_t async_queue_size(const struct async_queue *queue)
{
    return queue->count;
}
