/*
 * order_violation.c: BUG DEMONSTRATION: a new thread uses what its creator has not set up yet.
 *
 * Chapter 5. OSTEP's example of an order violation, found in Mozilla:
 *     Thread 1::                                    Thread 2::
 *     void init() {                                 void mMain(...) {
 *         mThread = PR_CreateThread(mMain, ...);        mState = mThread->State;
 *     }                                             }
 * Thread 2 assumes mThread was set before it runs, and nothing makes it so: the new thread may
 * run before PR_CreateThread has even returned. Here init() waits until the new thread has made
 * its move before it sets mThread, so the bad order happens on every run. Thread 2 then finds
 * mThread NULL; the real code dereferences it and crashes (this one says so instead). Not built
 * under sanitizers. The fix, with the very same forced timing: order_fixed.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stddef.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

struct thread_info {
    pthread_t id;
    const char *state;
};

/* How far thread 2 is, guarded by `steps`: init() waits for thread 2's move. */
enum step { STARTED, MOVED };

static struct demo demo;
static struct thread_info info = {.state = "running"};
static struct thread_info *mThread; /* set by init(), once the thread exists */
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

static void *mMain(void *arg)
{
    (void)arg;
    if (mThread == NULL) /* mState = mThread->State; */
        say("thread 2", "thread 2: mThread is NULL: mThread->State would crash");
    else
        say("thread 2", "thread 2: mState = %s", mThread->state);
    step_to(MOVED);
    return NULL;
}

static void init(void)
{
    say("thread 1", "thread 1: creating thread 2");
    PCHECK(pthread_create(&info.id, NULL, mMain, NULL));
    wait_for_step(MOVED); /* the window, held open until thread 2 has moved */
    mThread = &info;
    say("thread 1", "thread 1: mThread is set");
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: OSTEP's order violation, forced: the new thread reads mThread\n"
              "before its creator has set it.");
    init();
    PCHECK(pthread_join(info.id, NULL));
    demo_finish(&demo);
    return 0;
}
