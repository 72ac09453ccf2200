/* wrong: one thread per item, all at once: no bound on how many run together */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "exercises.h"

struct job {
    int item;
    bounded_work *work;
    void *arg;
};

static void *run_one(void *arg)
{
    struct job *j = arg;

    j->work(j->item, j->arg);
    return NULL;
}

int run_bounded(int nitems, int nthreads, bounded_work *work, void *arg)
{
    pthread_t *threads = malloc((size_t)(nitems > 0 ? nitems : 1) * sizeof *threads);
    struct job *jobs = malloc((size_t)(nitems > 0 ? nitems : 1) * sizeof *jobs);
    int err = 0, started = 0;

    (void)nthreads;
    if (threads == NULL || jobs == NULL) {
        free(threads);
        free(jobs);
        return ENOMEM;
    }
    for (; started < nitems; started++) {
        jobs[started] = (struct job){started, work, arg};
        if ((err = pthread_create(&threads[started], NULL, run_one, &jobs[started])) != 0)
            break;
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    free(jobs);
    return err;
}
