/*
 * tasks_loop.c: task A (2 s) and task B (3 s) gathered on the event loop, then a last line: 3 s.
 *
 * Chapter 1. Article 004's asyncio example: task(name, duration) run twice under gather, and
 * "All asyncio tasks completed" printed after asyncio.run() returns. Compare with tasks_threads.c:
 * the same lines in the same time, on one thread instead of three.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

static struct demo demo;

struct named_task {
    struct task task; /* first, so that a struct task * is also a struct named_task * */
    double seconds;
};

static enum task_state task(struct task *t)
{
    struct named_task *nt = (struct named_task *)t;

    TASK_BEGIN(t);
    say(t->name, "Task %s started", t->name);
    TASK_SLEEP(t, demo_seconds(&demo, nt->seconds));
    say(t->name, "Task %s completed", t->name);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct named_task a = {.seconds = 2}, b = {.seconds = 3};
    struct task *const both[] = {&a.task, &b.task};

    demo_init(&demo, argc, argv,
              "Tasks A (2 s) and B (3 s) gathered on the event loop: 3 s (article 004).");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&a.task, "A", task);
    task_init(&b.task, "B", task);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    say("main", "All asyncio tasks completed");
    demo_finish(&demo);
    return 0;
}
