/*
 * predict_order.c: solution: a gather's lines in order, predicted; waits chosen for an order.
 *
 * Chapter 1. The rules, seen in chapters/01-two-ways-to-wait/gather_loop.c: every task runs up to
 * its first wait before any wait ends, so all the "started" lines come first, in argument order
 * (even a sleep of 0 s is a wait). Then the tasks finish shortest wait first, the wait counted as
 * the loop counts it, in whole nanoseconds (seconds_to_ns, clock.h): a wait that rounds to 0 ns
 * is a sleep(0), and waits that round to the same nanosecond are equal. Equal waits end in the
 * order they began, which is argument order. Compare with hello_threads.c, where no rule says
 * which thread prints first.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

/* The longest wait choose_sleeps gives one task per place: 1 ms, a million times the loop's
 * resolution (1 ns), leaves room for 3.6 million tasks within CHOOSE_MAX_SECONDS. */
#define CHOOSE_STEP_SECONDS 1e-3

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    struct order_line *finished = lines + n;

    for (size_t i = 0; i < n; i++)
        lines[i] = (struct order_line){.task = i, .kind = LINE_STARTED};

    /*
     * Insertion sort by wait in nanoseconds: stable, so equal waits keep argument order, as the
     * loop does. Comparing the doubles instead would put 1.0000000002 s after 1 s, which the loop
     * does not. (Quadratic: fine for the thousands of tasks of the tests; a merge sort scales.)
     */
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
    /* The task that must finish k-th waits k ms: the later its place, the longer its wait, and
     * no two waits round to the same nanosecond. The first waits 0 s, a sleep(0): still first. */
    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)k * CHOOSE_STEP_SECONDS;
}
