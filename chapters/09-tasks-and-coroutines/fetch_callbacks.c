/*
 * fetch_callbacks.c: three dependent fetches as nested callbacks on the bare loop: callback hell.
 *
 * Chapter 9. The job, for each of two users at once: ask for the user's id, then for that id's
 * orders, then for their total. In Python with asyncio it reads top to bottom:
 *     id = await fetch("user id", user); n = await fetch("orders", id); ...
 * Here each step is a callback that starts the next fetch and names the callback after it, and
 * everything a later step needs travels in a struct passed along. Compare with
 * fetch_state_machine.c and fetch_task.c: the same lines, in the same order, in the same 3 s.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "fetch_service.h"
#include "loop.h"
#include "timeline.h"

#define FETCH_SECONDS 1.0 /* every reply takes a second */

static struct demo demo;

/* Everything the chain needs after a wait: a local in one callback is gone by the next. */
struct chain {
    const char *name;
    long user;
    struct fetch fetch; /* the question in flight; one at a time */
    struct loop_callback start;
};

static void got_total(struct loop *loop, struct fetch *fetch, void *arg)
{
    struct chain *c = arg;

    (void)loop;
    say(c->name, "%s: the total is %ld", c->name, fetch->answer);
}

static void got_orders(struct loop *loop, struct fetch *fetch, void *arg)
{
    struct chain *c = arg;
    long orders = fetch->answer;

    say(c->name, "%s: %ld orders; asking for their total", c->name, orders);
    fetch_start(loop, &c->fetch, QUERY_TOTAL, orders, demo_seconds(&demo, FETCH_SECONDS), got_total,
                c);
}

static void got_user_id(struct loop *loop, struct fetch *fetch, void *arg)
{
    struct chain *c = arg;
    long id = fetch->answer;

    say(c->name, "%s: user id %ld; asking for the orders", c->name, id);
    fetch_start(loop, &c->fetch, QUERY_ORDERS, id, demo_seconds(&demo, FETCH_SECONDS), got_orders,
                c);
}

static void start(struct loop *loop, void *arg)
{
    struct chain *c = arg;

    say(c->name, "%s: asking for the user id", c->name);
    fetch_start(loop, &c->fetch, QUERY_USER_ID, c->user, demo_seconds(&demo, FETCH_SECONDS),
                got_user_id, c);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct chain ada = {.name = "ada", .user = 1}, bob = {.name = "bob", .user = 2};

    demo_init(&demo, argc, argv,
              "Three dependent fetches for two users, as nested callbacks on the loop: 3 s.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    loop_call_soon(loop, &ada.start, start, &ada);
    loop_call_soon(loop, &bob.start, start, &bob);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
