/*
 * running_sequential.c: article 001's task1 (1 s) then task2 (2 s), one call after the other: 3 s.
 *
 * Chapter 1, the baseline for article 001's two examples. Called in turn, the second task is not
 * even "running" until the first has finished, and the waits add up to 3 s. Compare with
 * running_loop.c and running_threads.c: both print the four lines in another order, in 2 s.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static void run_job(const char *who, int number, double seconds)
{
    say(who, "Task %d running", number);
    if (sleep_seconds(demo_seconds(&demo, seconds)) == -1)
        die_errno("nanosleep");
    say(who, "Task %d finished", number);
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv, "task1 (1 s) then task2 (2 s), in sequence: 3 s (article 001).");
    run_job("task 1", 1, 1);
    run_job("task 2", 2, 2);
    demo_finish(&demo);
    return 0;
}
