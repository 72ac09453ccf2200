/*
 * demo.h: the options every chapter program takes, so that each program stays about its lesson.
 *
 *     -s SCALE   multiply every duration by SCALE (default 1). Tests run with -s 0.1 or less
 *                so that a "2 second" task takes 0.2 s; the order of events does not change.
 *     -t         draw the timeline (timeline.h) after the program's own output, then the CPU
 *                time the process used: a waiting task or thread uses next to none.
 *     -T FILE    record the timeline into FILE: an SVG picture if FILE ends in ".svg", else a
 *                table of what was printed when (the tests read the program's own times there).
 *     -h         print what the program shows, and the options (--help too).
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdbool.h>

struct demo {
    double scale;
    bool timeline;
    const char *record; /* -T FILE, or NULL */
    const char *name;   /* the program's name, for the picture's title */
};

/*
 * Parse argv into `demo`. `about` is one or two lines on what the program shows, printed by -h.
 * Exits 0 after -h, and 2 with a usage message on a bad option. Starts the timeline if -t.
 */
void demo_init(struct demo *demo, int argc, char **argv, const char *about);

/* A duration of the original program, in seconds, scaled by -s. */
double demo_seconds(const struct demo *demo, double seconds);

/* Finish: with -t, draw the timeline and print the CPU time the process used; with -T, write it. */
void demo_finish(const struct demo *demo);

#endif
