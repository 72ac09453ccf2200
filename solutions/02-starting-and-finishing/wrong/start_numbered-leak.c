/* wrong (caught under SANITIZE=address,undefined): thread arguments are never freed. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

struct numbered {
    numbered_fn *work;
    void *shared;
    size_t index;
};

static void *run_numbered(void *arg)
{
    const struct numbered *job = arg; /* nobody frees it */

    job->work(job->index, job->shared);
    return NULL;
}

int start_numbered(pthread_t threads[], size_t n, numbered_fn *work, void *shared)
{
    for (size_t k = 0; k < n; k++) {
        struct numbered *arg = malloc(sizeof *arg);
        int err = ENOMEM;

        if (arg != NULL) {
            *arg = (struct numbered){.work = work, .shared = shared, .index = k};
            if ((err = create_thread(&threads[k], run_numbered, arg)) != 0)
                free(arg); /* no thread got it: still ours */
        }
        if (err != 0) {
            for (size_t j = 0; j < k; j++) {
                int rc = pthread_join(threads[j], NULL);

                assert(rc == 0); /* fails only for a thread that is not ours to join: a bug */
                (void)rc;
            }
            errno = err;
            return -1;
        }
    }
    return 0;
}
