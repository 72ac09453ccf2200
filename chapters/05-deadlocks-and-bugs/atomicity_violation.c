/*
 * atomicity_violation.c: BUG DEMONSTRATION: check, then use: another thread changes it in between.
 *
 * Chapter 5. OSTEP's example of an atomicity violation, found in MySQL:
 *     Thread 1::                                   Thread 2::
 *     if (thd->proc_info) {                        thd->proc_info = NULL;
 *         fputs(thd->proc_info, ...);
 *     }
 * Thread 1 assumes the check and the use happen as one step, and nothing makes them. Here a
 * handshake holds the window between them open until thread 2 has made its move, so the bad
 * interleaving happens on every run instead of once in a million. Thread 1 then finds NULL where
 * it checked a string; the real code passes it to fputs() and crashes (this one prints what fputs
 * would get). Not built under sanitizers. The fix, with the very same handshake:
 * atomicity_fixed.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

struct thd {
    const char *proc_info;
};

/* How far the two threads are, guarded by `steps`: thread 1 waits for thread 2's move. */
enum step { STARTED, CHECKED, MOVED };

static struct demo demo;
static struct thd thd = {"running"};
static pthread_mutex_t steps = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stepped = PTHREAD_COND_INITIALIZER;
static enum step step = STARTED;

static void step_to(enum step to)
{
    PCHECK(pthread_mutex_lock(&steps));
    step = to;
    PCHECK(pthread_cond_broadcast(&stepped));
    PCHECK(pthread_mutex_unlock(&steps));
}

static void wait_for_step(enum step at)
{
    PCHECK(pthread_mutex_lock(&steps));
    while (step < at)
        PCHECK(pthread_cond_wait(&stepped, &steps));
    PCHECK(pthread_mutex_unlock(&steps));
}

static void *thread1(void *arg)
{
    (void)arg;
    if (thd.proc_info != NULL) { /* the check */
        say("thread 1", "thread 1: proc_info is set");
        step_to(CHECKED);
        wait_for_step(MOVED);      /* the window, held open until thread 2 has moved */
        if (thd.proc_info == NULL) /* the use: fputs(thd.proc_info, ...) */
            say("thread 1", "thread 1: fputs(proc_info) gets NULL, and would crash");
        else
            say("thread 1", "thread 1: fputs(proc_info) prints \"%s\"", thd.proc_info);
    }
    return NULL;
}

static void *thread2(void *arg)
{
    (void)arg;
    wait_for_step(CHECKED);
    thd.proc_info = NULL;
    say("thread 2", "thread 2: proc_info = NULL");
    step_to(MOVED);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[2];

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: OSTEP's atomicity violation, forced: thread 2 sets proc_info\n"
              "to NULL between thread 1's check and thread 1's use.");
    PCHECK(pthread_create(&threads[0], NULL, thread1, NULL));
    PCHECK(pthread_create(&threads[1], NULL, thread2, NULL));
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_join(threads[i], NULL));
    demo_finish(&demo);
    return 0;
}
