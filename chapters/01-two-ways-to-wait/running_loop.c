/*
 * running_loop.c: a 1 s and a 2 s task, each told its name and time, on the event loop: 2 s.
 *
 * Chapter 1. Article 001's asyncio example (task1 sleeps 1 s, task2 2 s, "running", gathered).
 * Written here as one step function run twice with different arguments, the way a C programmer
 * would; each task's arguments live in its struct, next to the struct task it starts with.
 * Compare with running_threads.c, the article's threading version, and with gather_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

static struct demo demo;

struct job {
    struct task task; /* first, so that a struct task * is also a struct job * */
    int number;
    double seconds;
};

static enum task_state run_job(struct task *t)
{
    struct job *job = (struct job *)t;

    TASK_BEGIN(t);
    say(t->name, "Task %d running", job->number);
    TASK_SLEEP(t, demo_seconds(&demo, job->seconds));
    say(t->name, "Task %d finished", job->number);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct job jobs[] = {{.number = 1, .seconds = 1}, {.number = 2, .seconds = 2}};
    struct task *const both[] = {&jobs[0].task, &jobs[1].task};

    demo_init(&demo, argc, argv,
              "A 1 s and a 2 s task gathered on the event loop: 2 s (article 001).");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&jobs[0].task, "task 1", run_job);
    task_init(&jobs[1].task, "task 2", run_job);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
