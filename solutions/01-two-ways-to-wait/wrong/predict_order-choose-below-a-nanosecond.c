/* wrong: choose_sleeps spaces the waits 0.1 ns apart: the loop sees them all equal. */
/*
 * predict_order-choose-below-a-nanosecond.c: a plausible wrong predict_order.c, which the tests
 * must catch.
 *
 * Chapter 1. Tiny steps keep any n within CHOOSE_MAX_SECONDS, but the loop counts whole
 * nanoseconds: waits that round to the same one are equal, and end in argument order.
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
        seconds[finish_order[k]] = (double)k * 1e-10;
}
