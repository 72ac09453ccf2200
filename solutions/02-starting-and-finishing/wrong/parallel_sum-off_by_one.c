/* wrong: chunks of n / count numbers: the n % count numbers at the end are never added. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

void *sum_thread(void *arg)
{
    const struct sum_job *job = arg;
    long long *sum = malloc(sizeof *sum);

    if (sum == NULL)
        return NULL;
    *sum = 0;
    for (size_t i = 0; i < job->n; i++)
        *sum += job->a[i];
    return sum; /* the joiner's, to free */
}

/* Join threads[0 .. count-1], adding their sums to *total. Returns 0, or ENOMEM if a thread
 * could not allocate its result. */
static int join_all(const pthread_t threads[], size_t count, long long *total)
{
    int err = 0;

    for (size_t i = 0; i < count; i++) {
        void *result;
        int rc = pthread_join(threads[i], &result);

        assert(rc == 0); /* fails only for a thread id that is not ours to join: a bug here */
        (void)rc;
        if (result == NULL) {
            err = ENOMEM;
            continue;
        }
        *total += *(const long long *)result;
        free(result);
    }
    return err;
}

int parallel_sum(const long a[], size_t n, size_t nthreads, long long *sum)
{
    size_t count = nthreads < n ? nthreads : n; /* no thread without a number to add */
    size_t base, extra, from = 0, started = 0;
    pthread_t *threads;
    struct sum_job *jobs;
    long long total = 0;
    int err = 0, join_err;

    if (nthreads == 0) {
        errno = EINVAL;
        return -1;
    }
    if (count == 0) {
        *sum = 0;
        return 0;
    }
    threads = malloc(count * sizeof *threads);
    jobs = malloc(count * sizeof *jobs); /* one argument per thread, alive until the joins */
    if (threads == NULL || jobs == NULL) {
        free(threads);
        free(jobs);
        errno = ENOMEM;
        return -1;
    }
    /* count chunks: the first `extra` of them one number longer, so that all n are covered. */
    base = n / count;
    extra = n % count;
    (void)extra;
    for (; started < count; started++) {
        size_t len = base; /* n / count each */

        jobs[started] = (struct sum_job){.a = a + from, .n = len};
        from += len;
        if ((err = create_thread(&threads[started], sum_thread, &jobs[started])) != 0)
            break;
    }
    join_err = join_all(threads, started, &total); /* only now: they all run meanwhile */
    free(threads);
    free(jobs);
    if (err == 0)
        err = join_err;
    if (err != 0) {
        errno = err;
        return -1;
    }
    *sum = total;
    return 0;
}
