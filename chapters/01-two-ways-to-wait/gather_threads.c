/*
 * gather_threads.c: article 000's task1 (2 s) and task2 (1 s) on two threads: 2 s, like the loop.
 *
 * Chapter 1. Article 000 shows this example with asyncio only; here it is with a thread per task,
 * joined in order. Both threads start at once, so both "started" lines come first (in either
 * order: the kernel decides which thread runs first), task2 finishes first, and the whole takes
 * the longest wait. Compare with gather_loop.c (one thread) and gather_sequential.c (3 s).
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

    say(job->name, "Task %d started", job->number);
    if (sleep_seconds(demo_seconds(&demo, job->seconds)) == -1)
        die_errno("nanosleep");
    say(job->name, "Task %d finished", job->number);
    return NULL;
}

int main(int argc, char **argv)
{
    struct job jobs[] = {{"task 1", 1, 2}, {"task 2", 2, 1}};
    pthread_t threads[2];

    demo_init(&demo, argc, argv, "task1 (2 s) and task2 (1 s) on two threads: 2 s (article 000).");
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_create(&threads[i], NULL, run_job, &jobs[i]));
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_join(threads[i], NULL));
    demo_finish(&demo);
    return 0;
}
