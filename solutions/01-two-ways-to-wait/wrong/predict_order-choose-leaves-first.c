/* wrong: choose_sleeps leaves the first task's wait as it is, taking it for 0 already. */
/*
 * predict_order-choose-leaves-first.c: a plausible wrong predict_order.c, which the tests must
 * catch.
 *
 * Chapter 1. The task that finishes first would wait 0 s, and a new array holds zeros, surely;
 * but seconds[] is the caller's, and holds whatever the caller left there.
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
    for (size_t k = 1; k < n; k++) /* place 0 waits 0 s: nothing to write */
        seconds[finish_order[k]] = (double)k;
}
