/*
 * exercises.h: what each exercise of chapter 4 must do. The stubs beside this file and the
 * solutions in solutions/04-coordination/ both implement it, and the same tests judge both.
 *
 * Two exercises are for threads and one for the loop. Every pthread function returns 0 or an
 * error number (errors.h); the thread functions here do the same: 0, or an error number.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

/* ---- bounded_queue.c ----------------------------------------------------------------------- */

/*
 * queue.Queue(maxsize=capacity) for threads, with Python 3.13's shutdown() as bq_close: a FIFO of
 * `void *` items in the caller's array of `capacity` slots, guarded by one mutex, with one
 * condition variable for each thing a thread can wait for. The fields are part of the contract:
 * the tests lock `lock` to look at `count`, and may broadcast either condition variable at any
 * time, as POSIX allows a wait to end with nothing changed (a spurious wake-up). So whenever
 * `lock` is free, the fields must say what is in the queue.
 */
struct bounded_queue {
    void **slots;    /* the caller's array of `capacity` slots; the queue only moves pointers */
    size_t capacity; /* 1 or more */
    size_t head;     /* the items are slots[head], slots[(head + 1) % capacity], ... */
    size_t count;    /* how many: 0 to capacity, never more */
    bool closed;     /* set by bq_close, never cleared */
    pthread_mutex_t lock;     /* guards every field above */
    pthread_cond_t not_full;  /* bq_put waits on it while the queue is full */
    pthread_cond_t not_empty; /* bq_get waits on it while the queue is empty */
};

/*
 * Make `q` an empty, open queue storing its items in slots[0 .. capacity - 1] (the caller's
 * array, which must outlive the queue). Returns 0, EINVAL if `slots` is NULL or `capacity` is 0,
 * or the error number of a pthread_*_init that failed (then nothing is left to destroy).
 */
int bq_init(struct bounded_queue *q, void **slots, size_t capacity);

/* Destroy the mutex and condition variables. No thread may be using the queue any more. */
void bq_destroy(struct bounded_queue *q);

/*
 * q.put(item): add `item` at the end, first waiting, without using the CPU, while the queue is
 * full. Returns 0, or EPIPE (item not added) if the queue is closed, or closed while waiting.
 */
int bq_put(struct bounded_queue *q, void *item);

/*
 * q.get(): move the first item into *item, first waiting, without using the CPU, while the queue
 * is empty and open. Returns 0, or EPIPE (*item untouched) once the queue is closed and empty:
 * items put before the close are still handed out.
 */
int bq_get(struct bounded_queue *q, void **item);

/* q.shutdown(): close the queue and wake every thread waiting in bq_put or bq_get. */
void bq_close(struct bounded_queue *q);

/* ---- multiplex.c --------------------------------------------------------------------------- */

/*
 * The Little Book of Semaphores' multiplex (threading.BoundedSemaphore(limit) used as `with`):
 * at most `limit` threads inside at once; the others wait at the door. Built from a mutex and a
 * condition variable, so it works where sem_t does not (macOS). As with the queue, the tests lock
 * `lock` to look at the fields and may broadcast `room` at any time.
 */
struct multiplex {
    unsigned limit;       /* 1 or more */
    unsigned inside;      /* threads between mp_enter and mp_leave: 0 to limit, never more */
    pthread_mutex_t lock; /* guards both */
    pthread_cond_t room;  /* mp_enter waits on it while `limit` threads are inside */
};

/* Make `m` an empty multiplex for `limit` threads. Returns 0, EINVAL if limit is 0, or the
 * error number of a pthread_*_init that failed (then nothing is left to destroy). */
int mp_init(struct multiplex *m, unsigned limit);

/* Destroy the mutex and condition variable. No thread may be inside or waiting. */
void mp_destroy(struct multiplex *m);

/* Come in: wait, without using the CPU, while `limit` threads are inside. Returns 0, or an error
 * number from a pthread function. */
int mp_enter(struct multiplex *m);

/* Go out, and let one waiting thread in. Returns 0, or EPERM (changing nothing) if nobody is
 * inside: a leave without an enter, which BoundedSemaphore refuses with ValueError. */
int mp_leave(struct multiplex *m);

/* ---- limit_requests.c ---------------------------------------------------------------------- */

/* One request: waiting `seconds` (0 or more) stands for waiting for a server's reply. */
struct request {
    const char *name;
    double seconds;
};

/* When one request began and ended its wait, in loop_time() seconds. */
struct request_result {
    double started;
    double finished;
};

/*
 * Make the n requests concurrently, as tasks on `loop`, but never more than `limit` at once, as
 *     sem = asyncio.Semaphore(limit)
 *     async def fetch(r):
 *         async with sem: await asyncio.sleep(r.seconds)
 *     await asyncio.gather(*(fetch(r) for r in requests))
 * does: a request begins as soon as a place is free, in the order of the array. Fill results[i]
 * (the caller's array) for requests[i]. Returns 0, or -1 with errno set: EINVAL if `limit` is 0,
 * ENOMEM, or whatever running the tasks failed with. n may be 0, and may be in the thousands.
 */
int limit_requests(struct loop *loop, const struct request requests[], size_t n, unsigned limit,
                   struct request_result results[]);

#endif
