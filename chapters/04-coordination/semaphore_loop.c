/*
 * semaphore_loop.c: asyncio.Semaphore lets 2 of 5 download tasks run at once, first come first in.
 *
 * Chapter 4. The Python it follows:
 *     sem = asyncio.Semaphore(2)
 *     async def download(n, seconds):
 *         async with sem:
 *             print(f"download {n} started"); await asyncio.sleep(seconds); print(...)
 *     await asyncio.gather(*(download(n, s) for n, s in enumerate([1, 1.5, 1, 1, 1.25], 1)))
 * ASYNC_SEM_ACQUIRE parks a task when no permit is free; async_sem_release hands the permit to the
 * task that has waited longest, so the downloads start in the order 1 to 5, each the moment a
 * permit comes free: 3.25 s. Compare with semaphore_threads.c: a POSIX sem_t, and no such order.
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

/* How long each download takes, in seconds. */
static const double seconds[DOWNLOADS] = {1, 1.5, 1, 1, 1.25};

static struct demo demo;
static struct async_sem permits = ASYNC_SEM_INIT(AT_ONCE);
static int inside, most_inside; /* a probe; one thread, so no lock */

struct downloader {
    struct task task;
    char name[16];
    double seconds;
};

static enum task_state download(struct task *t)
{
    struct downloader *d = (struct downloader *)t;

    TASK_BEGIN(t);
    ASYNC_SEM_ACQUIRE(t, &permits);
    if (++inside > most_inside)
        most_inside = inside;
    say(d->name, "%s started", d->name);
    TASK_SLEEP(t, demo_seconds(&demo, d->seconds));
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

    demo_init(&demo, argc, argv,
              "5 download tasks, at most 2 at once, in order (asyncio.Semaphore): 3.25 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < DOWNLOADS; i++) {
        snprintf(downloads[i].name, sizeof downloads[i].name, "download %d", i + 1);
        downloads[i].seconds = seconds[i];
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
