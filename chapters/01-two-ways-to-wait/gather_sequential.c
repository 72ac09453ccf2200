/*
 * gather_sequential.c: article 000's task1 (2 s) then task2 (1 s), one call after the other: 3 s.
 *
 * Chapter 1, the baseline for article 000's gather. Without a loop or threads, "Task 2 started"
 * cannot come before task1 has finished waiting, the short task finishes last, and the waits add
 * up. Compare with gather_loop.c (one thread, 2 s) and gather_threads.c (two threads, 2 s).
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static void task(const char *who, int number, double seconds)
{
    say(who, "Task %d started", number);
    if (sleep_seconds(demo_seconds(&demo, seconds)) == -1)
        die_errno("nanosleep");
    say(who, "Task %d finished", number);
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv, "task1 (2 s) then task2 (1 s), in sequence: 3 s (article 000).");
    task("task 1", 1, 2);
    task("task 2", 2, 1);
    demo_finish(&demo);
    return 0;
}
