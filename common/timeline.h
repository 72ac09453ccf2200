/*
 * timeline.h: see which task ran when, and on which thread.
 *
 * Programs print their lines with say(). When the timeline is on (options -t and -T of every
 * chapter program), say() also notes the time, the task and the thread, and the timeline is drawn
 * with one lane per thread, each task a row inside the lane of the thread it printed from:
 *
 *     lane      task      |0 s                                          2.00 s|
 *     thread 1  task 1    |*---------------------------------------------*|
 *               task 2    |*----------------------*                        |
 *     2 tasks on 1 thread: they took turns on it
 *
 * On the event loop every task sits in the one lane of thread 1: one thread took turns. With
 * pthreads each task has a lane of its own. The same record can be written as a table (the tests
 * read the program's own times from it) or drawn as an SVG picture (the book shows those).
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdio.h>

/* Start recording. The calling thread becomes "thread 1"; times are measured from now. */
void timeline_start(void);

/*
 * Print one line (printf-style, newline added) on stdout, holding a lock for the whole line and
 * flushing it before letting go: the line comes out whole even when threads print at once
 * (chapter 2 shows what plain printf and write() guarantee), and at once, even through a pipe.
 * When recording, also note the moment, the line, `who` printed it and from which thread.
 */
void say(const char *who, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Draw what was recorded, if anything, on `out`, as text: one lane per thread. */
void timeline_print(FILE *out);

/* Write the record as a table: one line per say(), "seconds<TAB>thread<TAB>task<TAB>text". */
void timeline_write_table(FILE *out);

/*
 * Draw the record as an SVG picture, titled `title`: the lanes of timeline_print, in colour, with
 * each line's text. Times are divided by `scale`, so that a run at -s 0.05 is drawn on the
 * original program's time axis (and the picture says so).
 */
void timeline_write_svg(FILE *out, const char *title, double scale);

#endif
