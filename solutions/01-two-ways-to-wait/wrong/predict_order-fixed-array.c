/* wrong: the finishing order is sorted in a fixed array of 1000: bigger gathers overflow it. */
/*
 * predict_order-fixed-array.c: a plausible wrong predict_order.c, which the tests must catch.
 *
 * Chapter 1. A thousand tasks is every example this chapter shows, not a limit of the loop:
 * n comes from the caller, and the lines[] it gives are the room there is.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

#define MAX_TASKS 1000 /* plenty */

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    size_t order[MAX_TASKS];

    for (size_t i = 0; i < n; i++) {
        int64_t wait = seconds_to_ns(seconds[i]);
        size_t j = i;

        lines[i] = (struct order_line){.task = i, .kind = LINE_STARTED};
        while (j > 0 && seconds_to_ns(seconds[order[j - 1]]) > wait) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t k = 0; k < n; k++)
        lines[n + k] = (struct order_line){.task = order[k], .kind = LINE_FINISHED};
}

void choose_sleeps(const size_t finish_order[], size_t n, double seconds[])
{
    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)k * 1e-3;
}
