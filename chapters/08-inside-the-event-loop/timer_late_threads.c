/*
 * timer_late_threads.c: a thread sleeping 0.2 s wakes on time while another computes for 1 s.
 *
 * Chapter 8. The same two jobs as timer_late_loop.c, on two threads: main computes for 1 s, and
 * a second thread sleeps 0.2 s, as a timer would. The kernel wakes the sleeper when its time
 * comes and gives it a core, taking one from the computation if it must (pinned to one core with
 * `taskset -c 0`, it still does): a thread's timer is not held up by somebody else's work.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define TIMER_SECONDS 0.2
#define COMPUTE_SECONDS 1.0

static struct demo demo;
static int64_t due_ns;

static void compute(double seconds)
{
    int64_t end = clock_now_ns() + seconds_to_ns(seconds);

    while (clock_now_ns() < end)
        ;
}

static void *timer(void *arg)
{
    (void)arg;
    if (sleep_seconds(demo_seconds(&demo, TIMER_SECONDS)) == -1)
        die_errno("sleep_seconds");
    say("timer", "timer: due at %g s, fired %.3f s late", demo_seconds(&demo, TIMER_SECONDS),
        (double)(clock_now_ns() - due_ns) / (double)NSEC_PER_SEC);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t sleeper;

    demo_init(&demo, argc, argv,
              "A thread sleeping 0.2 s wakes on time while main computes for 1 s: the kernel "
              "preempts.");
    due_ns = clock_now_ns() + seconds_to_ns(demo_seconds(&demo, TIMER_SECONDS));
    PCHECK(pthread_create(&sleeper, NULL, timer, NULL));
    say("main", "main: computing for %g s", demo_seconds(&demo, COMPUTE_SECONDS));
    compute(demo_seconds(&demo, COMPUTE_SECONDS));
    say("main", "main: done");
    PCHECK(pthread_join(sleeper, NULL));
    demo_finish(&demo);
    return 0;
}
