/*
 * stop_flag_threads.c: stopping a thread politely: an atomic stop flag it checks between steps.
 *
 * Chapter 10. Python:
 *     stop = threading.Event()
 *     def worker():
 *         while not stop.is_set():
 *             do_one_step()                 # never interrupted in the middle
 *         clean_up()
 *     stop.set(); t.join()
 * The thread stops at a point of its own choosing, between two steps, with nothing half done, and
 * cleans up on its ordinary path. The price: it notices the flag only after the step it is in (up
 * to STEP_TIME late). Compare with cancel_threads_bug.c and cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define STEP_TIME 0.2  /* one step of the worker's job */
#define STOP_AFTER 1.1 /* main raises the flag then: in the middle of a step */
#define BUFFER_SIZE 4096

static struct demo demo;
static atomic_bool stop; /* written by main, read by the worker: atomic, no lock needed */

static void *worker(void *arg)
{
    char *buffer = malloc(BUFFER_SIZE); /* what it holds while it works */
    int steps = 0;

    (void)arg;
    if (buffer == NULL)
        die_errno("malloc");
    say("worker", "worker: started, works in steps of %g s", STEP_TIME);
    while (!atomic_load(&stop)) {
        if (sleep_seconds(demo_seconds(&demo, STEP_TIME)) == -1) /* one whole step */
            die_errno("sleep_seconds");
        steps++;
    }
    free(buffer); /* the ordinary path cleans up: nothing was cut off halfway */
    say("worker", "worker: saw the stop flag between two steps, freed its buffer");
    say("worker", "worker: steps done: %d", steps);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t thread;
    double asked;

    demo_init(&demo, argc, argv,
              "A thread that stops when asked: main sets an atomic flag, the worker checks it\n"
              "between steps, finishes the step it is in, cleans up and returns.");
    PCHECK(pthread_create(&thread, NULL, worker, NULL));
    if (sleep_seconds(demo_seconds(&demo, STOP_AFTER)) == -1)
        die_errno("sleep_seconds");
    say("main", "main: sets the stop flag");
    asked = clock_now();
    atomic_store(&stop, true);
    PCHECK(pthread_join(thread, NULL));
    say("main", "main: joined the worker");
    say("main", "main: the worker stopped %.2f s after being asked (a step is %.2f s)",
        clock_now() - asked, demo_seconds(&demo, STEP_TIME));
    demo_finish(&demo);
    return 0;
}
