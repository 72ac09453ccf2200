/*
 * iteration_order.c: exercise: predict which callback runs in which iteration of the loop.
 *
 * Chapter 8. Read exercises.h for the scenario, then run chapters/08-inside-the-event-loop/
 * step3_descriptors.c and follow scenarios 1 and 3 line by line: each rule you need shows there.
 * The tests run your scenarios on common/'s loop and compare.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

size_t predict_iterations(const struct scenario_step steps[], size_t n, struct step_run runs[])
{
    /*
     * TODO: replay the loop on paper. Keep the ready queue, the pending timers (deadline and the
     * order they were armed in) and the fake clock, then repeat the iteration of common/loop.c
     * while anything is left: poll, ready phase, timers phase. Record each callback in runs[].
     * seconds_to_ns() (clock.h) turns a delay into the nanoseconds the loop adds to its clock.
     */
    (void)steps;
    (void)n;
    (void)runs;
    return SCENARIO_MAX_STEPS + 1; /* not an answer: replace it */
}
