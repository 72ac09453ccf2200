/*
 * task.c: stepping tasks on the loop. Read task.h first; chapter 9 takes these ideas apart.
 *
 * A task is always in one of three places: in the loop's ready queue (t->wakeup), in the timer
 * heap (t->timer, during TASK_SLEEP), or parked (t->park) on a wait list (TASK_WAIT_ON, until
 * somebody wakes it) or on the future of what it awaits (TASK_AWAIT, TASK_GATHER, TASK_WAIT_FOR,
 * TASK_GROUP_WAIT, until that is done; TASK_WAIT_FOR is in the heap too, for its time limit).
 * Stepping it runs its function to the next wait.
 */
#define _POSIX_C_SOURCE 200809L
#include "task.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static void member_done(struct task *task);

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
    future_init(&task->future, NULL); /* pending: it may be awaited before it starts */
}

void task_start(struct loop *loop, struct task *task)
{
    if (task->started)
        return;
    task->loop = loop;
    task->started = true;
    task->future.loop = loop;
    if (task->cancelling) {
        task_finish_(task); /* cancelled before it was started: it ends without running */
        return;
    }
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
    if (future_error(&task->future) != 0) { /* retrieved: reported to the caller */
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

/*
 * gather is "await each task in turn", with every task started first: they all run at once, and
 * the gathering task goes on once the last is done, having read them in argument order. So a
 * gathered task needs no field of its own to find who gathers it.
 */
void task_gather_(struct task *task, struct task *const tasks[], size_t n)
{
    task->waits_for = TASK_WAITS_GATHERED;
    task->gathered.tasks = tasks;
    task->gathered.n = (unsigned)n;
    task->gathered.next = 0;
    for (size_t i = 0; i < n; i++)
        task_start(task->loop, tasks[i]);
}

bool task_gather_next_(struct task *task)
{
    struct task *const *tasks = task->gathered.tasks;

    while (task->gathered.next < task->gathered.n) {
        struct task *child = tasks[task->gathered.next];

        if (!child->done) {
            task_park_(task, &child->future.waiters);
            return true;
        }
        child->future.retrieved = true; /* its error is the gatherer's to read */
        task->gathered.next++;
    }
    task->waits_for = TASK_WAITS_NONE;
    return false;
}

enum task_state task_finish_(struct task *task)
{
    if (task->cancelling && task->error == 0)
        task->error = ECANCELED; /* it ran its cleanup; it still ends as cancelled */
    task->done = true;
    task->resume = -1; /* a step function called again would fall into no case */
    task->waits_for = TASK_WAITS_NONE;
    if (task->error != 0)
        future_set_error(&task->future, task->error);
    else
        future_set_result(&task->future, task->result);
    if (task->group != NULL)
        member_done(task);
    return TASK_DONE;
}

enum task_state task_fail_(struct task *task)
{
    task->error = errno;
    return task_finish_(task);
}

/* ---- cancellation and wait_for --------------------------------------------------------------- */

/* Take a parked task off its wait list, wherever it stands there: no need to know which list. */
static void unpark(struct task *task)
{
    struct task_link *prev = task->park.prev, *next = task->park.next;

    if (next == NULL)
        return; /* not parked */
    prev->next = next;
    next->prev = prev;
    if (prev == next && prev->next == prev) /* only the list's head is left: make it {0} again */
        prev->next = prev->prev = NULL;
    task->park.prev = task->park.next = NULL;
}

bool task_cancel(struct task *task)
{
    if (task->done || task->cancelling)
        return false;
    task->cancelling = true;
    if (!task->started)
        return true; /* it ends as soon as it is started, without running */
    if (task->resume == 0) {
        /* Its first step has not run: nothing of it needs cleaning up (asyncio does the same). */
        loop_cancel_soon(task->loop, &task->wakeup);
        task_finish_(task);
        return true;
    }
    /* Off whatever it waits for, and what it waits for is cancelled with it. */
    loop_cancel_timer(task->loop, &task->timer);
    unpark(task); /* from a wait list or from a future it awaits: the future is left alone */
    switch (task->waits_for) {
    case TASK_WAITS_GATHERED:
        for (unsigned i = 0; i < task->gathered.n; i++)
            task_cancel(task->gathered.tasks[i]);
        break;
    case TASK_WAITS_CHILD:
        task_cancel(task->child);
        break;
    case TASK_WAITS_GROUP:
        for (struct task *m = task->awaited_group->members; m != NULL; m = m->group_next)
            task_cancel(m);
        break;
    }
    task->waits_for = TASK_WAITS_NONE;
    task->resume = TASK_CANCELLED_;
    loop_call_soon(task->loop, &task->wakeup, step, task);
    return true;
}

bool task_cancelled(const struct task *task)
{
    return task->cancelling;
}

/* wait_for's timer: the child took too long. */
static void wait_for_expired(struct loop *loop, void *arg)
{
    struct task *task = arg;

    (void)loop;
    task->timed_out = true;
    if (task->waits_for == TASK_WAITS_CHILD)
        task_cancel(task->child);
}

bool task_wait_for_(struct task *task, struct task *child, double seconds)
{
    task->timed_out = false;
    task_start(task->loop, child);
    if (child->done)
        return false;
    /* Park on the child's future, with a timer that cancels the child when it rings. */
    task->waits_for = TASK_WAITS_CHILD;
    task->child = child;
    if (loop_call_later(task->loop, &task->timer, seconds, wait_for_expired, task) == -1) {
        task->error = errno;
        task_cancel(child);
    }
    task_await_(task, &child->future);
    return true;
}

void task_await_(struct task *task, struct future *future)
{
    task_park_(task, &future->waiters); /* complete() wakes it */
}

void task_wait_for_end_(struct task *task, struct task *child)
{
    loop_cancel_timer(task->loop, &task->timer);
    task->waits_for = TASK_WAITS_NONE;
    if (task->timed_out && child->error == ECANCELED) {
        child->error = ETIMEDOUT; /* asyncio.wait_for raises TimeoutError, not CancelledError */
        child->future.error = ETIMEDOUT;
    }
    task->timed_out = false;
}

/* ---- task groups ----------------------------------------------------------------------------- */

/*
 * A member is done (called as it finishes: asyncio's TaskGroup hears it in a done-callback, one
 * turn later, but a callback's storage in every task would cost 64 bytes each): the first failure
 * cancels the others; the last one done completes the group.
 */
static void member_done(struct task *task)
{
    struct task_group *group = task->group;
    struct future *future = &task->future;

    if (future->error != 0 && future->error != ECANCELED && group->error == 0) {
        group->error = future->error;
        group->failed = task;
        future->retrieved = true; /* the group reports it */
        for (struct task *m = group->members; m != NULL; m = m->group_next)
            task_cancel(m);
    }
    if (--group->running == 0)
        future_set_result(&group->done, NULL);
}

void task_group_start(struct loop *loop, struct task_group *group, struct task *task)
{
    if (group->members == NULL && group->running == 0)
        future_init(&group->done, loop);
    task->group = group;
    task->group_next = group->members;
    group->members = task;
    group->running++;
    task_start(loop, task);
}

bool task_group_wait_(struct task *task, struct task_group *group)
{
    if (group->running == 0)
        return false;
    task->waits_for = TASK_WAITS_GROUP;
    task->awaited_group = group;
    task_await_(task, &group->done);
    return true;
}

void task_group_end_(struct task *task)
{
    task->waits_for = TASK_WAITS_NONE;
}

/* ---- futures --------------------------------------------------------------------------------- */

void future_init(struct future *future, struct loop *loop)
{
    *future = (struct future){.state = FUTURE_PENDING, .loop = loop};
}

static void run_done_callback(struct loop *loop, void *arg)
{
    struct future_callback *cb = arg;

    cb->fn(loop, cb->future, cb->arg);
}

/* Done: wake every waiting task and queue every callback, in the order they came. */
static int complete(struct future *future, enum future_state state, void *result, int error)
{
    struct future_callback *cb;

    if (future->state != FUTURE_PENDING) {
        errno = EINVAL;
        return -1;
    }
    future->state = (unsigned char)state;
    future->result = result;
    future->error = error;
    task_wake_all(&future->waiters);
    while ((cb = future->callbacks) != NULL) {
        future->callbacks = cb->next;
        cb->next = NULL;
        loop_call_soon(future->loop, &cb->soon, run_done_callback, cb);
    }
    return 0;
}

int future_set_result(struct future *future, void *result)
{
    return complete(future, FUTURE_DONE, result, 0);
}

int future_set_error(struct future *future, int error)
{
    if (error == 0) {
        errno = EINVAL;
        return -1;
    }
    return complete(future, FUTURE_DONE, NULL, error);
}

bool future_cancel(struct future *future)
{
    return complete(future, FUTURE_CANCELLED, NULL, ECANCELED) == 0;
}

bool future_done(const struct future *future)
{
    return future->state != FUTURE_PENDING;
}

int future_error(struct future *future)
{
    future->retrieved = true;
    return future->error;
}

void future_add_done_callback(struct future *future, struct future_callback *cb, future_fn *fn,
                              void *arg)
{
    struct future_callback **end = &future->callbacks;

    *cb = (struct future_callback){.fn = fn, .arg = arg, .future = future};
    if (future_done(future)) {
        loop_call_soon(future->loop, &cb->soon, run_done_callback, cb);
        return;
    }
    while (*end != NULL) /* at the end: callbacks run in the order they were added */
        end = &(*end)->next;
    *end = cb;
}

bool future_remove_done_callback(struct future *future, struct future_callback *cb)
{
    for (struct future_callback **p = &future->callbacks; *p != NULL; p = &(*p)->next) {
        if (*p == cb) {
            *p = cb->next;
            cb->next = NULL;
            return true;
        }
    }
    /* Done already: it may be queued on the loop, not yet run. */
    return future->loop != NULL && loop_cancel_soon(future->loop, &cb->soon);
}

void future_release(struct future *future, const char *name)
{
    future->callbacks = NULL;
    /* A cancellation is not an error to report: asyncio never logs one either. */
    if (future->state == FUTURE_DONE && future->error != 0 && future->error != ECANCELED &&
        !future->retrieved)
        fprintf(stderr, "future%s%s: an error nobody retrieved: %s\n", name ? " " : "",
                name ? name : "", strerror(future->error));
    future->retrieved = true; /* reported once */
}

/* ---- wait lists ------------------------------------------------------------------------------ */

void task_park_(struct task *task, struct task_waitlist *list)
{
    struct task_link *head = &list->head;

    if (head->next == NULL) /* empty: {0} until the first task parks */
        head->next = head->prev = head;
    task->park.next = head; /* at the end, just before the head */
    task->park.prev = head->prev;
    head->prev->next = &task->park;
    head->prev = &task->park;
}

/* The task a link of a wait list belongs to. */
static struct task *parked_task(struct task_link *link)
{
    return (struct task *)(void *)((char *)link - offsetof(struct task, park));
}

struct task *task_wake_first(struct task_waitlist *list)
{
    struct task *task;

    if (task_waitlist_empty(list))
        return NULL;
    task = parked_task(list->head.next);
    unpark(task);
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
    return list->head.next == NULL;
}

struct task *task_waitlist_first(const struct task_waitlist *list)
{
    return task_waitlist_empty(list) ? NULL : parked_task(list->head.next);
}
