/*
 * wait_for_itself_loop.c: BUG DEMONSTRATION: tasks that wait for themselves; the loop reports them.
 *
 * Chapter 5. Three deadlocks on the loop, each ending in task_run() returning -1 with errno
 * EDEADLK instead of a hang:
 *   1. a task gathers itself (in Python, `await asyncio.current_task()`, which asyncio refuses at
 *      once: RuntimeError "Task cannot await on itself");
 *   2. task A gathers task B, and B gathers A (asyncio has no such check: it hangs for ever);
 *   3. the same pair while a heartbeat task ticks HEARTBEATS times.
 * task_run() reports EDEADLK when the loop runs out of things to wait for (no ready task, no timer,
 * no descriptor) before the task is done: then nothing can ever wake it. That is all the loop
 * knows. It does not look for cycles, so while anything else is pending (a heartbeat, a server's
 * listening socket) a deadlocked task simply waits: case 3 is reported only after the last beat.
 * Compare with chapter 1's gather_loop.c, where main gathers tasks that do finish.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define HEARTBEATS 5
#define HEARTBEAT_SECONDS 0.1

/* A task that gathers `target`, which may be itself. */
struct waiter {
    struct task task;
    struct task *target;
};

struct heartbeat {
    struct task task;
    int beats;
};

static struct demo demo;

static enum task_state wait_for(struct task *t)
{
    struct waiter *w = (struct waiter *)t;

    TASK_BEGIN(t);
    say(t->name, "%s: gathering %s", t->name, w->target == t ? "itself" : w->target->name);
    TASK_GATHER(t, &w->target, 1);
    say(t->name, "%s: done", t->name); /* never printed: nothing can finish the target */
    TASK_END(t);
}

static enum task_state beat(struct task *t)
{
    struct heartbeat *h = (struct heartbeat *)t;

    TASK_BEGIN(t);
    for (h->beats = 1; h->beats <= HEARTBEATS; h->beats++) {
        TASK_SLEEP(t, demo_seconds(&demo, HEARTBEAT_SECONDS));
        say(t->name, "heartbeat %d", h->beats);
    }
    TASK_END(t);
}

/* Run `main_task` on `loop` (task_run: asyncio.run) and say how it ended; then free the loop. */
static void run(struct loop *loop, struct task *main_task)
{
    if (task_run(loop, main_task) == 0)
        say("main", "task_run: 0, the task finished");
    else if (errno == EDEADLK)
        say("main", "task_run: -1, errno EDEADLK (%s)", strerror(EDEADLK));
    else
        die_errno("task_run");
    loop_free(loop);
}

static struct loop *new_loop(void)
{
    struct loop *loop = loop_new();

    if (loop == NULL)
        die_errno("loop_new");
    return loop;
}

int main(int argc, char **argv)
{
    struct waiter self, a, b;
    struct heartbeat heart;
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: a task that gathers itself, two that gather each other; the\n"
              "loop reports EDEADLK once nothing else is left to wait for.");

    say("main", "1. a task that gathers itself");
    task_init(&self.task, "task S", wait_for);
    self.target = &self.task;
    run(new_loop(), &self.task);

    say("main", "2. two tasks that gather each other");
    task_init(&a.task, "task A", wait_for);
    task_init(&b.task, "task B", wait_for);
    a.target = &b.task;
    b.target = &a.task;
    run(new_loop(), &a.task);

    say("main", "3. the same two, with a heartbeat ticking %d times", HEARTBEATS);
    task_init(&a.task, "task A", wait_for);
    task_init(&b.task, "task B", wait_for);
    task_init(&heart.task, "heartbeat", beat);
    loop = new_loop();
    task_start(loop, &heart.task);
    run(loop, &a.task);
    demo_finish(&demo);
    return 0;
}
