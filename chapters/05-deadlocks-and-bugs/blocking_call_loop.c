/*
 * blocking_call_loop.c: one blocking call freezes every task: a 0.1 s ticker runs 0.45 s late.
 *
 * Chapter 5. Two tasks on the loop: a ticker that should wake every PERIOD seconds, measuring how
 * late each wake-up is, and a blocker that waits BLOCK_SECONDS once. The program runs them twice:
 *   - the blocker calls sleep_seconds(), as `time.sleep(0.5)` inside an async function would: the
 *     loop's only thread sleeps, no task runs, and the ticker's wake-ups pile up behind it;
 *   - the blocker awaits TASK_SLEEP (`await asyncio.sleep(0.5)`): only the task waits.
 * It prints the worst lateness of each run. A blocking read(), a DNS lookup or a long computation
 * does the same as sleep_seconds(): the loop cannot preempt a task, it can only wait for it to
 * return. Like asyncio's debug mode (which logs "Executing <Task ...> took 0.501 seconds"), the
 * loop here reports every callback slower than SLOW_CALLBACK (loop_report_slow_callbacks).
 * Threads do not have this problem: a blocked thread blocks only itself (chapter 1).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define TICKS 10
#define PERIOD 0.1        /* seconds between two ticks */
#define BLOCK_AFTER 0.25  /* when the blocker makes its call */
#define BLOCK_SECONDS 0.5 /* how long the call takes */
#define SLOW_CALLBACK                                                                              \
    0.1 /* report callbacks slower than this: asyncio's slow_callback_duration                     \
         */

struct ticker {
    struct task task;
    int n;
    double start, worst;
};

struct blocker {
    struct task task;
    bool blocking;
};

static struct demo demo;

static enum task_state tick(struct task *t)
{
    struct ticker *tk = (struct ticker *)t;
    double due, late;

    TASK_BEGIN(t);
    tk->start = loop_time(t->loop);
    for (tk->n = 1; tk->n <= TICKS; tk->n++) {
        /* Sleep until the n-th tick is due, so that one late tick does not delay the next. */
        TASK_SLEEP(t, tk->start + tk->n * demo_seconds(&demo, PERIOD) - loop_time(t->loop));
        due = tk->start + tk->n * demo_seconds(&demo, PERIOD);
        late = loop_time(t->loop) - due;
        if (late > tk->worst)
            tk->worst = late;
    }
    TASK_END(t);
}

static enum task_state block(struct task *t)
{
    struct blocker *b = (struct blocker *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, demo_seconds(&demo, BLOCK_AFTER));
    if (b->blocking) {
        if (sleep_seconds(demo_seconds(&demo, BLOCK_SECONDS)) == -1) /* the thread sleeps */
            die_errno("nanosleep");
    } else {
        TASK_SLEEP(t, demo_seconds(&demo, BLOCK_SECONDS)); /* only this task waits */
    }
    TASK_END(t);
}

/* Every callback on these loops is a task's step, so its argument is that task. */
static void report_slow(struct loop *loop, loop_fn *fn, void *fn_arg, double seconds, void *arg)
{
    const struct task *t = fn_arg;

    (void)loop, (void)fn, (void)arg;
    say("loop", "  slow callback: a step of the %s took %.3f s; every other task waited", t->name,
        seconds);
}

/* Run the ticker and the blocker together; return the ticker's worst lateness in seconds. */
static double run(bool blocking)
{
    struct loop *loop = loop_new();
    struct ticker ticker = {.worst = 0};
    struct blocker blocker = {.blocking = blocking};
    struct task *const both[] = {&ticker.task, &blocker.task};

    if (loop == NULL)
        die_errno("loop_new");
    loop_report_slow_callbacks(loop, demo_seconds(&demo, SLOW_CALLBACK), report_slow, NULL);
    task_init(&ticker.task, "ticker", tick);
    task_init(&blocker.task, "blocker", block);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    return ticker.worst;
}

int main(int argc, char **argv)
{
    double blocked, awaited;

    demo_init(
        &demo, argc, argv,
        "A ticker that should wake every 0.1 s, beside a task that waits 0.5 s: first with\n"
        "a blocking sleep_seconds(), then with TASK_SLEEP. Prints the worst lateness of each.");
    say("main", "the blocker calls sleep_seconds(%.2f): the loop's thread sleeps",
        demo_seconds(&demo, BLOCK_SECONDS));
    blocked = run(true);
    say("main", "  worst lateness of the %.2f s ticker: %.3f s", demo_seconds(&demo, PERIOD),
        blocked);
    say("main", "the blocker awaits TASK_SLEEP(%.2f): only the task waits",
        demo_seconds(&demo, BLOCK_SECONDS));
    awaited = run(false);
    say("main", "  worst lateness of the %.2f s ticker: %.3f s", demo_seconds(&demo, PERIOD),
        awaited);
    demo_finish(&demo);
    return 0;
}
