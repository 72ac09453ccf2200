/* wrong: rounds each wait down to whole nanoseconds; the loop rounds to nearest. */
/*
 * predict_order-truncates-ns.c: a plausible wrong predict_order.c, which the tests must catch.
 *
 * Chapter 1. (int64_t)(seconds * 1e9) makes 0.6 ns a sleep(0) and 2.6 ns the same wait as 2.4 ns;
 * the loop rounds to nearest (seconds_to_ns in clock.h): 1 ns, and 3 ns against 2 ns.
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
        int64_t wait = (int64_t)(seconds[i] * 1e9);
        size_t j = i;

        while (j > 0 && (int64_t)(seconds[finished[j - 1].task] * 1e9) > wait) {
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
