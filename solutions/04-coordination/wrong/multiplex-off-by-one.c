/* wrong: waits only while more than `limit` are inside, so one thread too many gets in. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

int mp_init(struct multiplex *m, unsigned limit)
{
    int err;

    if (limit == 0)
        return EINVAL;
    m->limit = limit;
    m->inside = 0;
    if ((err = pthread_mutex_init(&m->lock, NULL)) != 0)
        return err;
    if ((err = pthread_cond_init(&m->room, NULL)) != 0) {
        pthread_mutex_destroy(&m->lock);
        return err;
    }
    return 0;
}

void mp_destroy(struct multiplex *m)
{
    pthread_cond_destroy(&m->room);
    pthread_mutex_destroy(&m->lock);
}

int mp_enter(struct multiplex *m)
{
    int err = pthread_mutex_lock(&m->lock);

    if (err != 0)
        return err;
    while (m->inside > m->limit && err == 0)
        err = pthread_cond_wait(&m->room, &m->lock);
    if (err == 0)
        m->inside++;
    pthread_mutex_unlock(&m->lock);
    return err;
}

int mp_leave(struct multiplex *m)
{
    int err = pthread_mutex_lock(&m->lock);

    if (err != 0)
        return err;
    if (m->inside == 0) {
        err = EPERM;
    } else {
        m->inside--;
        err = pthread_cond_signal(&m->room);
    }
    pthread_mutex_unlock(&m->lock);
    return err;
}
