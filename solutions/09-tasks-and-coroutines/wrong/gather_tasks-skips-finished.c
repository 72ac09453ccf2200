/* wrong: a task already finished before the gather is skipped: its result is never filled in. */
/*
 * gather_tasks.c: solution: gather as a future, set by the last of the tasks' done-callbacks.
 *
 * Chapter 9, exercise gather_tasks. Each task writes its own slot, results[i], so argument order
 * comes free; a task already done has its callback queued at once, so it counts like the others.
 */
#define _POSIX_C_SOURCE 200809L
#include "errors.h"
#include "exercises.h"

static void one_done(struct loop *loop, struct future *future, void *arg)
{
    struct gather *g = arg;

    (void)loop;
    (void)future;
    if (--g->remaining > 0)
        return;
    for (size_t i = 0; i < g->n; i++)
        g->results[i] =
            task_done(g->tasks[i]) && g->results[i] == NULL ? g->tasks[i]->result : g->results[i];
    if (future_set_result(&g->done, g->results) == -1)
        die_errno("future_set_result");
}

void gather_start(struct loop *loop, struct gather *g, struct task *const tasks[], size_t n,
                  struct future_callback callbacks[], void *results[])
{
    *g = (struct gather){
        .tasks = tasks, .results = results, .n = n, .remaining = 0, .callbacks = callbacks};
    future_init(&g->done, loop);
    if (n == 0) {
        if (future_set_result(&g->done, results) == -1)
            die_errno("future_set_result");
        return;
    }
    for (size_t i = 0; i < n; i++)
        g->remaining += !task_done(tasks[i]);
    for (size_t i = 0; i < n; i++) {
        task_start(loop, tasks[i]);
        if (task_done(tasks[i]))
            continue; /* nothing to wait for */
        future_add_done_callback(&tasks[i]->future, &callbacks[i], one_done, g);
    }
}
