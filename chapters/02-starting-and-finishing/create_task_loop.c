/*
 * create_task_loop.c: task_start queues a task and returns; the task runs when its creator waits.
 *
 * Chapter 2. asyncio.create_task(coro) wraps a coroutine in a task and queues its first step;
 * nothing of it runs until the creating task gives the loop a turn at an await. task_start does
 * the same, and TASK_GATHER waits for tasks already started (await asyncio.gather(a, b)). A third
 * task is started and never awaited: task_run runs the loop until nothing is left, so it ends
 * after main does. (asyncio.run does not wait for it: it cancels what main left pending.)
 * Compare with pthread_create, whose thread may run before the call returns, and detach_threads.c.
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
    double seconds;
};

struct main_task {
    struct task task;
    struct job a, b, background;
    struct task *awaited[2]; /* a and b: what main gathers */
};

static enum task_state job(struct task *t)
{
    struct job *j = (struct job *)t;

    TASK_BEGIN(t);
    say(t->name, "%s: started, waits %g s", t->name, j->seconds);
    TASK_SLEEP(t, demo_seconds(&demo, j->seconds));
    say(t->name, "%s: done", t->name);
    TASK_END(t);
}

static enum task_state run_main(struct task *t)
{
    struct main_task *m = (struct main_task *)t;

    TASK_BEGIN(t);
    task_start(t->loop, &m->a.task); /* a = asyncio.create_task(job("A", 2)) */
    task_start(t->loop, &m->b.task);
    task_start(t->loop, &m->background.task); /* created, and never awaited */
    say("main", "main: started A, B and background; none of them has run yet");
    TASK_GATHER(t, m->awaited, 2); /* await asyncio.gather(a, b): the loop's turn comes now */
    say("main", "main: A and B are done; main ends without awaiting background");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    static struct main_task m = {
        .a = {.seconds = 2}, .b = {.seconds = 1}, .background = {.seconds = 3}};
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "Tasks started with task_start run only when their creator waits.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&m.task, "main", run_main);
    task_init(&m.a.task, "A", job);
    task_init(&m.b.task, "B", job);
    task_init(&m.background.task, "background", job);
    m.awaited[0] = &m.a.task;
    m.awaited[1] = &m.b.task;
    if (task_run(loop, &m.task) == -1) /* asyncio.run(main()), but it runs until nothing is left */
        die_errno("task_run");
    say("main", "task_run returned; background done: %s",
        task_done(&m.background.task) ? "yes" : "no");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
