/*
 * order_fixed.c: the new thread waits on a condition variable until its creator has set things up.
 *
 * Chapter 5. OSTEP's fix of order_violation.c: a flag, a lock and a condition variable.
 *     init():                                    mMain():
 *         mThread = PR_CreateThread(mMain, ...);     pthread_mutex_lock(&mtLock);
 *         pthread_mutex_lock(&mtLock);               while (mtInit == 0)
 *         mtInit = 1;                                    pthread_cond_wait(&mtCond, &mtLock);
 *         pthread_cond_signal(&mtCond);              pthread_mutex_unlock(&mtLock);
 *         pthread_mutex_unlock(&mtLock);             mState = mThread->State;
 * The same forced timing as the bug: init() waits until thread 2 has made its move before it
 * sets mThread; this time thread 2's move is to start waiting. The order is now a rule, not luck.
 * Python: threading.Event (set() in init, wait() in the thread), or a Condition.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
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
static struct thread_info *mThread; /* set by init(), once the thread exists; under mtLock */
static pthread_mutex_t mtLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mtCond = PTHREAD_COND_INITIALIZER;
static bool mtInit; /* the fix: true once mThread is set */
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
    const char *state;

    (void)arg;
    PCHECK(pthread_mutex_lock(&mtLock));
    while (!mtInit) {
        say("thread 2", "thread 2: mThread is not set yet: waiting");
        step_to(MOVED);
        PCHECK(pthread_cond_wait(&mtCond, &mtLock));
    }
    PCHECK(pthread_mutex_unlock(&mtLock));
    state = mThread->state; /* mState = mThread->State; */
    say("thread 2", "thread 2: mState = %s", state);
    step_to(MOVED);
    return NULL;
}

static void init(void)
{
    say("thread 1", "thread 1: creating thread 2");
    PCHECK(pthread_create(&info.id, NULL, mMain, NULL));
    wait_for_step(MOVED); /* the window, held open until thread 2 has moved */
    PCHECK(pthread_mutex_lock(&mtLock));
    mThread = &info;
    mtInit = true;
    say("thread 1", "thread 1: mThread is set"); /* under mtLock: before thread 2 can go on */
    PCHECK(pthread_cond_signal(&mtCond));
    PCHECK(pthread_mutex_unlock(&mtLock));
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv,
              "OSTEP's order violation fixed: the new thread waits on a condition variable until\n"
              "its creator has set mThread; the same forced timing.");
    init();
    PCHECK(pthread_join(info.id, NULL));
    demo_finish(&demo);
    return 0;
}
