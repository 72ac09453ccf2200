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
struct task_group;
typedef enum task_state task_fn(struct task *task);

/* A link of a wait list: a circle through the list's head and the tasks parked on it. */
struct task_link {
    struct task_link *prev, *next; /* NULL in a task that is not parked, and in an empty list */
};

/*
 * Tasks parked until somebody wakes them, first come first served: what sync.h's locks, events,
 * semaphores and queues are made of. Zero-initialise it ({0}); it owns nothing. A task leaves the
 * list without being told which list it is on (cancellation needs that): the list is a circle.
 */
struct task_waitlist {
    struct task_link head;
};

/* ---- futures: a result that is not there yet (asyncio.Future) -------------------------------- */

enum future_state { FUTURE_PENDING, FUTURE_DONE, FUTURE_CANCELLED };

struct future;
typedef void future_fn(struct loop *loop, struct future *future, void *arg);

/* A done-callback, in storage the caller owns until it has run. Fields are the future's. */
struct future_callback {
    struct future_callback *next;
    future_fn *fn;
    void *arg;
    struct future *future;
    struct loop_callback soon; /* the call, queued on the loop once the future is done */
};

/*
 * A future: pending until somebody sets a result, an error or cancels it; then done for good.
 * Tasks waiting in TASK_AWAIT and done-callbacks are all woken, on later turns of the loop. The
 * caller owns the struct; future_init it before use and future_release it after.
 */
struct future {
    void *result; /* once done, without error */
    struct loop *loop;
    struct future_callback *callbacks;
    struct task_waitlist waiters; /* the tasks in TASK_AWAIT */
    int error;                    /* once done: 0, an errno value (ECANCELED when cancelled) */
    unsigned char state;          /* an enum future_state (a char: a task embeds a future) */
    bool retrieved;               /* somebody read the error (future_error, or TASK_GATHER did) */
};

/* Prepare `future` (pending) for tasks and callbacks of `loop`. */
void future_init(struct future *future, struct loop *loop);

/* future.set_result(value): done with `result`. Returns 0, or -1 with errno EINVAL if done already.
 */
int future_set_result(struct future *future, void *result);

/* future.set_exception(): done with the error number `error` (not 0). 0, or -1 and EINVAL. */
int future_set_error(struct future *future, int error);

/* future.cancel(): done, cancelled (error ECANCELED). Returns false if it was done already. */
bool future_cancel(struct future *future);

/* future.done(): true once a result, an error or a cancellation is set. */
bool future_done(const struct future *future);

/* future.exception(): the error number (0 if none; also while pending). Marks it retrieved. */
int future_error(struct future *future);

/*
 * future.add_done_callback(fn): call fn(loop, future, arg) on a later turn of the loop once the
 * future is done (at once queued if it is done already). `cb` is the caller's, valid until then.
 * Callbacks run in the order they were added, after the tasks in TASK_AWAIT are woken (asyncio
 * makes such a task one of the callbacks; here it waits on the future's wait list, which costs no
 * memory in the task).
 */
void future_add_done_callback(struct future *future, struct future_callback *cb, future_fn *fn,
                              void *arg);

/* future.remove_done_callback(): take `cb` back before it runs. Returns false if it was not there.
 */
bool future_remove_done_callback(struct future *future, struct future_callback *cb);

/*
 * The end of the future's life: take back callbacks that have not run, and report on stderr an
 * error (other than a cancellation) that nobody retrieved, as asyncio logs "Future exception was
 * never retrieved" when such a future is garbage-collected. (C has no collector: this call is that
 * moment.)
 */
void future_release(struct future *future, const char *name);

struct task {
    const char *name;     /* for messages and the timeline; may be NULL */
    void *result;         /* what TASK_RETURN gave back, once the task is done */
    struct loop *loop;    /* the loop the task runs on, once started */
    struct future future; /* done when the task is: what TASK_AWAIT and done-callbacks wait on */
    int error;            /* 0; the errno of a wait that could not be set up, or of TASK_FAIL;
                             ECANCELED if it was cancelled; ETIMEDOUT if a TASK_WAIT_FOR gave up */

    /*
     * Private: the task machinery's own fields. A sleeping task is all a server with many idle
     * clients holds per client, so they are kept few (chapter 8 measures them: make bench).
     */
    int resume; /* where the step function goes on: a __LINE__, 0 at the start */
    task_fn *step;
    struct loop_callback wakeup; /* the next step, waiting in the loop's ready queue */
    struct loop_timer timer;     /* for TASK_SLEEP and TASK_WAIT_FOR */
    struct task_link park;       /* on a wait list, or on the future it awaits */
    union {                      /* the tasks it waits for, cancelled with it: says `waits_for` */
        struct {
            struct task *const *tasks;
            unsigned n, next; /* how many, and the one it awaits now (it awaits each in turn) */
        } gathered;           /* TASK_GATHER */
        struct task *child;   /* TASK_WAIT_FOR */
        struct task_group *awaited_group; /* TASK_GROUP_WAIT */
    };
    struct task_group *group; /* the group the task belongs to, or NULL */
    struct task *group_next;  /* the next member of that group */
    unsigned char waits_for;  /* TASK_WAITS_NONE, _GATHERED, _CHILD or _GROUP: which of the union */
    bool started, done;
    bool cancelling; /* task_cancel was called */
    bool timed_out;  /* TASK_WAIT_FOR's timer fired */
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
 * asyncio.run(main()) where main() awaits asyncio.gather(*tasks): run the n tasks (task_init'ed,
 * not started) concurrently on `loop` until all are done. Returns 0, or -1 with errno set if the
 * loop or a task failed.
 */
int task_run_all(struct loop *loop, struct task *const tasks[], size_t n);

/* True once the task has finished. */
bool task_done(const struct task *task);

/*
 * task.cancel(): stop the task at the wait it is in. It is taken off whatever it waits for (a
 * timer, a wait list, a future), the tasks it gathers or waits for are cancelled too, and on its
 * next step it goes on at its TASK_CLEANUP section if it has one (else it just ends); it finishes
 * with error ECANCELED. A task that has not run its first step yet ends without running anything.
 * Returns false if the task was done or being cancelled already.
 */
bool task_cancel(struct task *task);

/* True once task_cancel has been called on the task: its cleanup can ask why it runs. */
bool task_cancelled(const struct task *task);

/*
 * asyncio.TaskGroup: tasks started together and awaited together, where the first to fail
 * cancels the others. (asyncio.gather, and TASK_GATHER, let the others run on.) Zero-initialise
 * it; it owns nothing, and must outlive its tasks.
 */
struct task_group {
    struct task *members; /* linked through task->group_next */
    size_t running;       /* members not done yet */
    int error;            /* the first member's error other than ECANCELED, or 0 */
    struct task *failed;  /* the member that failed first, or NULL */
    struct future done;   /* set when no member is running */
};

/* group.create_task(): start `task` on `loop` as a member of `group`. */
void task_group_start(struct loop *loop, struct task_group *group, struct task *task);

/*
 * Leaving `async with TaskGroup()`: go on once every member is done. If one failed, the others
 * were cancelled (and ran their cleanup) and group->error is its error. Cancelling the waiting
 * task cancels every member.
 */
#define TASK_GROUP_WAIT(t, group)                                                                  \
    do {                                                                                           \
        if (task_group_wait_((t), (group)))                                                        \
            TASK_YIELD_(t);                                                                        \
        task_group_end_((t));                                                                      \
    } while (0)

/*
 * Take the first task off `list` and schedule its next step on its loop (it runs on a later
 * iteration, after what is already queued). Returns that task, or NULL if the list was empty.
 */
struct task *task_wake_first(struct task_waitlist *list);

/* Wake every task parked on `list`, in the order they came. Returns how many there were. */
size_t task_wake_all(struct task_waitlist *list);

/* True if no task is parked on `list`. */
bool task_waitlist_empty(const struct task_waitlist *list);

/* The task parked longest on `list` (the one task_wake_first would wake), or NULL if none. */
struct task *task_waitlist_first(const struct task_waitlist *list);

/* ---- the macros a step function is written with ---------------------------------------------- */

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
        for (task_gather_((t), (tasks), (n)); task_gather_next_(t);)                               \
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

/*
 * await future (or await task, with &task->future): go on once the future is done. Read what it
 * holds with future_error() and ->result. Cancelling the waiting task leaves the future alone.
 */
#define TASK_AWAIT(t, fut)                                                                         \
    do {                                                                                           \
        if (!future_done(fut)) {                                                                   \
            task_await_((t), (fut));                                                               \
            TASK_YIELD_(t);                                                                        \
        }                                                                                          \
    } while (0)

/*
 * await asyncio.wait_for(child, seconds): start `child` (if not started) and go on when it is
 * done, or cancel it after `seconds` and go on once it has finished its cleanup; then
 * child->error is ETIMEDOUT. Cancelling the waiting task cancels the child too.
 */
#define TASK_WAIT_FOR(t, child, seconds)                                                           \
    do {                                                                                           \
        if (task_wait_for_((t), (child), (seconds)))                                               \
            TASK_YIELD_(t);                                                                        \
        task_wait_for_end_((t), (child));                                                          \
    } while (0)

/*
 * Where a cancelled task goes on (Python's `finally:` or `except CancelledError:`): a step
 * function may have one TASK_CLEANUP section, after its normal path has returned, to release what
 * it holds. task_cancelled(t) tells a cancellation from falling into it.
 */
#define TASK_CLEANUP(t)                                                                            \
    case TASK_CANCELLED_:                                                                          \
        (void)(t)

/* raise: finish the task now with the error number `err` (not 0). */
#define TASK_FAIL(t, err)                                                                          \
    do {                                                                                           \
        (t)->error = (err);                                                                        \
        return task_finish_((t));                                                                  \
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
#define TASK_CANCELLED_ (-2) /* the resume point of a cancelled task: its TASK_CLEANUP */
bool task_wait_for_(struct task *task, struct task *child, double seconds);
void task_await_(struct task *task, struct future *future);
bool task_group_wait_(struct task *task, struct task_group *group);
void task_group_end_(struct task *task);
void task_wait_for_end_(struct task *task, struct task *child);
int task_sleep_(struct task *task, double seconds);
void task_gather_(struct task *task, struct task *const tasks[], size_t n);
bool task_gather_next_(struct task *task);
enum { TASK_WAITS_NONE, TASK_WAITS_GATHERED, TASK_WAITS_CHILD, TASK_WAITS_GROUP };
void task_park_(struct task *task, struct task_waitlist *list);
enum task_state task_finish_(struct task *task);
enum task_state task_fail_(struct task *task);

#endif
