/*
 * wait_for_loop.c: asyncio.wait_for: a job in time gives its result; a slow one is cancelled.
 *
 * Chapter 10. Python:
 *     async def job(name, seconds):
 *         try:
 *             await asyncio.sleep(seconds); return name
 *         except asyncio.CancelledError:
 *             await close_connection(); raise      # the cleanup may wait too
 *     await asyncio.wait_for(job("fast", 1), timeout=2)      # "fast"
 *     await asyncio.wait_for(job("slow", 3), timeout=2)      # TimeoutError, after the cleanup
 * TASK_WAIT_FOR (task.h) cancels the child at the limit and goes on only once the child's cleanup
 * is over; the exercise wait_for.c builds the same from a timer. Compare with
 * timedwait_monotonic.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define LIMIT 2.0        /* seconds wait_for gives each job */
#define CLEANUP_TIME 0.5 /* closing the connection takes this long */

static struct demo demo;

struct job {
    struct task task; /* first, so that a struct task * is also a struct job * */
    double seconds;
};

static enum task_state job_step(struct task *t)
{
    struct job *j = (struct job *)t;

    TASK_BEGIN(t);
    say(t->name, "%s: started, needs %g s", t->name, j->seconds);
    TASK_SLEEP(t, demo_seconds(&demo, j->seconds));
    say(t->name, "%s: done", t->name);
    TASK_RETURN(t, (void *)t->name);

    TASK_CLEANUP(t); /* except CancelledError: */
    say(t->name, "%s: cancelled: closing its connection", t->name);
    TASK_SLEEP(t, demo_seconds(&demo, CLEANUP_TIME));
    say(t->name, "%s: connection closed", t->name);
    TASK_END(t);
}

struct main_task {
    struct task task;
    struct job fast, slow;
};

static enum task_state main_step(struct task *t)
{
    struct main_task *m = (struct main_task *)t;

    TASK_BEGIN(t);
    say("main", "main: wait_for(fast, %g s)", LIMIT);
    TASK_WAIT_FOR(t, &m->fast.task, demo_seconds(&demo, LIMIT));
    if (future_error(&m->fast.task.future) == 0)
        say("main", "main: fast returned \"%s\" in time", (const char *)m->fast.task.result);
    say("main", "main: wait_for(slow, %g s)", LIMIT);
    TASK_WAIT_FOR(t, &m->slow.task, demo_seconds(&demo, LIMIT));
    if (future_error(&m->slow.task.future) == ETIMEDOUT)
        say("main", "main: slow timed out (ETIMEDOUT), and its cleanup is over: %s",
            task_done(&m->slow.task) ? "yes" : "no");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct main_task m;
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "asyncio.wait_for on the loop: a job done in time gives its result; a slow one\n"
              "is cancelled at the limit, and the caller goes on once its cleanup is over.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&m.task, "main", main_step);
    task_init(&m.fast.task, "fast", job_step);
    m.fast.seconds = 1;
    task_init(&m.slow.task, "slow", job_step);
    m.slow.seconds = 3;
    if (task_run(loop, &m.task) == -1)
        die_errno("task_run");
    future_release(&m.fast.task.future, "fast");
    future_release(&m.slow.task.future, "slow");
    future_release(&m.task.future, "main");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
