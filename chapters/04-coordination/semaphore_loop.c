/*
 * semaphore_loop.c: asyncio.Semaphore lets 2 of 5 download tasks run at once: 3 s, never 3 at once.
 *
 * Chapter 4. The Python it follows:
 *     sem = asyncio.Semaphore(2)
 *     async def download(n):
 *         async with sem:
 *             print(f"download {n} started"); await asyncio.sleep(1); print(f"download {n} done")
 *     await asyncio.gather(*(download(n) for n in range(1, 6)))
 * ASYNC_SEM_ACQUIRE parks a task when no permit is free; async_sem_release hands the permit to the
 * task that has waited longest, so downloads start in the order 1, 2, 3, 4, 5. Compare with
 * semaphore_threads.c: the same limit with a POSIX sem_t, and no such order.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define DOWNLOADS 5
#define AT_ONCE 2

static struct demo demo;
static struct async_sem permits = ASYNC_SEM_INIT(AT_ONCE);
static int inside, most_inside; /* a probe; one thread, so no lock */

struct downloader {
    struct task task;
    char name[16];
};

static enum task_state download(struct task *t)
{
    struct downloader *d = (struct downloader *)t;

    TASK_BEGIN(t);
    ASYNC_SEM_ACQUIRE(t, &permits);
    if (++inside > most_inside)
        most_inside = inside;
    say(d->name, "%s started", d->name);
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say(d->name, "%s done", d->name);
    inside--;
    if (async_sem_release(&permits) == -1)
        die_errno("async_sem_release");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct downloader downloads[DOWNLOADS];
    struct task *all[DOWNLOADS];

    demo_init(&demo, argc, argv, "5 download tasks, at most 2 at once (asyncio.Semaphore): 3 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < DOWNLOADS; i++) {
        snprintf(downloads[i].name, sizeof downloads[i].name, "download %d", i + 1);
        task_init(&downloads[i].task, downloads[i].name, download);
        all[i] = &downloads[i].task;
    }
    if (task_run_all(loop, all, DOWNLOADS) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    say("main", "%d downloads, at most %d at once", DOWNLOADS, most_inside);
    demo_finish(&demo);
    return 0;
}
