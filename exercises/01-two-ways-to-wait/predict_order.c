/*
 * predict_order.c: exercise: predict the order of a gather's lines; then choose waits for an order.
 *
 * Chapter 1. Run chapters/01-two-ways-to-wait/gather_loop.c and tasks_loop.c, and look at the
 * order of their lines before you write any code here. Compare with hello_threads.c, where no
 * rule says which thread prints first.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

void predict_order(const double seconds[], size_t n, struct order_line lines[])
{
    /*
     * TODO: fill lines[0 .. 2n-1] with the lines the scenario of exercises.h prints, in order:
     * lines[k] = (struct order_line){.task = i, .kind = LINE_STARTED} for "Task i started".
     * Work it out from how the loop runs tasks; do not run the loop here.
     */
    (void)seconds;
    (void)n;
    (void)lines;
}

void choose_sleeps(const size_t finish_order[], size_t n, double seconds[])
{
    /*
     * TODO: fill seconds[0 .. n-1] so that task finish_order[0] finishes first, then task
     * finish_order[1], and so on. Careful: seconds[] is indexed by task, finish_order[] by rank.
     */
    (void)finish_order;
    (void)n;
    (void)seconds;
}
