/* wrong: the condition measures CLOCK_MONOTONIC, but the deadline is read from CLOCK_REALTIME. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "clock.h"
#include "errors.h"
#include "exercises.h"

int gate_init(struct gate *g)
{
    pthread_condattr_t attr;
    int err;

    g->open = false;
    if ((err = pthread_condattr_init(&attr)) != 0)
        return err;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(&g->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (err != 0)
        return err;
    if ((err = pthread_mutex_init(&g->mutex, NULL)) != 0)
        pthread_cond_destroy(&g->cond);
    return err;
}

void gate_open(struct gate *g)
{
    PCHECK(pthread_mutex_lock(&g->mutex));
    g->open = true;
    PCHECK(pthread_cond_broadcast(&g->cond));
    PCHECK(pthread_mutex_unlock(&g->mutex));
}

/* Now plus `seconds` on CLOCK_MONOTONIC, as the struct timespec pthread_cond_timedwait takes. */
static struct timespec deadline_after(double seconds)
{
    struct timespec ts;
    int64_t ns = seconds_to_ns(seconds);

    if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
        die_errno("clock_gettime");
    ts.tv_sec += (time_t)(ns / NSEC_PER_SEC);
    ts.tv_nsec += (long)(ns % NSEC_PER_SEC);
    if (ts.tv_nsec >= NSEC_PER_SEC) {
        ts.tv_sec++;
        ts.tv_nsec -= NSEC_PER_SEC;
    }
    return ts;
}

int gate_wait(struct gate *g, double seconds)
{
    struct timespec deadline = deadline_after(seconds);
    int err = 0;

    PCHECK(pthread_mutex_lock(&g->mutex));
    while (!g->open && err != ETIMEDOUT) {
        err = pthread_cond_timedwait(&g->cond, &g->mutex, &deadline);
        if (err != 0 && err != ETIMEDOUT)
            die_errnum(err, "pthread_cond_timedwait");
    }
    /* Opened just as the time ran out still counts as open: the predicate decides, not the wait. */
    err = g->open ? 0 : ETIMEDOUT;
    PCHECK(pthread_mutex_unlock(&g->mutex));
    return err;
}

void gate_destroy(struct gate *g)
{
    PCHECK(pthread_cond_destroy(&g->cond));
    PCHECK(pthread_mutex_destroy(&g->mutex));
}
