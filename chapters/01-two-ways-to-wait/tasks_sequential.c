/*
 * tasks_sequential.c: task A (2 s) then task B (3 s), one after the other: 5 s, the sum.
 *
 * Chapter 1, the baseline for article 004's task(name, duration): the same function called twice
 * in a row. Compare with tasks_threads.c and tasks_loop.c, which take 3 s, the longest.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static void task(const char *name, double seconds)
{
    say(name, "Task %s started", name);
    if (sleep_seconds(demo_seconds(&demo, seconds)) == -1)
        die_errno("nanosleep");
    say(name, "Task %s completed", name);
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv, "Task A (2 s) then task B (3 s), in sequence: 5 s (article 004).");
    task("A", 2);
    task("B", 3);
    say("main", "All tasks completed");
    demo_finish(&demo);
    return 0;
}
