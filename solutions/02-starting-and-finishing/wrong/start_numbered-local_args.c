/* wrong: one argument per thread, but in an array local to start_numbered, gone once it returns. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>

#include "exercises.h"

struct numbered {
    numbered_fn *work;
    void *shared;
    size_t index;
};

static void *run_numbered(void *arg)
{
    const struct numbered *job = arg;

    job->work(job->index, job->shared);
    return NULL;
}

#define MAX_THREADS 1024

int start_numbered(pthread_t threads[], size_t n, numbered_fn *work, void *shared)
{
    struct numbered args[MAX_THREADS]; /* one each, but in this function's frame */

    if (n > MAX_THREADS) {
        errno = E2BIG;
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        int err;

        args[k] = (struct numbered){.work = work, .shared = shared, .index = k};
        if ((err = create_thread(&threads[k], run_numbered, &args[k])) != 0) {
            for (size_t j = 0; j < k; j++) {
                int rc = pthread_join(threads[j], NULL);

                assert(rc == 0);
                (void)rc;
            }
            errno = err;
            return -1;
        }
    }
    return 0;
}
