/*
 * sleep_zero.c: TASK_SLEEP(t, 0) is exactly one trip round the loop, as asyncio.sleep(0) is.
 *
 * Chapter 9. main() drives the loop itself, one iteration at a time (loop_run_once), and counts
 * them; two tasks note in which iteration each half of their work ran. Each half is separated
 * by a sleep(0): the task goes to the back of the ready queue, and the other task runs in between.
 * sleep_zero.py is the same experiment in asyncio (counting with a callback that re-queues itself
 * once per iteration) and prints the same lines. Compare with future_timer.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

static struct demo demo;
static int iteration; /* the loop's iteration now running, counted by main from 1 */

struct halves {
    struct task task;
    int first, second; /* the iterations the two halves ran in */
};

static enum task_state two_halves(struct task *t)
{
    struct halves *h = (struct halves *)t;

    TASK_BEGIN(t);
    h->first = iteration;
    say(t->name, "%s: first half, in iteration %d", t->name, h->first);
    TASK_SLEEP(t, 0);
    h->second = iteration;
    say(t->name, "%s: second half, in iteration %d", t->name, h->second);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct halves a = {0}, b = {0};
    int rc;

    demo_init(&demo, argc, argv,
              "sleep(0) is one iteration of the loop: counted with loop_run_once.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&a.task, "A", two_halves);
    task_init(&b.task, "B", two_halves);
    task_start(loop, &a.task);
    task_start(loop, &b.task);
    do {
        iteration++;
        rc = loop_run_once(loop);
    } while (rc == 1);
    if (rc == -1)
        die_errno("loop_run_once");
    if (!task_done(&a.task) || !task_done(&b.task))
        die_msg("the loop ran out of work before the tasks finished");
    say("main", "iterations between A's two halves: %d", a.second - a.first);
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
