/*
 * fetch_state_machine.c: the same three fetches as an explicit state machine: an enum and a switch.
 *
 * Chapter 9. One function, machine_step(), does every step of the job; the struct remembers which
 * step comes next (`state`) and what earlier steps found out. The loop re-enters it each time a
 * reply arrives. This is what a task is underneath: compare with fetch_callbacks.c (one callback
 * per step) and fetch_task.c (the TASK_ macros write this switch for you).
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "fetch_service.h"
#include "loop.h"
#include "timeline.h"

#define FETCH_SECONDS 1.0 /* every reply takes a second */

static struct demo demo;

/* Where the machine goes on next time it is entered. */
enum step { ASK_USER_ID, GOT_USER_ID, GOT_ORDERS, GOT_TOTAL, FINISHED };

struct machine {
    enum step state;
    const char *name;
    long user, id, orders; /* what the steps found out, kept across the waits */
    struct fetch fetch;
    struct loop_callback start;
};

static void machine_step(struct loop *loop, void *arg);

/* A reply re-enters the machine, whichever question it answers. */
static void reply(struct loop *loop, struct fetch *fetch, void *arg)
{
    (void)fetch;
    machine_step(loop, arg);
}

static void ask(struct loop *loop, struct machine *m, enum query query, long key)
{
    fetch_start(loop, &m->fetch, query, key, demo_seconds(&demo, FETCH_SECONDS), reply, m);
}

static void machine_step(struct loop *loop, void *arg)
{
    struct machine *m = arg;

    switch (m->state) {
    case ASK_USER_ID:
        say(m->name, "%s: asking for the user id", m->name);
        ask(loop, m, QUERY_USER_ID, m->user);
        m->state = GOT_USER_ID;
        return; /* back to the loop until the reply */
    case GOT_USER_ID:
        m->id = m->fetch.answer;
        say(m->name, "%s: user id %ld; asking for the orders", m->name, m->id);
        ask(loop, m, QUERY_ORDERS, m->id);
        m->state = GOT_ORDERS;
        return;
    case GOT_ORDERS:
        m->orders = m->fetch.answer;
        say(m->name, "%s: %ld orders; asking for their total", m->name, m->orders);
        ask(loop, m, QUERY_TOTAL, m->orders);
        m->state = GOT_TOTAL;
        return;
    case GOT_TOTAL:
        say(m->name, "%s: the total is %ld", m->name, m->fetch.answer);
        m->state = FINISHED;
        return;
    case FINISHED:
        return;
    }
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct machine ada = {.state = ASK_USER_ID, .name = "ada", .user = 1};
    struct machine bob = {.state = ASK_USER_ID, .name = "bob", .user = 2};

    demo_init(&demo, argc, argv,
              "The same three fetches for two users, as a state machine re-entered by the loop.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    loop_call_soon(loop, &ada.start, machine_step, &ada);
    loop_call_soon(loop, &bob.start, machine_step, &bob);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    if (ada.state != FINISHED || bob.state != FINISHED)
        die_msg("a machine stopped before its last step");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
