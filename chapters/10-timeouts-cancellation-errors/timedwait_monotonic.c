/*
 * timedwait_monotonic.c: pthread_cond_timedwait with its deadline on CLOCK_MONOTONIC.
 *
 * Chapter 10. Python: `with cond: ok = cond.wait_for(lambda: ready, timeout=0.5)` (a Condition's
 * timeout is measured on time.monotonic()). In C the deadline is an absolute time, and by default
 * it is read on CLOCK_REALTIME, the wall clock: set the clock back an hour (or let NTP step it)
 * and the wait lasts an hour longer. pthread_condattr_setclock(CLOCK_MONOTONIC) makes the
 * condition measure the clock that only moves forward. The first wait times out (nobody answers);
 * the second gets an answer in time. Compare with wait_for_loop.c and the exercise deadline_wait.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define LIMIT 0.5        /* how long main waits for an answer */
#define ANSWER_AFTER 0.2 /* the second time, a helper answers after this long */

static struct demo demo;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered; /* on CLOCK_MONOTONIC: made in main */
static bool ready;              /* the predicate, guarded by mutex */

static const char *clock_name(clockid_t id)
{
    return id == CLOCK_MONOTONIC  ? "CLOCK_MONOTONIC"
           : id == CLOCK_REALTIME ? "CLOCK_REALTIME"
                                  : "?";
}

/* Wait until `ready` or `seconds` have passed; true if ready. */
static bool wait_ready(double seconds)
{
    struct timespec deadline;
    int64_t ns = seconds_to_ns(seconds);
    int err = 0;
    bool result;

    if (clock_gettime(CLOCK_MONOTONIC, &deadline) == -1) /* the clock the condition measures */
        die_errno("clock_gettime");
    deadline.tv_sec += (time_t)(ns / NSEC_PER_SEC);
    deadline.tv_nsec += (long)(ns % NSEC_PER_SEC);
    if (deadline.tv_nsec >= NSEC_PER_SEC) {
        deadline.tv_sec++;
        deadline.tv_nsec -= NSEC_PER_SEC;
    }
    PCHECK(pthread_mutex_lock(&mutex));
    while (!ready && err != ETIMEDOUT) { /* a wake-up may be spurious: the predicate decides */
        err = pthread_cond_timedwait(&answered, &mutex, &deadline);
        if (err != 0 && err != ETIMEDOUT)
            die_errnum(err, "pthread_cond_timedwait");
    }
    result = ready;
    PCHECK(pthread_mutex_unlock(&mutex));
    return result;
}

static void *helper(void *arg)
{
    (void)arg;
    if (sleep_seconds(demo_seconds(&demo, ANSWER_AFTER)) == -1)
        die_errno("sleep_seconds");
    say("helper", "helper: answers");
    PCHECK(pthread_mutex_lock(&mutex));
    ready = true;
    PCHECK(pthread_cond_signal(&answered));
    PCHECK(pthread_mutex_unlock(&mutex));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_condattr_t attr;
    clockid_t by_default, ours;
    pthread_t thread;
    double t0, waited;
    bool ok;

    demo_init(&demo, argc, argv,
              "A bounded wait on a condition variable whose deadline is measured on the\n"
              "monotonic clock: it times out after the full time, or returns when answered.");
    PCHECK(pthread_condattr_init(&attr));
    PCHECK(pthread_condattr_getclock(&attr, &by_default));
    PCHECK(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    PCHECK(pthread_condattr_getclock(&attr, &ours));
    PCHECK(pthread_cond_init(&answered, &attr));
    PCHECK(pthread_condattr_destroy(&attr));
    say("main", "main: a condition measures %s by default; ours measures %s",
        clock_name(by_default), clock_name(ours));

    t0 = clock_now();
    ok = wait_ready(demo_seconds(&demo, LIMIT));
    waited = clock_now() - t0;
    say("main", "main: nobody answered: %s, and not before the deadline: %s",
        ok ? "answered?" : "ETIMEDOUT", waited >= demo_seconds(&demo, LIMIT) ? "yes" : "NO");

    PCHECK(pthread_create(&thread, NULL, helper, NULL));
    ok = wait_ready(demo_seconds(&demo, LIMIT));
    say("main", "main: %s", ok ? "answered in time" : "timed out?");
    PCHECK(pthread_join(thread, NULL));
    PCHECK(pthread_cond_destroy(&answered));
    demo_finish(&demo);
    return 0;
}
