/*
 * results_struct.c: three threads compute squares, each into a struct that the caller owns.
 *
 * Chapter 2. The other way back from a thread: main gives each thread a struct of its own, with
 * room for the answer, and reads the answer after pthread_join. The join is what makes reading
 * it safe: everything the thread wrote before it ended is visible once the join returns; read
 * it earlier and it is a data race. No allocation, nothing to free. Python's threads have no
 * return value, so this is how threading code gets one (a list the threads write into).
 * Compare with results_join.c and results_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define JOBS 3

static struct demo demo;

struct square_job {
    const char *name;
    long n;
    long result; /* written by the thread; read by main after the join */
};

static void *square(void *arg)
{
    struct square_job *job = arg;

    say(job->name, "square(%ld) started", job->n);
    if (sleep_seconds(demo_seconds(&demo, (double)job->n)) == -1)
        die_errno("nanosleep");
    say(job->name, "square(%ld) done", job->n);
    job->result = job->n * job->n;
    return NULL;
}

int main(int argc, char **argv)
{
    struct square_job jobs[JOBS] = {{"square(3)", 3, 0}, {"square(1)", 1, 0}, {"square(2)", 2, 0}};
    pthread_t threads[JOBS];

    demo_init(&demo, argc, argv,
              "square(3), square(1), square(2) on threads; results in a struct.");
    say("main", "main: starting square(3), square(1), square(2) on three threads");
    for (int i = 0; i < JOBS; i++)
        PCHECK(pthread_create(&threads[i], NULL, square, &jobs[i]));
    for (int i = 0; i < JOBS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    say("main", "results in argument order: %ld %ld %ld", jobs[0].result, jobs[1].result,
        jobs[2].result);
    demo_finish(&demo);
    return 0;
}
