/* wrong: sorts the finishes by the waits as doubles; the loop counts whole nanoseconds. */
/*
 * predict_order-compares-doubles.c: a plausible wrong predict_order.c, which the tests must catch.
 *
 * Chapter 1. Right for every wait on a millisecond grid; but to the loop, 1.0000000002 s and 1 s
 * are the same wait (they end in argument order), and 0.4 ns is a sleep(0).
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
        size_t j = i;

        while (j > 0 && seconds[finished[j - 1].task] > seconds[i]) {
            finished[j] = finished[j - 1];
            j--;
        }
        finished[j] = (struct order_line){.task = i, .kind = LINE_FINISHED};
    }
}

void choose_sleeps(const size_t finish_order[], size_t n, double seconds[])
{
    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)k * 1e-3;
}
