/* wrong: bq_close signals one waiter of each kind instead of broadcasting: the rest sleep on. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

int bq_init(struct bounded_queue *q, void **slots, size_t capacity)
{
    int err;

    if (slots == NULL || capacity == 0)
        return EINVAL;
    q->slots = slots;
    q->capacity = capacity;
    q->head = q->count = 0;
    q->closed = false;
    if ((err = pthread_mutex_init(&q->lock, NULL)) != 0)
        return err;
    if ((err = pthread_cond_init(&q->not_full, NULL)) != 0) {
        pthread_mutex_destroy(&q->lock);
        return err;
    }
    if ((err = pthread_cond_init(&q->not_empty, NULL)) != 0) {
        pthread_cond_destroy(&q->not_full);
        pthread_mutex_destroy(&q->lock);
        return err;
    }
    return 0;
}

void bq_destroy(struct bounded_queue *q)
{
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    pthread_mutex_destroy(&q->lock);
}

int bq_put(struct bounded_queue *q, void *item)
{
    int err = pthread_mutex_lock(&q->lock);

    if (err != 0)
        return err;
    while (q->count == q->capacity && !q->closed && err == 0)
        err = pthread_cond_wait(&q->not_full, &q->lock);
    if (err == 0 && q->closed)
        err = EPIPE;
    if (err == 0) {
        q->slots[(q->head + q->count) % q->capacity] = item;
        q->count++;
        err = pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->lock);
    return err;
}

int bq_get(struct bounded_queue *q, void **item)
{
    int err = pthread_mutex_lock(&q->lock);

    if (err != 0)
        return err;
    while (q->count == 0 && !q->closed && err == 0)
        err = pthread_cond_wait(&q->not_empty, &q->lock);
    if (err == 0 && q->count == 0)
        err = EPIPE; /* closed, and nothing left */
    if (err == 0) {
        *item = q->slots[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        err = pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->lock);
    return err;
}

void bq_close(struct bounded_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    pthread_cond_signal(&q->not_full);
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}
