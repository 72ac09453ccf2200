/* wrong: one static struct for every thread; the loop rewrites its index before they read. */
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
    struct numbered job = *(const struct numbered *)arg;

    job.work(job.index, job.shared);
    return NULL;
}

int start_numbered(pthread_t threads[], size_t n, numbered_fn *work, void *shared)
{
    static struct numbered arg; /* outlives the call; but there is only one */

    for (size_t k = 0; k < n; k++) {
        int err;

        arg = (struct numbered){.work = work, .shared = shared, .index = k};
        if ((err = create_thread(&threads[k], run_numbered, &arg)) != 0) {
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
