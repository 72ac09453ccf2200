/*
 * compute_loop.c: the same compute() as two tasks on the event loop: one runs, then the other.
 *
 * Chapter 6. Article 002's compute() written as a coroutine and gathered twice, the asyncio way:
 *     async def compute():
 *         print("Computing...")
 *         for i in range(10**6): pass
 *         print("Computation done")
 *     await asyncio.gather(compute(), compute())
 * A task gives the thread back only at a wait, and a CPU loop has none: the first task runs from
 * "Computing..." to "Computation done" before the second starts, every time, at any scale, and
 * the time is the sum of both loops. Compare with compute_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define LOOPS 1e6 /* range(10**6), scaled by -s */

static long loops;

static enum task_state compute(struct task *t)
{
    TASK_BEGIN(t);
    say(t->name, "Computing...");
    /* No TASK_SLEEP inside the loop: nothing lets another task in until it is over. */
    for (volatile long i = 0; i < loops; i++)
        continue;
    say(t->name, "Computation done");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct demo demo;
    struct loop *loop;
    struct task first, second;
    struct task *const both[] = {&first, &second};

    demo_init(&demo, argc, argv, "Article 002's compute() as two tasks gathered on the loop.");
    loops = (long)demo_seconds(&demo, LOOPS);
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&first, "task 1", compute);
    task_init(&second, "task 2", compute);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
