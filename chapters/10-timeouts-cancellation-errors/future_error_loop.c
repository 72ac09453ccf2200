/*
 * future_error_loop.c: an error travels in a future; one nobody retrieves is reported on stderr.
 *
 * Chapter 10. Python:
 *     fut = loop.create_future()
 *     loop.call_later(1, fut.set_exception, ConnectionRefusedError())
 *     try: await fut
 *     except ConnectionRefusedError as e: print("main: fetch failed:", e)
 *     orphan = loop.create_future(); orphan.set_exception(...)   # nobody awaits it
 *     del orphan   # "Future exception was never retrieved", logged on stderr
 * C has no garbage collector: future_release() is the moment asyncio's collector would be, and it
 * reports on stderr an error nobody read with future_error(). Compare with pthread_errors.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define FAIL_AFTER 1.0 /* the "connection" is refused after this long */

static struct demo demo;

/* A future with a name, for the lines and the report. */
struct named_future {
    struct future future;
    const char *name;
    struct loop_timer timer;
};

/* The timer that stands for the network: it refuses the connection. */
static void refuse(struct loop *loop, void *arg)
{
    struct named_future *nf = arg;

    (void)loop;
    say("network", "network: %s: connection refused (future_set_error)", nf->name);
    if (future_set_error(&nf->future, ECONNREFUSED) == -1)
        die_errno("future_set_error");
}

struct main_task {
    struct task task;
    struct named_future fetch, orphan;
};

static enum task_state main_step(struct task *t)
{
    struct main_task *m = (struct main_task *)t;
    int error;

    TASK_BEGIN(t);
    if (loop_call_later(t->loop, &m->fetch.timer, demo_seconds(&demo, FAIL_AFTER), refuse,
                        &m->fetch) == -1 ||
        loop_call_later(t->loop, &m->orphan.timer, demo_seconds(&demo, FAIL_AFTER), refuse,
                        &m->orphan) == -1)
        die_errno("loop_call_later");
    say("main", "main: awaits fetch; nobody awaits orphan");
    TASK_AWAIT(t, &m->fetch.future);
    error = future_error(&m->fetch.future); /* except ConnectionRefusedError as e: */
    say("main", "main: fetch failed: %s", strerror(error));
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct main_task m = {.fetch.name = "fetch", .orphan.name = "orphan"};
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "An error carried by a future reaches the task that awaits it; an error nobody\n"
              "retrieved is reported on stderr when the future is released.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    future_init(&m.fetch.future, loop);
    future_init(&m.orphan.future, loop);
    task_init(&m.task, "main", main_step);
    if (task_run(loop, &m.task) == -1)
        die_errno("task_run");
    say("main", "main: releases both futures (stderr reports what nobody retrieved)");
    future_release(&m.fetch.future, m.fetch.name);   /* retrieved: nothing to say */
    future_release(&m.orphan.future, m.orphan.name); /* never retrieved: reported */
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
