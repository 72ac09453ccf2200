/*
 * event_loop.c: asyncio.Event: runner tasks wait for a start signal that wakes them all.
 *
 * Chapter 4. The Python it follows:
 *     start = asyncio.Event()
 *     async def runner(n): print(f"runner {n} waits for the start"); await start.wait(); ...
 *     async def starter():
 *         await asyncio.sleep(1); start.set(); await asyncio.sleep(1); start.clear()
 *         late = asyncio.create_task(runner(4)); await asyncio.sleep(1); start.set()
 * async_event_set wakes every parked task, in the order they came. Runner 4 starts after the
 * clear, so it waits for the second set. One thread, and no two things due at the same moment, so
 * the order of every line is fixed. Compare with event_threads.c, where the same Event is built
 * from a mutex and a condition variable.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define EARLY 3 /* runners there from the start; one more comes after the clear */

static struct demo demo;
static struct async_event start = ASYNC_EVENT_INIT;

struct runner {
    struct task task;
    char name[16];
};

static struct runner late; /* started by the starter, after the clear */

static enum task_state run(struct task *t)
{
    struct runner *r = (struct runner *)t;

    TASK_BEGIN(t);
    say(r->name, "%s waits for the start", r->name);
    ASYNC_EVENT_WAIT(t, &start);
    say(r->name, "%s is off", r->name);
    TASK_END(t);
}

static enum task_state starter(struct task *t)
{
    TASK_BEGIN(t);
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say("starter", "starter: go!");
    async_event_set(&start);
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say("starter", "starter: clear, for the next race");
    async_event_clear(&start);
    task_start(t->loop, &late.task); /* asyncio.create_task(runner(4)) */
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say("starter", "starter: go!");
    async_event_set(&start);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct runner runners[EARLY];
    struct task start_task, *all[EARLY + 1];

    demo_init(&demo, argc, argv, "asyncio.Event on the loop: set wakes every waiting task.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < EARLY; i++) {
        snprintf(runners[i].name, sizeof runners[i].name, "runner %d", i + 1);
        task_init(&runners[i].task, runners[i].name, run);
        all[i] = &runners[i].task;
    }
    snprintf(late.name, sizeof late.name, "runner %d", EARLY + 1);
    task_init(&late.task, late.name, run);
    task_init(&start_task, "starter", starter);
    all[EARLY] = &start_task;
    /* The late runner is not among those gathered, but the loop runs until it is done too. */
    if (task_run_all(loop, all, EARLY + 1) == -1)
        die_errno("task_run_all");
    if (!task_done(&late.task))
        die_msg("%s never went\n", late.name);
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
