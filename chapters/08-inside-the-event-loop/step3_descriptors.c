/*
 * step3_descriptors.c: the loop, step 3: common/'s loop, with descriptors, on every scenario.
 *
 * Chapter 8. The last step is not a copy: it is common/loop.c itself (with loop_select.c, its
 * select() backend), the loop every *_loop.c program of the book runs on. It adds descriptors
 * (loop_watch): the poll of each iteration becomes a real select(), and a descriptor found ready
 * queues its callback, which runs in the same iteration's ready phase. It runs scenarios 1 to 4
 * of step1_callbacks.c and step2_timers.c, which print the same lines here (the tests check
 * it), then scenario 5, with a pipe.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "loop.h"

#define LOOP_STEP 3
#include "scenarios.h"

int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv,
              "The loop, step 3: common/'s loop, descriptors included, on the same scenarios.");
    scenario_callbacks();
    scenario_stop();
    scenario_timers(&demo);
    scenario_real_clock(&demo);
    scenario_descriptors();
    demo_finish(&demo);
    return 0;
}
