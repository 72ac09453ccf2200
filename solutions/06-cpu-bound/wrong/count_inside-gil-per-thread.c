/* wrong: each thread locks a mutex of its own, so the "GIL" keeps nobody out. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "errors.h"
#include "exercises.h"

void meter_enter(struct inside_meter *m)
{
    PCHECK(pthread_mutex_lock(&m->lock));
    m->now++;
    if (m->now > m->most)
        m->most = m->now;
    PCHECK(pthread_mutex_unlock(&m->lock));
}

void meter_leave(struct inside_meter *m)
{
    PCHECK(pthread_mutex_lock(&m->lock));
    m->now--;
    PCHECK(pthread_mutex_unlock(&m->lock));
}

int meter_most(struct inside_meter *m)
{
    int most;

    PCHECK(pthread_mutex_lock(&m->lock));
    most = m->most;
    PCHECK(pthread_mutex_unlock(&m->lock));
    return most;
}

/* What every thread shares: the meter, the GIL, the work. */
struct shared {
    struct inside_meter meter;
    pthread_mutex_t gil;
    bool use_gil;
    section_fn *work;
    void *arg;
};

struct worker {
    pthread_t thread;
    pthread_mutex_t gil; /* one per thread */
    size_t index;
    struct shared *shared;
};

static void *run_section(void *p)
{
    struct worker *w = p;
    struct shared *s = w->shared;

    if (s->use_gil)
        PCHECK(pthread_mutex_lock(&w->gil));
    meter_enter(&s->meter);
    s->work(w->index, s->arg);
    meter_leave(&s->meter);
    if (s->use_gil)
        PCHECK(pthread_mutex_unlock(&w->gil));
    return NULL;
}

int count_inside(size_t nthreads, bool gil, section_fn *work, void *arg, int *most)
{
    struct shared shared = {INSIDE_METER_INIT, PTHREAD_MUTEX_INITIALIZER, gil, work, arg};
    struct worker *workers;
    size_t started = 0;
    int err = 0;

    if (nthreads == 0)
        return EINVAL;
    if ((workers = calloc(nthreads, sizeof *workers)) == NULL)
        return ENOMEM;
    for (; started < nthreads; started++) {
        workers[started].index = started; /* each thread its own copy: never &started */
        workers[started].shared = &shared;
        workers[started].gil = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
        if ((err = pthread_create(&workers[started].thread, NULL, run_section,
                                  &workers[started])) != 0)
            break;
    }
    for (size_t k = 0; k < started; k++) {
        int rc = pthread_join(workers[k].thread, NULL);

        if (err == 0)
            err = rc;
    }
    free(workers);
    *most = meter_most(&shared.meter);
    return err;
}
