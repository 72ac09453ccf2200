/*
 * gather_results.c: gather over tasks, then over tasks and a future: results in argument order.
 *
 * Chapter 9. The asyncio it mirrors:
 *     print(await asyncio.gather(job("x", 3), job("y", 1), job("z", 2)))
 *     print(await asyncio.gather(task_p, future_q, task_r))
 * The jobs finish in the order of their waits (y, z, x), yet each gather hands back its results
 * in the order of its arguments. TASK_GATHER does it for tasks; for any futures (a task is one:
 * &task->future), awaiting each in argument order does the same, in the time of the longest.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define N 3
#define FUTURE_SECONDS 1.0

static struct demo demo;

struct job {
    struct task task;
    double seconds;
};

struct gatherer {
    struct task task;
    struct task *const *jobs;       /* for TASK_GATHER */
    struct future *const *awaiting; /* tasks and a future, for the second gather */
    struct task *p, *r;             /* the two tasks among them */
    struct future *q;               /* and the future, set by a timer */
    struct loop_timer q_timer;
    size_t i; /* which future the second gather awaits: in the struct, to survive the waits */
};

static enum task_state job(struct task *t)
{
    struct job *j = (struct job *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, demo_seconds(&demo, j->seconds));
    say(t->name, "%s finished after %g s", t->name, j->seconds);
    TASK_RETURN(t, (void *)t->name);
    TASK_END(t);
}

static void set_future(struct loop *loop, void *arg)
{
    (void)loop;
    say("q", "q finished after %g s", FUTURE_SECONDS);
    if (future_set_result(arg, "q") == -1)
        die_errno("future_set_result");
}

static enum task_state gather(struct task *t)
{
    struct gatherer *g = (struct gatherer *)t;

    TASK_BEGIN(t);
    say(t->name, "gather: x, y, z in one gather; p, q, r in another, all at once");
    /* The second gather's members start now, with the first: all of them run concurrently. */
    task_start(t->loop, g->p);
    task_start(t->loop, g->r);
    if (loop_call_later(t->loop, &g->q_timer, demo_seconds(&demo, FUTURE_SECONDS), set_future,
                        g->q) == -1)
        die_errno("loop_call_later");
    TASK_GATHER(t, g->jobs, N);
    say(t->name, "gather of tasks: %s, %s, %s", (char *)g->jobs[0]->result,
        (char *)g->jobs[1]->result, (char *)g->jobs[2]->result);
    for (g->i = 0; g->i < N; g->i++)
        TASK_AWAIT(t, g->awaiting[g->i]);
    say(t->name, "gather of a task, a future, a task: %s, %s, %s", (char *)g->awaiting[0]->result,
        (char *)g->awaiting[1]->result, (char *)g->awaiting[2]->result);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct job x = {.seconds = 3}, y = {.seconds = 1}, z = {.seconds = 2};
    struct job p = {.seconds = 2}, r = {.seconds = 3};
    struct future q;
    struct task *const jobs[N] = {&x.task, &y.task, &z.task};
    struct future *const awaiting[N] = {&p.task.future, &q, &r.task.future};
    struct gatherer g = {.jobs = jobs, .awaiting = awaiting, .p = &p.task, .r = &r.task, .q = &q};

    demo_init(&demo, argc, argv,
              "Gathers hand back results in argument order, whatever order they finish in.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&x.task, "x", job);
    task_init(&y.task, "y", job);
    task_init(&z.task, "z", job);
    task_init(&p.task, "p", job);
    task_init(&r.task, "r", job);
    task_init(&g.task, "gather", gather);
    future_init(&q, loop);
    if (task_run(loop, &g.task) == -1)
        die_errno("task_run");
    future_release(&q, "q");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
