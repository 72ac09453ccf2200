/*
 * locals_kept.c: the fix for locals_lost.c: the task keeps its loop counter in its struct.
 *
 * Chapter 9. The same three rounds as the Python
 *     for round in range(1, 4): print(f"round {round} of 3"); await asyncio.sleep(1)
 * with `round` a field of the task's struct, which lives as long as the task, across every wait.
 * Compare with locals_lost.c, one line apart, and with stackful_ucontext.c, where a local does
 * survive because each coroutine has a stack of its own.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define ROUNDS 3
#define ROUND_SECONDS 1.0

static struct demo demo;

struct counter {
    struct task task;
    int round; /* in the struct: it survives every wait */
};

static enum task_state count_rounds(struct task *t)
{
    struct counter *c = (struct counter *)t;

    TASK_BEGIN(t);
    for (c->round = 1; c->round <= ROUNDS; c->round++) {
        say(t->name, "round %d of %d", c->round, ROUNDS);
        TASK_SLEEP(t, demo_seconds(&demo, ROUND_SECONDS));
    }
    say(t->name, "done after %d rounds", ROUNDS);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct counter c = {0};

    demo_init(&demo, argc, argv,
              "The loop counter kept in the task's struct survives every wait: 3 rounds, 3 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&c.task, "counter", count_rounds);
    if (task_run(loop, &c.task) == -1)
        die_errno("task_run");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
