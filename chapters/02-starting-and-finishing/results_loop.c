/*
 * results_loop.c: square(3), square(1), square(2) gathered on the loop: results in argument order.
 *
 * Chapter 2. The asyncio version (print lines left out):
 *     async def square(n): await asyncio.sleep(n); return n * n
 *     results = await asyncio.gather(square(3), square(1), square(2))    # [9, 1, 4]
 * TASK_RETURN(t, value) finishes a task with a result, a void * kept in t->result. Here it points
 * at the answer inside the task's own struct, which outlives the task's last step. The tasks
 * finish 1, 2, 3; reading tasks[i]->result gives argument order. Compare with results_join.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define JOBS 3

static struct demo demo;

struct square_task {
    struct task task; /* first, so that a struct task * is also a struct square_task * */
    long n;
    long result; /* where the task's result lives: t->result points here */
};

static enum task_state square(struct task *t)
{
    struct square_task *sq = (struct square_task *)t;

    TASK_BEGIN(t);
    say(t->name, "square(%ld) started", sq->n);
    TASK_SLEEP(t, demo_seconds(&demo, (double)sq->n));
    say(t->name, "square(%ld) done", sq->n);
    sq->result = sq->n * sq->n;
    TASK_RETURN(t, &sq->result);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct square_task squares[JOBS] = {{.n = 3}, {.n = 1}, {.n = 2}};
    struct task *const all[JOBS] = {&squares[0].task, &squares[1].task, &squares[2].task};
    static const char *const names[JOBS] = {"square(3)", "square(1)", "square(2)"};
    long results[JOBS];

    demo_init(&demo, argc, argv, "square(3), square(1), square(2) gathered; results in order.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < JOBS; i++)
        task_init(&squares[i].task, names[i], square);
    say("main", "main: gathering square(3), square(1), square(2)");
    if (task_run_all(loop, all, JOBS) == -1)
        die_errno("task_run_all");
    for (int i = 0; i < JOBS; i++)
        results[i] = *(const long *)all[i]->result;
    loop_free(loop);
    say("main", "results in argument order: %ld %ld %ld", results[0], results[1], results[2]);
    demo_finish(&demo);
    return 0;
}
