/*
 * cancel_cleanup_loop.c: a cancelled task's cleanup gives back its async lock and connection.
 *
 * Chapter 10. Python:
 *     async def worker(name):
 *         global connections
 *         connections += 1
 *         try:
 *             async with lock:
 *                 await asyncio.sleep(2)      # cancelled here, holding the lock
 *         finally:
 *             connections -= 1
 * Worker a holds the lock and is cancelled at 1 s; its cleanup (TASK_CLEANUP) releases the lock,
 * so b, waiting for it, goes on at once instead of waiting for ever. Worker c is cancelled before
 * its first step: it runs nothing, so it has nothing to give back. Compare with
 * cancel_threads_bug.c, where a cancelled thread keeps its mutex.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define WORK_TIME 2.0    /* each worker holds the lock this long */
#define CANCEL_AFTER 1.0 /* main cancels worker a then */

static struct demo demo;
static struct async_lock lock = ASYNC_LOCK_INIT;
static int connections;

struct worker {
    struct task task;
    bool holding; /* for the cleanup: the lock is ours (nothing is handed to us in this program) */
};

static enum task_state worker_step(struct task *t)
{
    struct worker *w = (struct worker *)t;

    TASK_BEGIN(t);
    connections++;
    say(t->name, "%s: connected (%d open), waits for the lock", t->name, connections);
    ASYNC_LOCK(t, &lock);
    w->holding = true;
    say(t->name, "%s: holds the lock, works %g s", t->name, WORK_TIME);
    TASK_SLEEP(t, demo_seconds(&demo, WORK_TIME));
    w->holding = false;
    async_lock_release(&lock);
    connections--;
    say(t->name, "%s: done, lock released (%d open)", t->name, connections);
    TASK_RETURN(t, NULL);

    TASK_CLEANUP(t); /* finally: */
    if (w->holding) {
        w->holding = false;
        async_lock_release(&lock);
    }
    connections--;
    say(t->name, "%s: cancelled: lock released, connection closed (%d open)", t->name, connections);
    TASK_END(t);
}

struct main_task {
    struct task task;
    struct worker a, b, c;
};

static enum task_state main_step(struct task *t)
{
    struct main_task *m = (struct main_task *)t;

    TASK_BEGIN(t);
    task_start(t->loop, &m->a.task);
    task_start(t->loop, &m->b.task);
    task_start(t->loop, &m->c.task);
    task_cancel(&m->c.task); /* before its first step: it will run nothing */
    TASK_SLEEP(t, demo_seconds(&demo, CANCEL_AFTER));
    say("main", "main: cancels a");
    task_cancel(&m->a.task);
    TASK_AWAIT(t, &m->b.task.future);
    say("main", "main: c ran nothing: %s; open connections: %d; lock held: %s",
        task_cancelled(&m->c.task) ? "cancelled" : "?", connections,
        async_lock_locked(&lock) ? "yes" : "no");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct main_task m = {0};
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "A worker cancelled while it holds an async lock releases it in its cleanup, and\n"
              "closes its connection; one cancelled before its first step runs nothing.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&m.task, "main", main_step);
    task_init(&m.a.task, "a", worker_step);
    task_init(&m.b.task, "b", worker_step);
    task_init(&m.c.task, "c", worker_step);
    if (task_run(loop, &m.task) == -1)
        die_errno("task_run");
    (void)future_error(&m.a.task.future); /* ECANCELED: we know, we did it */
    (void)future_error(&m.c.task.future);
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
