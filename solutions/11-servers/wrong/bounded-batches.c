/* wrong: starts N threads for N items, joins them all, then the next N: a slow item stalls the
 * rest of its batch's workers, and each batch makes new threads */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "exercises.h"

#define MAX_BATCH 64

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
    pthread_t threads[MAX_BATCH];
    struct job jobs[MAX_BATCH];
    int batch = nthreads < MAX_BATCH ? nthreads : MAX_BATCH;

    for (int first = 0; first < nitems; first += batch) {
        int n = nitems - first < batch ? nitems - first : batch, err;

        for (int i = 0; i < n; i++) {
            jobs[i] = (struct job){first + i, work, arg};
            if ((err = pthread_create(&threads[i], NULL, run_one, &jobs[i])) != 0)
                return err;
        }
        for (int i = 0; i < n; i++)
            pthread_join(threads[i], NULL);
    }
    return 0;
}
