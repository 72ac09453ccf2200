/* wrong: no tasks: every time is worked out in advance, and one timer waits out the longest job. */
/*
 * gather_three-one-timer.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. The clock moves by the longest wait and every result holds the right numbers at the
 * end, but nothing waited for each job: the results were written before the loop ran at all.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

static void nothing(struct loop *loop, void *arg)
{
    (void)loop;
    (void)arg;
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct loop_timer timer = {0};
    double now = loop_time(loop), longest = 0;

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        results[i] = (struct job_result){
            .name = jobs[i].name, .started = now, .finished = now + jobs[i].seconds};
        if (jobs[i].seconds > longest)
            longest = jobs[i].seconds;
    }
    if (loop_call_later(loop, &timer, longest, nothing, NULL) == -1)
        return -1;
    return loop_run(loop);
}
