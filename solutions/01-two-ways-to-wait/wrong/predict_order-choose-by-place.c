/* wrong: choose_sleeps indexes seconds[] by place, not by task: seconds[k] for finish_order[k]. */
/*
 * predict_order-choose-by-place.c: a plausible wrong predict_order.c, which the tests must catch.
 *
 * Chapter 1. finish_order[k] is the task that finishes k-th, and seconds[] is indexed by task.
 * Right when the order is 0, 1, 2 or reversed (where the two readings agree); the rotation
 * {1, 2, 0} tells them apart.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    struct order_line *finished = lines + n;

    for (size_t i = 0; i < n; i++)
        lines[i] = (struct order_line){.task = i, .kind = LINE_STARTED};
    for (size_t i = 0; i < n; i++) {
        int64_t wait = seconds_to_ns(seconds[i]);
        size_t j = i;

        while (j > 0 && seconds_to_ns(seconds[finished[j - 1].task]) > wait) {
            finished[j] = finished[j - 1];
            j--;
        }
        finished[j] = (struct order_line){.task = i, .kind = LINE_FINISHED};
    }
}

void choose_sleeps(const size_t finish_order[], size_t n, double seconds[])
{
    for (size_t k = 0; k < n; k++)
        seconds[k] = (double)finish_order[k] + 1; /* task finish_order[k]... in place k? */
}
