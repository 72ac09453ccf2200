/*
 * barrier_threads.c: a pthread barrier: nobody starts phase 2 until all 3 have done phase 1.
 *
 * Chapter 4. threading.Barrier(3) in C is pthread_barrier_t:
 *     barrier = threading.Barrier(3)
 *     def worker(n): time.sleep(n); print(f"worker {n}: phase 1 done"); barrier.wait(); ...
 * Phase 1 takes worker n n seconds; each then blocks in pthread_barrier_wait until the third
 * arrives, at 3 s, and all three go on together. pthread_barrier_wait returns
 * PTHREAD_BARRIER_SERIAL_THREAD to exactly one of them (which one is not said), so that one thread
 * can do what must be done once; here it says so. macOS has no pthread barriers: build one from a
 * mutex and a condition variable, as barrier_loop.c builds one from an event. Compare with it.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WORKERS 3

static struct demo demo;
static pthread_barrier_t barrier;

/* A probe: how many workers finished phase 1, and whether one began phase 2 before all had. */
static pthread_mutex_t probe = PTHREAD_MUTEX_INITIALIZER;
static int finished_phase_1;
static bool too_early;

struct worker {
    pthread_t thread;
    int number;
    char name[16];
};

static void *work(void *arg)
{
    struct worker *w = arg;
    int rc;

    if (sleep_seconds(demo_seconds(&demo, w->number)) == -1) /* phase 1 */
        die_errno("nanosleep");
    say(w->name, "%s: phase 1 done", w->name);
    PCHECK(pthread_mutex_lock(&probe));
    finished_phase_1++;
    PCHECK(pthread_mutex_unlock(&probe));

    rc = pthread_barrier_wait(&barrier);
    if (rc == PTHREAD_BARRIER_SERIAL_THREAD)
        say(w->name, "%s: all %d are here (PTHREAD_BARRIER_SERIAL_THREAD)", w->name, WORKERS);
    else if (rc != 0)
        die_errnum(rc, "pthread_barrier_wait");

    PCHECK(pthread_mutex_lock(&probe));
    if (finished_phase_1 < WORKERS)
        too_early = true;
    PCHECK(pthread_mutex_unlock(&probe));
    say(w->name, "%s: phase 2", w->name);
    return NULL;
}

int main(int argc, char **argv)
{
    struct worker workers[WORKERS];

    demo_init(&demo, argc, argv, "3 threads meet at a pthread barrier after 1, 2 and 3 s: 3 s.");
    PCHECK(pthread_barrier_init(&barrier, NULL, WORKERS));
    for (int i = 0; i < WORKERS; i++) {
        workers[i].number = i + 1;
        snprintf(workers[i].name, sizeof workers[i].name, "worker %d", i + 1);
        PCHECK(pthread_create(&workers[i].thread, NULL, work, &workers[i]));
    }
    for (int i = 0; i < WORKERS; i++)
        PCHECK(pthread_join(workers[i].thread, NULL));
    PCHECK(pthread_barrier_destroy(&barrier));
    say("main", too_early ? "BUG: a worker began phase 2 before all had finished phase 1"
                          : "no worker began phase 2 before all had finished phase 1");
    demo_finish(&demo);
    return 0;
}
