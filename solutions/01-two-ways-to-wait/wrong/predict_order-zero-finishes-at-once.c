/* wrong: a task that sleeps 0 s is taken to finish before the next task starts. */
/*
 * predict_order-zero-finishes-at-once.c: a plausible wrong predict_order.c, which the tests must
 * catch.
 *
 * Chapter 1. asyncio.sleep(0) still hands the thread back to the loop: the other tasks start
 * first, and the 0 s task finishes on the loop's next round, before any longer wait.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        lines[k++] = (struct order_line){.task = i, .kind = LINE_STARTED};
        if (seconds_to_ns(seconds[i]) == 0) /* nothing to wait for */
            lines[k++] = (struct order_line){.task = i, .kind = LINE_FINISHED};
    }
    /* Then the others, shortest wait first, equal waits in argument order. */
    while (k < 2 * n) {
        size_t best = n;

        for (size_t i = 0; i < n; i++) {
            int done = seconds_to_ns(seconds[i]) == 0;

            for (size_t m = 0; m < k && !done; m++)
                done = lines[m].task == i && lines[m].kind == LINE_FINISHED;
            if (!done && (best == n || seconds_to_ns(seconds[i]) < seconds_to_ns(seconds[best])))
                best = i;
        }
        lines[k++] = (struct order_line){.task = best, .kind = LINE_FINISHED};
    }
}

void choose_sleeps(const size_t finish_order[], size_t n, double seconds[])
{
    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)k * 1e-3;
}
