/*
 * task.c: stepping tasks on the loop. Read task.h first; chapter 9 takes these ideas apart.
 *
 * A task is always in one of four places: in the loop's ready queue (t->wakeup), in the timer
 * heap (t->timer, during TASK_SLEEP), waiting for children with nothing scheduled (during
 * TASK_GATHER, until its last child finishes and queues it), or parked on a wait list (during
 * TASK_WAIT_ON, until somebody wakes it). Stepping it runs its function to the next wait.
 */
#define _POSIX_C_SOURCE 200809L
#include "task.h"

#include <errno.h>

/* The loop callback that gives a task its next step. */
static void step(struct loop *loop, void *arg)
{
    struct task *t = arg;

    (void)loop;
    if (!t->done)
        t->step(t);
}

void task_init(struct task *task, const char *name, task_fn *fn)
{
    *task = (struct task){.name = name, .step = fn};
}

void task_start(struct loop *loop, struct task *task)
{
    if (task->started)
        return;
    task->loop = loop;
    task->started = true;
    loop_call_soon(loop, &task->wakeup, step, task);
}

bool task_done(const struct task *task)
{
    return task->done;
}

int task_run(struct loop *loop, struct task *task)
{
    task_start(loop, task);
    if (loop_run(loop) == -1)
        return -1;
    if (!task->done) {
        /* The loop ran out of things to wait for while the task waited: nothing can wake it. */
        errno = EDEADLK;
        return -1;
    }
    if (task->error != 0) {
        errno = task->error;
        return -1;
    }
    return 0;
}

/* The main task of task_run_all: it only gathers the others. */
struct gathering {
    struct task task;
    struct task *const *tasks;
    size_t n;
};

static enum task_state gather_step(struct task *t)
{
    struct gathering *g = (struct gathering *)t;

    TASK_BEGIN(t);
    TASK_GATHER(t, g->tasks, g->n);
    TASK_END(t);
}

int task_run_all(struct loop *loop, struct task *const tasks[], size_t n)
{
    struct gathering g = {.tasks = tasks, .n = n};

    task_init(&g.task, "main", gather_step);
    if (task_run(loop, &g.task) == -1)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (tasks[i]->error != 0) {
            errno = tasks[i]->error;
            return -1;
        }
    }
    return 0;
}

int task_sleep_(struct task *task, double seconds)
{
    /* The loop counts whole nanoseconds: a wait that rounds to 0 ns is a sleep(0), not a timer
     * already due (which would fire in this iteration's timers phase, ahead of the sleep(0)s). */
    if (seconds_to_ns(seconds) == 0) {
        /* asyncio.sleep(0): exactly one trip round the loop, through the ready queue. */
        loop_call_soon(task->loop, &task->wakeup, step, task);
        return 0;
    }
    return loop_call_later(task->loop, &task->timer, seconds, step, task);
}

bool task_gather_(struct task *task, struct task *const tasks[], size_t n)
{
    task->waiting_for = 0;
    for (size_t i = 0; i < n; i++) {
        task_start(task->loop, tasks[i]);
        if (!tasks[i]->done) {
            tasks[i]->waiter = task;
            task->waiting_for++;
        }
    }
    return task->waiting_for > 0; /* false: nothing to wait for, go straight on */
}

enum task_state task_finish_(struct task *task)
{
    struct task *waiter = task->waiter;

    task->done = true;
    task->resume = -1; /* a step function called again would fall into no case */
    if (waiter != NULL && --waiter->waiting_for == 0)
        loop_call_soon(task->loop, &waiter->wakeup, step, waiter);
    return TASK_DONE;
}

enum task_state task_fail_(struct task *task)
{
    task->error = errno;
    return task_finish_(task);
}

/* ---- wait lists ----------------------------------------------------------------------------- */

void task_park_(struct task *task, struct task_waitlist *list)
{
    task->parked_on = list;
    task->park_prev = list->last;
    task->park_next = NULL;
    if (list->last != NULL)
        list->last->park_next = task;
    else
        list->first = task;
    list->last = task;
}

struct task *task_wake_first(struct task_waitlist *list)
{
    struct task *task = list->first;

    if (task == NULL)
        return NULL;
    list->first = task->park_next;
    if (list->first != NULL)
        list->first->park_prev = NULL;
    else
        list->last = NULL;
    task->parked_on = NULL;
    task->park_prev = task->park_next = NULL;
    loop_call_soon(task->loop, &task->wakeup, step, task);
    return task;
}

size_t task_wake_all(struct task_waitlist *list)
{
    size_t n = 0;

    while (task_wake_first(list) != NULL)
        n++;
    return n;
}

bool task_waitlist_empty(const struct task_waitlist *list)
{
    return list->first == NULL;
}
