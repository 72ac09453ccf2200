/*
 * barrier_loop.c: a barrier for tasks, made of a count and an Event: phase 2 waits for all 3.
 *
 * Chapter 4. asyncio.Barrier(3) (Python 3.11) does this:
 *     async def worker(n):
 *         await asyncio.sleep(n); print(f"worker {n}: phase 1 done"); await barrier.wait(); ...
 * Here the barrier is built from sync.h's Event: each task counts itself in, the last one sets the
 * event, and ASYNC_EVENT_WAIT lets the others go on. One use only; a barrier used again and again
 * (as pthread's and asyncio's are) also needs to tell one round from the next. Compare with
 * barrier_threads.c, the same meeting with a pthread_barrier_t.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define WORKERS 3

static struct demo demo;

struct barrier {
    int parties, arrived;
    struct async_event all_here;
};

static struct barrier barrier = {.parties = WORKERS};
static bool too_early; /* a probe: a worker began phase 2 before all had finished phase 1 */

struct worker {
    struct task task;
    int number;
    char name[16];
};

static enum task_state work(struct task *t)
{
    struct worker *w = (struct worker *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, demo_seconds(&demo, w->number)); /* phase 1 */
    say(w->name, "%s: phase 1 done", w->name);
    if (++barrier.arrived == barrier.parties) {
        say(w->name, "%s: all %d are here (the last to arrive)", w->name, WORKERS);
        async_event_set(&barrier.all_here);
    }
    ASYNC_EVENT_WAIT(t, &barrier.all_here);
    if (barrier.arrived < barrier.parties)
        too_early = true;
    say(w->name, "%s: phase 2", w->name);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct worker workers[WORKERS];
    struct task *all[WORKERS];

    demo_init(&demo, argc, argv, "3 tasks meet at a barrier after 1, 2 and 3 s: 3 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < WORKERS; i++) {
        workers[i].number = i + 1;
        snprintf(workers[i].name, sizeof workers[i].name, "worker %d", i + 1);
        task_init(&workers[i].task, workers[i].name, work);
        all[i] = &workers[i].task;
    }
    if (task_run_all(loop, all, WORKERS) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    say("main", too_early ? "BUG: a worker began phase 2 before all had finished phase 1"
                          : "no worker began phase 2 before all had finished phase 1");
    demo_finish(&demo);
    return 0;
}
