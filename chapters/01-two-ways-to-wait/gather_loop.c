/*
 * gather_loop.c: a 2 s and a 1 s task gathered on the event loop: the short one ends first, 2 s.
 *
 * Chapter 1. Article 000's asyncio example, where task1 sleeps 2 s and task2 sleeps 1 s:
 *     async def main(): await asyncio.gather(task1(), task2())
 * Both start in the order given; they finish in the order their timers fall due, so "Task 2
 * finished" comes before "Task 1 finished". Total: the longest wait, not the sum.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

static struct demo demo;

static enum task_state task1(struct task *t)
{
    TASK_BEGIN(t);
    say(t->name, "Task 1 started");
    TASK_SLEEP(t, demo_seconds(&demo, 2));
    say(t->name, "Task 1 finished");
    TASK_END(t);
}

static enum task_state task2(struct task *t)
{
    TASK_BEGIN(t);
    say(t->name, "Task 2 started");
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say(t->name, "Task 2 finished");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct task first, second;
    struct task *const both[] = {&first, &second};

    demo_init(&demo, argc, argv,
              "A 2 s and a 1 s task gathered on the event loop: 2 s (article 000).");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&first, "task 1", task1);
    task_init(&second, "task 2", task2);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
