/*
 * timeline.c: recording say() lines and drawing them as rows of text. Read timeline.h first.
 *
 * One mutex guards both the printing and the recording, so the order of the rows' marks is the
 * order of the lines on stdout. The tables are small and fixed: a demonstration has a handful of
 * tasks and lines; marks beyond the tables are not drawn, and the drawing says so.
 */
#define _POSIX_C_SOURCE 200809L
#include "timeline.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "clock.h"

#define MAX_MARKS 256
#define MAX_ROWS 16
#define MAX_THREADS 16
#define NAME_LEN 16
#define WIDTH 50 /* columns of the drawing between the bars */

struct mark {
    int64_t at; /* ns since timeline_start */
    int row, thread;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool recording;
static int64_t t0;
static struct mark marks[MAX_MARKS];
static int nmarks, dropped;
static char rows[MAX_ROWS][NAME_LEN];
static int nrows;
static pthread_t threads[MAX_THREADS];
static int nthreads;

/* Index of the calling thread, numbering threads in the order they first said something. */
static int thread_index(void)
{
    pthread_t self = pthread_self();

    for (int i = 0; i < nthreads; i++) {
        if (pthread_equal(threads[i], self))
            return i;
    }
    if (nthreads == MAX_THREADS)
        return -1;
    threads[nthreads] = self;
    return nthreads++;
}

static int row_index(const char *who)
{
    for (int i = 0; i < nrows; i++) {
        if (strcmp(rows[i], who) == 0)
            return i;
    }
    if (nrows == MAX_ROWS)
        return -1;
    snprintf(rows[nrows], NAME_LEN, "%s", who);
    return nrows++;
}

void timeline_start(void)
{
    pthread_mutex_lock(&lock);
    recording = true;
    t0 = clock_now_ns();
    nmarks = nrows = nthreads = dropped = 0;
    thread_index(); /* the caller is thread 1 */
    pthread_mutex_unlock(&lock);
}

void say(const char *who, const char *fmt, ...)
{
    va_list ap;

    /* Only a broken program could make locking a default mutex fail; there is nothing to report. */
    pthread_mutex_lock(&lock);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (recording) {
        int row = row_index(who), thread = thread_index();

        if (row >= 0 && thread >= 0 && nmarks < MAX_MARKS)
            marks[nmarks++] = (struct mark){clock_now_ns() - t0, row, thread};
        else
            dropped++;
    }
    pthread_mutex_unlock(&lock);
}

void timeline_print(FILE *out)
{
    int64_t span = 1;
    int threads_used = 0;
    bool seen[MAX_THREADS] = {false};

    pthread_mutex_lock(&lock);
    if (!recording || nmarks == 0) {
        pthread_mutex_unlock(&lock);
        return;
    }
    for (int i = 0; i < nmarks; i++) {
        if (marks[i].at > span)
            span = marks[i].at;
        if (!seen[marks[i].thread]) {
            seen[marks[i].thread] = true;
            threads_used++;
        }
    }
    fprintf(out, "\ntimeline: * = printed a line, - = alive and waiting\n");
    fprintf(out, "%-10s %-8s |0 s%*.2f s|\n", "", "", WIDTH - 5,
            (double)span / (double)NSEC_PER_SEC);
    for (int r = 0; r < nrows; r++) {
        char line[WIDTH + 1];
        int first = -1, last = -1, thread = -1;
        int64_t end = 0;

        memset(line, ' ', WIDTH);
        line[WIDTH] = '\0';
        for (int i = 0; i < nmarks; i++) {
            int col = (int)((marks[i].at * (WIDTH - 1)) / span);

            if (marks[i].row != r)
                continue;
            if (first < 0)
                first = col;
            last = col;
            end = marks[i].at;
            thread = marks[i].thread;
        }
        for (int c = first; c <= last; c++)
            line[c] = '-';
        for (int i = 0; i < nmarks; i++) {
            if (marks[i].row == r)
                line[(marks[i].at * (WIDTH - 1)) / span] = '*';
        }
        fprintf(out, "%-10s thread %d |%s| %.2f s\n", rows[r], thread + 1, line,
                (double)end / (double)NSEC_PER_SEC);
    }
    fprintf(out, "%d row%s, printed from %d thread%s", nrows, nrows == 1 ? "" : "s", threads_used,
            threads_used == 1 ? "" : "s");
    if (dropped > 0)
        fprintf(out, " (%d marks not drawn: tables full)", dropped);
    fputc('\n', out);
    pthread_mutex_unlock(&lock);
}
