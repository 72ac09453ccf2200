/* wrong (caught under SANITIZE=thread): a failed start leaves the others unjoined. */
#define _POSIX_C_SOURCE 200809L
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
    struct numbered job = *(const struct numbered *)arg; /* a copy, so the original can go */

    free(arg); /* the thread owns its argument */
    job.work(job.index, job.shared);
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
            errno = err; /* the threads already started are left running, and never joined */
            return -1;
        }
    }
    return 0;
}
