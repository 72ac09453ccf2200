/*
 * future_timer.c: a future set from a timer: its callbacks and the task awaiting it run later.
 *
 * Chapter 9. The asyncio it mirrors:
 *     fut = loop.create_future(); fut.add_done_callback(cb1)
 *     loop.call_later(1, fut.set_result, 42); ...; value = await fut   # in a task
 * Setting the future runs nothing at once: it wakes the awaiting task and queues the done-callbacks
 * in the order they were added, all for the loop's next turn (asyncio orders the task among the
 * callbacks: see book.md). A callback added once the future is done still runs, on a later turn;
 * a second set is refused. Compare with fetch_task.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define SET_AFTER_SECONDS 1.0
#define THE_ANSWER 42L

static struct demo demo;
static const long the_answer = THE_ANSWER;
static const long another_answer = THE_ANSWER + 1;

/* Everything the timer needs: the future, and storage for the callback it adds late. */
struct setter {
    struct future *future;
    struct future_callback late;
    struct loop_timer timer;
};

struct waiter {
    struct task task;
    struct future *future;
    struct setter *setter;
};

static void print_value(struct loop *loop, struct future *future, void *arg)
{
    (void)loop;
    say(arg, "%s: the future holds %ld", (const char *)arg, *(const long *)future->result);
}

static void set_it(struct loop *loop, void *arg)
{
    struct setter *s = arg;

    (void)loop;
    say("timer", "timer: setting the future to %ld", the_answer);
    if (future_set_result(s->future, (void *)&the_answer) == -1)
        die_errno("future_set_result");
    if (future_set_result(s->future, (void *)&another_answer) == 0)
        die_msg("a future was set twice");
    say("timer", "timer: setting it again: refused (%s)", strerror(errno));
    say("timer", "timer: no callback has run yet");
    future_add_done_callback(s->future, &s->late, print_value, "late callback (added when done)");
}

static enum task_state wait_for_it(struct task *t)
{
    struct waiter *w = (struct waiter *)t;

    TASK_BEGIN(t);
    say(t->name, "waiter: awaiting the future, which a timer will set");
    if (loop_call_later(t->loop, &w->setter->timer, demo_seconds(&demo, SET_AFTER_SECONDS), set_it,
                        w->setter) == -1)
        die_errno("loop_call_later");
    TASK_AWAIT(t, w->future);
    say(t->name, "waiter: the future holds %ld", *(const long *)w->future->result);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct future future;
    struct future_callback first;
    struct setter s = {.future = &future};
    struct waiter w = {.future = &future, .setter = &s};

    demo_init(&demo, argc, argv,
              "A future set by a timer after 1 s: callbacks and the awaiting task run after.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    future_init(&future, loop);
    future_add_done_callback(&future, &first, print_value, "callback 1");
    task_init(&w.task, "waiter", wait_for_it);
    if (task_run(loop, &w.task) == -1)
        die_errno("task_run");
    future_release(&future, "the answer");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
