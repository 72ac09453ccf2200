/*
 * deadline_wait.c: exercise: wait for a condition at most so long, on the monotonic clock.
 *
 * Chapter 10. As it stands, gate_init makes a condition variable on the default clock
 * (CLOCK_REALTIME), and gate_wait does not wait at all: a closed gate times out at once. Write the
 * bounded wait that exercises.h describes. Compare with
 * chapters/10-timeouts-cancellation-errors/timedwait_monotonic.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "clock.h"
#include "errors.h"
#include "exercises.h"

int gate_init(struct gate *g)
{
    int err;

    /* TODO: a pthread_condattr_t with pthread_condattr_setclock(&attr, CLOCK_MONOTONIC). */
    g->open = false;
    if ((err = pthread_cond_init(&g->cond, NULL)) != 0)
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

int gate_wait(struct gate *g, double seconds)
{
    int result;

    /*
     * TODO: work out the deadline once (now on CLOCK_MONOTONIC, plus `seconds`), then wait with
     * pthread_cond_timedwait until the gate is open or the deadline has passed, checking the
     * gate again after every wake-up.
     */
    (void)seconds;
    PCHECK(pthread_mutex_lock(&g->mutex));
    result = g->open ? 0 : ETIMEDOUT;
    PCHECK(pthread_mutex_unlock(&g->mutex));
    return result;
}

void gate_destroy(struct gate *g)
{
    PCHECK(pthread_cond_destroy(&g->cond));
    PCHECK(pthread_mutex_destroy(&g->mutex));
}
