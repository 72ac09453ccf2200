/*
 * predict_order.c: solution: a gather's lines in order, predicted; waits chosen for an order.
 *
 * Chapter 1. The rules, seen in chapters/01-two-ways-to-wait/gather_loop.c: every task runs up to
 * its first wait before any wait ends, so all the "started" lines come first, in argument order
 * (even a sleep of 0 s is a wait). Then tasks finish shortest wait first; equal waits end in the
 * order they began, which is argument order. Compare with hello_threads.c, where no rule says
 * which thread prints first.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    struct order_line *finished = lines + n;

    for (size_t i = 0; i < n; i++)
        lines[i] = (struct order_line){.task = i, .kind = LINE_STARTED};

    /* Insertion sort by wait: stable, so equal waits keep argument order, as the loop does. */
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
    /* The task that must finish k-th waits k + 1 seconds: the later, the longer. (Within
     * CHOOSE_MAX_SECONDS for up to 3600 tasks, far more than a gather of this scenario needs.) */
    for (size_t k = 0; k < n; k++)
        seconds[finish_order[k]] = (double)(k + 1);
}
