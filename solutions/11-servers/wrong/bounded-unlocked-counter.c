/* wrong (caught under SANITIZE=thread): the workers take the next item without a lock: two can
 * take the same item, or skip one (a data race on `next`) */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "exercises.h"

struct pool {
    int next, nitems;
    bounded_work *work;
    void *arg;
};

static void *worker(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        int item = p->next;

        if (item >= p->nitems)
            return NULL;
        p->next = item + 1;
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
    for (; started < n; started++)
        if ((err = pthread_create(&threads[started], NULL, worker, &p)) != 0)
            break;
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    return err;
}
