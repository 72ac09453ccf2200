/*
 * results_join.c: three threads compute squares; each result comes back through pthread_join.
 *
 * Chapter 2. square(n) waits n seconds, then returns n * n. A thread function returns a void *,
 * and pthread_join hands that pointer to the thread that joins: here a long on the heap, which
 * the joiner owns and frees. main joins in argument order, so the results come out in argument
 * order (9 1 4) although the threads finish 1, 2, 3. Compare with results_struct.c (the result
 * written into the caller's struct) and results_loop.c (asyncio.gather's return value).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define JOBS 3

static struct demo demo;

struct square_job {
    const char *name;
    long n;
};

static void *square(void *arg)
{
    const struct square_job *job = arg;
    long *result;

    say(job->name, "square(%ld) started", job->n);
    if (sleep_seconds(demo_seconds(&demo, (double)job->n)) == -1)
        die_errno("nanosleep");
    say(job->name, "square(%ld) done", job->n);
    if ((result = malloc(sizeof *result)) == NULL)
        die_errno("malloc");
    *result = job->n * job->n;
    return result; /* to whoever joins this thread; it frees it */
}

int main(int argc, char **argv)
{
    const struct square_job jobs[JOBS] = {{"square(3)", 3}, {"square(1)", 1}, {"square(2)", 2}};
    pthread_t threads[JOBS];
    long results[JOBS];

    demo_init(&demo, argc, argv, "square(3), square(1), square(2) on threads; results by join.");
    say("main", "main: starting square(3), square(1), square(2) on three threads");
    for (int i = 0; i < JOBS; i++)
        PCHECK(pthread_create(&threads[i], NULL, square, (void *)&jobs[i]));
    for (int i = 0; i < JOBS; i++) {
        void *returned;

        /* Waits for this thread, whatever the others do; those already ended wait for us. */
        PCHECK(pthread_join(threads[i], &returned));
        results[i] = *(long *)returned;
        free(returned);
    }
    say("main", "results in argument order: %ld %ld %ld", results[0], results[1], results[2]);
    demo_finish(&demo);
    return 0;
}
