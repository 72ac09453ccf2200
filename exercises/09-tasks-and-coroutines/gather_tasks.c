/*
 * gather_tasks.c: exercise: asyncio.gather over tasks, written with futures, not TASK_GATHER.
 *
 * Chapter 9. Results in argument order, whatever order the tasks finish in; no tasks at all; a
 * task that was done before the gather began. Read chapters/09-tasks-and-coroutines/
 * gather_results.c first, and future_add_done_callback in common/task.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "errors.h"
#include "exercises.h"

void gather_start(struct loop *loop, struct gather *g, struct task *const tasks[], size_t n,
                  struct future_callback callbacks[], void *results[])
{
    /*
     * TODO: future_init g->done; start each task (task_start); give each task's future
     * (&tasks[i]->future) a done-callback (callbacks[i]) that counts down, and let the last one
     * fill results[] and set g->done with future_set_result(&g->done, results).
     * No tasks at all: g->done is set before returning.
     */
    (void)tasks;
    (void)n;
    (void)callbacks;
    (void)results;
    future_init(&g->done, loop); /* pending, and never set: that is what is left to do */
}
