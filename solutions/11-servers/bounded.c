/*
 * bounded.c: solution: N workers share one counter, the next item to take, under a mutex.
 *
 * Chapter 11. As in server_pool.c, the threads are started once and each goes back for more
 * work when it is done, so N run at once while items are left, and never more. The mutex makes
 * "read the counter, add one" a single step: without it two workers can take the same item
 * (chapter 3's counter_race.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "exercises.h"

struct pool {
    pthread_mutex_t lock;
    int next, nitems; /* the next item nobody took, and the end */
    bounded_work *work;
    void *arg;
};

static void *worker(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        int item;

        pthread_mutex_lock(&p->lock);
        item = p->next < p->nitems ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (item < 0)
            return NULL;
        p->work(item, p->arg);
    }
}

int run_bounded(int nitems, int nthreads, bounded_work *work, void *arg)
{
    struct pool p = {.next = 0, .nitems = nitems, .work = work, .arg = arg};
    int n = nthreads < nitems ? nthreads : nitems, started = 0, err = 0;
    pthread_t *threads = malloc((size_t)(n > 0 ? n : 1) * sizeof *threads);

    if (threads == NULL)
        return ENOMEM;
    pthread_mutex_init(&p.lock, NULL);
    for (; started < n; started++) {
        err = pthread_create(&threads[started], NULL, worker, &p);
        if (err != 0)
            break;
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&p.lock);
    free(threads);
    return err;
}
