/*
 * hello_loop.c: say_hello twice as tasks on the event loop: both wait at once, on one thread, 1 s.
 *
 * Chapter 1. Article 002's asyncio example:
 *     async def say_hello():
 *         print("Hello"); await asyncio.sleep(1); print("World")
 *     async def main(): await asyncio.gather(say_hello(), say_hello())
 *     asyncio.run(main())
 * TASK_SLEEP returns to the loop, which runs the other task, then waits for the earliest timer.
 * Compare with hello_threads.c (two threads) and hello_sequential.c (2 s).
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

static struct demo demo;

static enum task_state say_hello(struct task *t)
{
    TASK_BEGIN(t);
    say(t->name, "Hello");
    TASK_SLEEP(t, demo_seconds(&demo, 1));
    say(t->name, "World");
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct task first, second;
    struct task *const both[] = {&first, &second};

    demo_init(&demo, argc, argv, "say_hello twice, gathered on the event loop: 1 s (article 002).");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&first, "hello 1", say_hello);
    task_init(&second, "hello 2", say_hello);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
