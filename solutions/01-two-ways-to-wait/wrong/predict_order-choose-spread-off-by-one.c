/* wrong: choose_sleeps steps by CHOOSE_MAX_SECONDS / (n - 1): for one task, 0 / 0. */
/*
 * predict_order-choose-spread-off-by-one.c: a plausible wrong predict_order.c, which the tests must
 * catch.
 *
 * Chapter 1. Right for two tasks or more (the last waits exactly CHOOSE_MAX_SECONDS); with one
 * task the step is 3600 / 0, infinite, and its wait 0 * infinity, not a number.
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
    double step = CHOOSE_MAX_SECONDS / (double)(n - 1);

    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)k * step;
}
