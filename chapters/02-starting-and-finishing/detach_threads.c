/*
 * detach_threads.c: three detached threads: nobody joins them, so main waits for them another way.
 *
 * Chapter 2. pthread_detach(t) says "nobody will join this thread": when it ends, its stack and
 * its return value are freed at once, instead of being kept for a pthread_join (thread_memory.c
 * measures the difference). But main still may not return while they run: returning from main
 * ends the process (chapter 1's running_threads_nojoin.c). So each worker counts itself out under
 * a mutex, and main waits on a condition variable until the count reaches zero. Python's
 * daemon=True is not the same: a daemon thread is one Python does not wait for at exit.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WORKERS 3

static struct demo demo;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static int running = WORKERS; /* guarded by lock */

struct job {
    const char *name;
    double seconds;
};

static void *worker(void *arg)
{
    const struct job *job = arg;

    if (sleep_seconds(demo_seconds(&demo, job->seconds)) == -1)
        die_errno("nanosleep");
    say(job->name, "%s done", job->name);
    PCHECK(pthread_mutex_lock(&lock));
    if (--running == 0)
        PCHECK(pthread_cond_signal(&all_done));
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL; /* a detached thread's return value goes nowhere */
}

int main(int argc, char **argv)
{
    static const struct job jobs[WORKERS] = {{"worker 1", 1}, {"worker 2", 2}, {"worker 3", 3}};

    demo_init(&demo, argc, argv,
              "Three detached threads; main waits for them on a condition variable.");
    say("main", "main: starting %d workers, each detached at once: none can be joined", WORKERS);
    for (int i = 0; i < WORKERS; i++) {
        pthread_t thread;

        PCHECK(pthread_create(&thread, NULL, worker, (void *)&jobs[i]));
        PCHECK(pthread_detach(thread)); /* from here on, `thread` must not be joined */
    }
    PCHECK(pthread_mutex_lock(&lock));
    while (running > 0) /* a loop: a wait can end without a signal (a spurious wake-up) */
        PCHECK(pthread_cond_wait(&all_done, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
    say("main", "main: all %d workers have counted themselves out", WORKERS);
    demo_finish(&demo);
    return 0;
}
