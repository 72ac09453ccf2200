/*
 * demo.h: the options every chapter program takes, so that each program stays about its lesson.
 *
 *     -s SCALE   multiply every duration by SCALE (default 1). Tests run with -s 0.1 or less
 *                so that a "2 second" task takes 0.2 s; the order of events does not change.
 *     -t         draw the timeline (timeline.h) after the program's own output, then the CPU
 *                time the process used: a waiting task or thread uses next to none.
 *     -h         print what the program shows, and the options.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdbool.h>

struct demo {
    double scale;
    bool timeline;
};

/*
 * Parse argv into `demo`. `about` is one or two lines on what the program shows, printed by -h.
 * Exits 0 after -h, and 2 with a usage message on a bad option. Starts the timeline if -t.
 */
void demo_init(struct demo *demo, int argc, char **argv, const char *about);

/* A duration of the original program, in seconds, scaled by -s. */
double demo_seconds(const struct demo *demo, double seconds);

/* Finish: with -t, draw the timeline and print the CPU time the process used. */
void demo_finish(const struct demo *demo);

#endif
