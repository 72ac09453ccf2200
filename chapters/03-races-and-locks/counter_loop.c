/*
 * counter_loop.c: two tasks on the event loop run counter++ ten million times each: nothing lost.
 *
 * Chapter 3. counter_race.c's two threads become two tasks that take turns on one thread: each
 * adds 1 a thousand times, then steps aside (TASK_SLEEP(t, 0), Python's `await asyncio.sleep(0)`)
 * so that the other runs. No lock, and no update is lost: a task keeps the thread from one wait to
 * the next, so no other task can run between the load and the store of its counter++. Compare with
 * counter_race.c (threads: lost updates) and bank_race_loop.c (a wait in the middle: lost money).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define TASKS 2
#define INCREMENTS 10000000 /* per task, at scale 1; -s scales it */
#define BATCH 1000          /* increments between two turns */

static struct demo demo;
static long increments;
static long counter; /* shared by the tasks, unprotected, like counter_race.c's */
static long turns;   /* how many times a task stepped aside for the other */

struct counter_task {
    struct task task; /* first, so that a struct task * is also a struct counter_task * */
    long done;        /* increments so far: in the struct, since locals do not survive a wait */
};

static enum task_state work(struct task *t)
{
    struct counter_task *c = (struct counter_task *)t;

    TASK_BEGIN(t);
    while (c->done < increments) {
        for (long i = 0; i < BATCH && c->done < increments; i++, c->done++)
            counter++; /* no other task can run in the middle of this */
        turns++;
        TASK_SLEEP(t, 0); /* the only place where the other task can run */
    }
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct counter_task tasks[TASKS];
    struct task *all[TASKS];
    long expected;

    demo_init(&demo, argc, argv,
              "Two tasks on one thread run counter++ 10 million times each, taking turns every\n"
              "1000: nothing is lost, with no lock. -s scales the number of increments.");
    increments = lround(INCREMENTS * demo.scale);
    expected = TASKS * increments;
    say("main", "%d tasks x %ld increments, taking turns every %d: expected %ld", TASKS, increments,
        BATCH, expected);
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < TASKS; i++) {
        tasks[i].done = 0;
        task_init(&tasks[i].task, i == 0 ? "task 1" : "task 2", work);
        all[i] = &tasks[i].task;
    }
    if (task_run_all(loop, all, TASKS) == -1)
        die_errno("task_run_all");
    loop_free(loop);
    say("main", "counter: %ld", counter);
    say("main", "lost: %ld updates (%.1f%%)", expected - counter,
        expected ? 100.0 * (expected - counter) / expected : 0.0);
    say("main", "the tasks took turns %ld times, all on one thread", turns);
    demo_finish(&demo);
    return 0;
}
