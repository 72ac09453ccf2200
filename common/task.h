/*
 * task.h: tasks on the event loop, written to read like Python's async functions.
 *
 *     async def job(name, seconds):          static int job(struct task *t)
 *                                             {
 *                                                 struct job *j = (struct job *)t;
 *                                                 TASK_BEGIN(t);
 *         print(f"Task {name} started")           printf("Task %s started\n", j->name);
 *         await asyncio.sleep(seconds)            TASK_SLEEP(t, j->seconds);
 *         print(f"Task {name} finished")          printf("Task %s finished\n", j->name);
 *                                                 TASK_END(t);
 *                                             }
 *
 * A task is a step function that the loop calls again each time the task can go on. Every
 * TASK_SLEEP or TASK_GATHER returns from the function, and the next call jumps back to just after
 * it. That is how one thread runs many tasks: a waiting task is not on the stack at all.
 * The price, which chapter 9 explains when it opens these macros: local variables do not survive
 * a wait. Keep everything a task needs across a wait in its struct, which starts with a
 * `struct task` so that a pointer to one is a pointer to the other.
 *
 * Only one TASK_ macro may stand on a source line, and the macros must not be used inside a
 * `switch` of your own (they are built on one).
 */
#ifndef TASK_H
#define TASK_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

/* What a step function returns: TASK_PENDING to be called again later, TASK_DONE when finished. */
enum task_state { TASK_PENDING, TASK_DONE };

struct task;
typedef enum task_state task_fn(struct task *task);

/*
 * Tasks parked until somebody wakes them, first come first served: what sync.h's locks, events,
 * semaphores and queues are made of. Zero-initialise it ({0}); it owns nothing.
 */
struct task_waitlist {
    struct task *first, *last;
};

struct task {
    const char *name;  /* for messages and the timeline; may be NULL */
    void *result;      /* what TASK_RETURN gave back, once the task is done */
    int error;         /* 0, or the errno of a wait that could not be set up (the task then ends) */
    struct loop *loop; /* the loop the task runs on, once started */

    /* Private: the task machinery's own fields. */
    task_fn *step;
    int resume; /* where the step function goes on: a __LINE__, 0 at the start */
    bool started, done;
    struct loop_callback wakeup;     /* the next step, waiting in the loop's ready queue */
    struct loop_timer timer;         /* for TASK_SLEEP */
    struct task *waiter;             /* the task gathering this one, if any */
    size_t waiting_for;              /* for a gathering task: how many of its children still run */
    struct task_waitlist *parked_on; /* the wait list this task is parked on, or NULL */
    struct task *park_prev, *park_next; /* its neighbours there */
};

/* Prepare `task` to run `step`. Nothing runs until task_start, task_run or TASK_GATHER. */
void task_init(struct task *task, const char *name, task_fn *step);

/* Schedule the task's first step on `loop` (asyncio.create_task): it runs on a later iteration. */
void task_start(struct loop *loop, struct task *task);

/*
 * Start `task` and run the loop until nothing is left (asyncio.run). Returns 0 if the task
 * finished without error, else -1 with errno set: the task's error, EDEADLK if the loop ran out of
 * things to wait for before the task finished, or the loop's error (then only loop_free is safe).
 */
int task_run(struct loop *loop, struct task *task);

/*
 * asyncio.run(main()) where main() awaits asyncio.gather(*tasks): run the n tasks (task_init'ed, not started) concurrently on
 * `loop` until all are done. Returns 0, or -1 with errno set if the loop or a task failed.
 */
int task_run_all(struct loop *loop, struct task *const tasks[], size_t n);

/* True once the task has finished. */
bool task_done(const struct task *task);

/*
 * Take the first task off `list` and schedule its next step on its loop (it runs on a later
 * iteration, after what is already queued). Returns that task, or NULL if the list was empty.
 */
struct task *task_wake_first(struct task_waitlist *list);

/* Wake every task parked on `list`, in the order they came. Returns how many there were. */
size_t task_wake_all(struct task_waitlist *list);

/* True if no task is parked on `list`. */
bool task_waitlist_empty(const struct task_waitlist *list);

/* ---- the macros a step function is written with ----------------------------------------- */

/* Open the body of a step function. */
#define TASK_BEGIN(t)                                                                              \
    switch ((t)->resume) {                                                                         \
    case 0:

/* Return now, and go on from here next time the task is stepped. */
#define TASK_YIELD_(t)                                                                             \
    do {                                                                                           \
        (t)->resume = __LINE__;                                                                    \
        return TASK_PENDING;                                                                       \
    case __LINE__:;                                                                                \
    } while (0)

/*
 * await asyncio.sleep(seconds): let other tasks run; go on after `seconds`, counted in whole
 * nanoseconds. A wait of 0 (or one that rounds to 0 ns) goes on at the next iteration, after the
 * callbacks already queued, as asyncio.sleep(0) does.
 */
#define TASK_SLEEP(t, seconds)                                                                     \
    do {                                                                                           \
        if (task_sleep_((t), (seconds)) == -1)                                                     \
            return task_fail_((t));                                                                \
        TASK_YIELD_(t);                                                                            \
    } while (0)

/*
 * await asyncio.gather(*tasks): start every task of the array `tasks` (n of them, already
 * task_init'ed) that is not started yet, in order, and go on when all of them are done. Their
 * results are then in tasks[i]->result, in argument order, whatever order they finished in.
 */
#define TASK_GATHER(t, tasks, n)                                                                   \
    do {                                                                                           \
        if (task_gather_((t), (tasks), (n)))                                                       \
            TASK_YIELD_(t);                                                                        \
    } while (0)

/*
 * Park the task at the end of `list` and go on once task_wake_first() or task_wake_all() wakes it.
 * The building block of sync.h; a task parked where nobody will wake it waits forever.
 */
#define TASK_WAIT_ON(t, list)                                                                      \
    do {                                                                                           \
        task_park_((t), (list));                                                                   \
        TASK_YIELD_(t);                                                                            \
    } while (0)

/* return value: finish the task with `value` as its result. */
#define TASK_RETURN(t, value)                                                                      \
    do {                                                                                           \
        (t)->result = (value);                                                                     \
        return task_finish_((t));                                                                  \
    } while (0)

/* Close the body of a step function: falling off the end finishes the task (result NULL). */
#define TASK_END(t)                                                                                \
    }                                                                                              \
    return task_finish_((t))

/* Behind the macros; not for direct use. */
int task_sleep_(struct task *task, double seconds);
bool task_gather_(struct task *task, struct task *const tasks[], size_t n);
void task_park_(struct task *task, struct task_waitlist *list);
enum task_state task_finish_(struct task *task);
enum task_state task_fail_(struct task *task);

#endif
