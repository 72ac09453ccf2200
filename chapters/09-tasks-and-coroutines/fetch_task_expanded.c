/*
 * fetch_task_expanded.c: fetch_task.c with the TASK_ macros written out: a switch on a saved line.
 *
 * Chapter 9. What the preprocessor makes of job() in fetch_task.c (`cc -E` shows the same, less
 * tidily): TASK_BEGIN opens a switch on t->resume; each TASK_AWAIT saves its own line number,
 * returns, and puts a `case` label with that number right after the return, so the next call
 * jumps back in there (Duff's device; Simon Tatham's "Coroutines in C"; protothreads). The macro
 * numbers its resume points with __LINE__ so that nobody has to count; here they are 1, 2 and 3.
 * Only the step function differs from fetch_task.c, and it prints the same lines.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "fetch_service.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define FETCH_SECONDS 1.0 /* every reply takes a second */

static struct demo demo;

struct job {
    struct task task;      /* first: a struct task * is a struct job * */
    long user, id, orders; /* kept here, not in locals: a local does not survive a wait */
    struct fetch fetch;
    struct future reply;
};

/* The service's callback: the reply sets the future, which wakes the task awaiting it. */
static void set_reply(struct loop *loop, struct fetch *fetch, void *arg)
{
    (void)loop;
    if (future_set_result(arg, &fetch->answer) == -1)
        die_errno("future_set_result");
}

/* Start a question; its answer will be in j->reply. */
static void ask(struct job *j, enum query query, long key)
{
    future_init(&j->reply, j->task.loop);
    fetch_start(j->task.loop, &j->fetch, query, key, demo_seconds(&demo, FETCH_SECONDS), set_reply,
                &j->reply);
}

static long answer(struct job *j)
{
    return *(const long *)j->reply.result;
}

static enum task_state job(struct task *t)
{
    struct job *j = (struct job *)t;

    switch (t->resume) { /* TASK_BEGIN(t) */
    case 0:              /* the first call starts at the top */
        say(t->name, "%s: asking for the user id", t->name);
        ask(j, QUERY_USER_ID, j->user);
        if (!future_done(&j->reply)) { /* TASK_AWAIT(t, &j->reply) */
            task_await_(t, &j->reply); /* the future will step the task again */
            t->resume = 1;             /* where to go on */
            return TASK_PENDING;
        case 1:; /* ... which is here */
        }
        j->id = answer(j);
        say(t->name, "%s: user id %ld; asking for the orders", t->name, j->id);
        ask(j, QUERY_ORDERS, j->id);
        if (!future_done(&j->reply)) {
            task_await_(t, &j->reply);
            t->resume = 2;
            return TASK_PENDING;
        case 2:;
        }
        j->orders = answer(j);
        say(t->name, "%s: %ld orders; asking for their total", t->name, j->orders);
        ask(j, QUERY_TOTAL, j->orders);
        if (!future_done(&j->reply)) {
            task_await_(t, &j->reply);
            t->resume = 3;
            return TASK_PENDING;
        case 3:;
        }
        say(t->name, "%s: the total is %ld", t->name, answer(j));
    }                       /* TASK_END(t) */
    return task_finish_(t); /* done: sets t->future, wakes whoever waits */
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct job ada = {.user = 1}, bob = {.user = 2};
    struct task *const both[] = {&ada.task, &bob.task};

    demo_init(&demo, argc, argv,
              "fetch_task.c with its TASK_ macros expanded by hand: the same lines, 3 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&ada.task, "ada", job);
    task_init(&bob.task, "bob", job);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
