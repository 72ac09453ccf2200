/* wrong (caught under SANITIZE=address,undefined): the scratch array is never freed. */
/*
 * predict_order-leak.c: a plausible wrong predict_order.c, which the tests must catch.
 *
 * Chapter 1. Every prediction is right; but each call loses the memory of its scratch array.
 * Only LeakSanitizer sees it (make check SANITIZE=address,undefined).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "clock.h"
#include "exercises.h"

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    size_t *order = malloc((n + 1) * sizeof *order);

    if (order == NULL)
        abort();
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
