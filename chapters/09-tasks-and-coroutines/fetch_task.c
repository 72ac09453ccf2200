/*
 * fetch_task.c: the same three fetches as a task: TASK_AWAIT on a future reads like Python's await.
 *
 * Chapter 9. The Python it mirrors (asyncio):
 *     async def job(name, user):
 *         id = await fetch(QUERY_USER_ID, user)
 *         orders = await fetch(QUERY_ORDERS, id)
 *         total = await fetch(QUERY_TOTAL, orders)
 * The service answers through a callback; ask() turns that into a future the task can await (as
 * asyncio's loop.create_future() does for callback APIs). The task is still the state machine of
 * fetch_state_machine.c: fetch_task_expanded.c is this file with the macros written out.
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

    TASK_BEGIN(t);
    say(t->name, "%s: asking for the user id", t->name);
    ask(j, QUERY_USER_ID, j->user);
    TASK_AWAIT(t, &j->reply);
    j->id = answer(j);
    say(t->name, "%s: user id %ld; asking for the orders", t->name, j->id);
    ask(j, QUERY_ORDERS, j->id);
    TASK_AWAIT(t, &j->reply);
    j->orders = answer(j);
    say(t->name, "%s: %ld orders; asking for their total", t->name, j->orders);
    ask(j, QUERY_TOTAL, j->orders);
    TASK_AWAIT(t, &j->reply);
    say(t->name, "%s: the total is %ld", t->name, answer(j));
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct job ada = {.user = 1}, bob = {.user = 2};
    struct task *const both[] = {&ada.task, &bob.task};

    demo_init(&demo, argc, argv,
              "The same three fetches for two users, as tasks awaiting futures: 3 s.");
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
