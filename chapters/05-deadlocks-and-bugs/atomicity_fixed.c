/*
 * atomicity_fixed.c: the check and the use under one lock: thread 2 cannot get in between.
 *
 * Chapter 5. OSTEP's fix of atomicity_violation.c: a lock around the check and the use in
 * thread 1, and around the assignment in thread 2:
 *     pthread_mutex_lock(&proc_info_lock);          pthread_mutex_lock(&proc_info_lock);
 *     if (thd->proc_info) fputs(thd->proc_info);    thd->proc_info = NULL;
 *     pthread_mutex_unlock(&proc_info_lock);        pthread_mutex_unlock(&proc_info_lock);
 * The same handshake holds thread 1's window open until thread 2 makes its move; this time its
 * move is to find the lock taken and wait (thread 2 tries it first, only to be able to say so).
 * Thread 1 uses what it checked, then thread 2 sets NULL. Python: `with proc_info_lock:`.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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
static pthread_mutex_t proc_info_lock = PTHREAD_MUTEX_INITIALIZER; /* the fix */
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
    PCHECK(pthread_mutex_lock(&proc_info_lock));
    if (thd.proc_info != NULL) { /* the check */
        say("thread 1", "thread 1: proc_info is set");
        step_to(CHECKED);
        wait_for_step(MOVED);      /* the window, held open until thread 2 has moved */
        if (thd.proc_info == NULL) /* the use: fputs(thd.proc_info, ...) */
            say("thread 1", "thread 1: fputs(proc_info) gets NULL, and would crash");
        else
            say("thread 1", "thread 1: fputs(proc_info) prints \"%s\"", thd.proc_info);
    }
    PCHECK(pthread_mutex_unlock(&proc_info_lock));
    return NULL;
}

static void *thread2(void *arg)
{
    int err;

    (void)arg;
    wait_for_step(CHECKED);
    if ((err = pthread_mutex_trylock(&proc_info_lock)) == EBUSY) {
        say("thread 2", "thread 2: proc_info_lock is taken: waiting");
        step_to(MOVED);
        err = pthread_mutex_lock(&proc_info_lock);
    }
    if (err != 0)
        die_errnum(err, "locking proc_info_lock");
    thd.proc_info = NULL;
    say("thread 2", "thread 2: proc_info = NULL");
    PCHECK(pthread_mutex_unlock(&proc_info_lock));
    step_to(MOVED);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[2];

    demo_init(&demo, argc, argv,
              "OSTEP's atomicity violation fixed: a lock around thread 1's check and use, and\n"
              "around thread 2's assignment; the same forced timing, and thread 2 waits.");
    PCHECK(pthread_create(&threads[0], NULL, thread1, NULL));
    PCHECK(pthread_create(&threads[1], NULL, thread2, NULL));
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_join(threads[i], NULL));
    demo_finish(&demo);
    return 0;
}
