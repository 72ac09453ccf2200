/*
 * timeline.h: see which task ran when, and on which thread.
 *
 * Programs print their lines with say(). When the timeline is on (option -t of every chapter
 * program), say() also notes the time, the task and the thread, and timeline_print() draws one row
 * per task at the end:
 *
 *     task 1   thread 1 |*-----------------------------------------------*| 2.00 s
 *     task 2   thread 1 |*-----------------------*                         | 1.00 s
 *
 * On the event loop every row says "thread 1": one thread took turns. With pthreads each task has
 * a thread of its own. Safe to call from any thread.
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdio.h>

/* Start recording. The calling thread becomes "thread 1"; times are measured from now. */
void timeline_start(void);

/*
 * Print one line (printf-style, newline added) on stdout and flush it, so that lines appear when
 * they happen even through a pipe; when recording, mark the moment on `who`'s row.
 * One whole line per call, never mixed with another thread's.
 */
void say(const char *who, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Draw what was recorded, if anything, on `out`. */
void timeline_print(FILE *out);

#endif
