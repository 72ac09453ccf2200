/*
 * running_threads_nojoin.c: BUG DEMONSTRATION: running_threads.c without the joins: nothing
 * finishes.
 *
 * Chapter 1. Article 001 starts its two threads and never joins them, and Python still prints
 * every line: its interpreter waits for the threads before it exits. C does not. Returning from
 * main is calling exit(), which ends the whole process, threads and all, in mid-wait. So at the
 * normal scale no "finished" line appears, and whether the "running" lines do depends on how fast
 * the new threads get going. It is a race, not a rule: with waits scaled down to almost nothing
 * (-s 1e-300) a thread can finish before main gets to exit(), and its line shows. Worse, exit()
 * flushes stdout while a thread may be writing to it: a line can come out twice, or glued to
 * another. Compare with running_threads.c, which joins both threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

struct job {
    const char *name;
    int number;
    double seconds;
};

static void *run_job(void *arg)
{
    struct job *job = arg;

    say(job->name, "Task %d running", job->number);
    if (sleep_seconds(demo_seconds(&demo, job->seconds)) == -1)
        die_errno("nanosleep");
    say(job->name, "Task %d finished", job->number);
    return NULL;
}

int main(int argc, char **argv)
{
    static struct job jobs[] = {{"task 1", 1, 1}, {"task 2", 2, 2}}; /* static: outlive main */
    pthread_t threads[2];

    demo_init(&demo, argc, argv, "running_threads.c without pthread_join: the process ends first.");
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_create(&threads[i], NULL, run_job, &jobs[i]));
    say("main", "main returns without joining");
    demo_finish(&demo);
    return 0; /* the bug: exit() now, while both threads are still asleep */
}
