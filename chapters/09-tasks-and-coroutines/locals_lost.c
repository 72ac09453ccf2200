/*
 * locals_lost.c: BUG DEMONSTRATION: a task keeps its loop counter in a local, lost at every wait.
 *
 * Chapter 9. In Python a coroutine keeps its locals across an await:
 *     for round in range(1, 4): print(f"round {round} of 3"); await asyncio.sleep(1)
 * A step function does not: every TASK_SLEEP returns from it, and the next call starts with
 * fresh locals (here `round` is set to 0 again before the switch jumps back into the loop).
 * So the task never gets past round 1; a watchdog ends it after MAX_WAITS waits and says so.
 * The fix, in locals_kept.c: the counter lives in the task's struct.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define ROUNDS 3
#define ROUND_SECONDS 1.0
#define MAX_WAITS (2 * ROUNDS) /* the watchdog: a correct task needs ROUNDS waits */

static struct demo demo;

struct counter {
    struct task task;
    int waits; /* in the struct: this one survives, so the watchdog works */
};

static enum task_state count_rounds(struct task *t)
{
    struct counter *c = (struct counter *)t;
    int round = 0; /* BUG: a local, set to 0 again at every call of the step function */

    TASK_BEGIN(t);
    for (round = 1; round <= ROUNDS; round++) {
        say(t->name, "round %d of %d", round, ROUNDS);
        TASK_SLEEP(t, demo_seconds(&demo, ROUND_SECONDS));
        if (++c->waits == MAX_WAITS) {
            say(t->name, "BUG: after %d waits the counter reads %d: the local restarts every step",
                c->waits, round);
            TASK_RETURN(t, NULL);
        }
    }
    say(t->name, "done after %d rounds", ROUNDS);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct counter c = {0};

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: a loop counter kept in a local variable is lost at every wait.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&c.task, "counter", count_rounds);
    if (task_run(loop, &c.task) == -1)
        die_errno("task_run");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
