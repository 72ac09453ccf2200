/*
 * running_threads.c: a 1 s and a 2 s task, each on its own thread: 2 s, and no CPU used to wait.
 *
 * Chapter 1. Article 001's threading example. The article waits with threading.Event().wait(1),
 * on an event nobody sets: a roundabout 1 s sleep, which here is nanosleep(). The article says the
 * two "literally run in parallel on separate cores"; they do not run at all while they wait, and
 * pinned to one core (taskset -c 0) they still take 2 s. Compare with running_loop.c.
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
    struct job jobs[] = {{"task 1", 1, 1}, {"task 2", 2, 2}};
    pthread_t threads[2];

    demo_init(&demo, argc, argv, "A 1 s and a 2 s task on two threads: 2 s (article 001).");
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_create(&threads[i], NULL, run_job, &jobs[i]));
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_join(threads[i], NULL));
    demo_finish(&demo);
    return 0;
}
