/*
 * timeline.c: recording say() lines and drawing them, as text or SVG. Read timeline.h first.
 *
 * One mutex guards both the printing and the recording, so the order of the marks is the order of
 * the lines on stdout. The tables are small and fixed: a demonstration has a handful of tasks and
 * lines; marks beyond the tables are not drawn, and the drawing says so.
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
#define TEXT_LEN 128 /* whole lines: the tests read them back from the -T table */
#define WIDTH 50 /* columns of the text drawing between the bars */

/* The SVG picture's geometry, in pixels. */
#define SVG_WIDTH 760
#define SVG_LABELS 190 /* the lane and task names on the left */
#define SVG_MARGIN 24
#define SVG_TOP 44
#define SVG_ROW 30
#define SVG_LANE_GAP 8
#define SVG_AXIS 40
#define MAX_TICKS 10

struct mark {
    int64_t at; /* ns since timeline_start */
    int row, thread;
    char text[TEXT_LEN];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool recording;
static int64_t t0;
static struct mark marks[MAX_MARKS];
static int nmarks, dropped;
static char rows[MAX_ROWS][NAME_LEN];
static int row_thread[MAX_ROWS]; /* the thread a row first printed from */
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

static int row_index(const char *who, int thread)
{
    for (int i = 0; i < nrows; i++) {
        /* Names are kept cut to NAME_LEN - 1 characters: compare what was kept. */
        if (strncmp(rows[i], who, NAME_LEN - 1) == 0 &&
            strlen(rows[i]) == strnlen(who, NAME_LEN - 1))
            return i;
    }
    if (nrows == MAX_ROWS)
        return -1;
    snprintf(rows[nrows], NAME_LEN, "%s", who);
    row_thread[nrows] = thread;
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
    char text[TEXT_LEN];
    va_list ap;

    /* Only a broken program could make locking a default mutex fail; there is nothing to report. */
    pthread_mutex_lock(&lock);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (recording) {
        int thread = thread_index();
        int row = thread >= 0 ? row_index(who, thread) : -1;

        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        if (row >= 0 && nmarks < MAX_MARKS) {
            marks[nmarks] = (struct mark){.at = clock_now_ns() - t0, .row = row, .thread = thread};
            memcpy(marks[nmarks++].text, text, sizeof text);
        } else {
            dropped++;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* ---- the lanes, shared by both drawings (called with the lock held) ------------------------ */

/* The rows in drawing order: by lane (thread), then in the order they first printed. */
static int lane_order(int order[MAX_ROWS])
{
    int n = 0;

    for (int th = 0; th < nthreads; th++) {
        for (int r = 0; r < nrows; r++) {
            if (row_thread[r] == th)
                order[n++] = r;
        }
    }
    return n;
}

static int64_t span_of_marks(void)
{
    int64_t span = 1;

    for (int i = 0; i < nmarks; i++) {
        if (marks[i].at > span)
            span = marks[i].at;
    }
    return span;
}

static int lanes_used(void)
{
    bool seen[MAX_THREADS] = {false};
    int n = 0;

    for (int r = 0; r < nrows; r++) {
        if (!seen[row_thread[r]]) {
            seen[row_thread[r]] = true;
            n++;
        }
    }
    return n;
}

/* The time between a row's first line and its last: when the task was alive. */
static void row_span(int r, int64_t *first, int64_t *last)
{
    *first = -1;
    *last = 0;
    for (int i = 0; i < nmarks; i++) {
        if (marks[i].row == r) {
            if (*first < 0)
                *first = marks[i].at;
            *last = marks[i].at;
        }
    }
}

/* True if two tasks of the same lane were alive at once: one thread took turns between them. */
static bool lane_shared_in_time(void)
{
    for (int a = 0; a < nrows; a++) {
        for (int b = a + 1; b < nrows; b++) {
            int64_t a0, a1, b0, b1;

            if (row_thread[a] != row_thread[b])
                continue;
            row_span(a, &a0, &a1);
            row_span(b, &b0, &b1);
            if (a0 < b1 && b0 < a1)
                return true;
        }
    }
    return false;
}

/* "2 tasks on 1 thread: they took turns on it" */
static void summary(FILE *out)
{
    int lanes = lanes_used();

    fprintf(out, "%d task%s on %d thread%s", nrows, nrows == 1 ? "" : "s", lanes,
            lanes == 1 ? "" : "s");
    if (lanes == 1 && nrows > 1)
        fprintf(out, lane_shared_in_time() ? ": they took turns on it" : ": one after the other");
    else if (lanes > 1)
        fprintf(out, ": each waited on its own");
    if (dropped > 0)
        fprintf(out, " (%d lines not drawn: tables full)", dropped);
}

/* ---- text ------------------------------------------------------------------------------------ */

void timeline_print(FILE *out)
{
    int order[MAX_ROWS], n, last_lane = -1;
    int64_t span;

    pthread_mutex_lock(&lock);
    if (!recording || nmarks == 0) {
        pthread_mutex_unlock(&lock);
        return;
    }
    span = span_of_marks();
    n = lane_order(order);
    fprintf(out, "\ntimeline: one lane per thread; * = printed a line, - = alive and waiting\n");
    fprintf(out, "%-9s %-10s |0 s%*.2f s|\n", "lane", "task", WIDTH - 5,
            (double)span / (double)NSEC_PER_SEC);
    for (int k = 0; k < n; k++) {
        int r = order[k], first = -1, last = -1;
        char line[WIDTH + 1], lane[24];
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
        }
        for (int c = first; c <= last; c++)
            line[c] = '-';
        for (int i = 0; i < nmarks; i++) {
            if (marks[i].row == r)
                line[(marks[i].at * (WIDTH - 1)) / span] = '*';
        }
        /* The lane's name only on its first row: the rows below it share the thread. */
        snprintf(lane, sizeof lane, "thread %d", row_thread[r] + 1);
        fprintf(out, "%-9s %-10s |%s| %.2f s\n", row_thread[r] == last_lane ? "" : lane, rows[r],
                line, (double)end / (double)NSEC_PER_SEC);
        last_lane = row_thread[r];
    }
    summary(out);
    fputc('\n', out);
    pthread_mutex_unlock(&lock);
}

void timeline_write_table(FILE *out)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < nmarks; i++)
        fprintf(out, "%.6f\t%d\t%s\t%s\n", (double)marks[i].at / (double)NSEC_PER_SEC,
                marks[i].thread + 1, rows[marks[i].row], marks[i].text);
    pthread_mutex_unlock(&lock);
}

/* ---- SVG ------------------------------------------------------------------------------------- */

/* Text for SVG: the five characters XML gives a meaning, escaped. */
static void svg_text(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most MAX_TICKS ticks over `span`. */
static double tick_step(double span)
{
    double step = 1e-3;

    for (;;) {
        static const double mult[] = {1, 2, 5};

        for (int i = 0; i < 3; i++) {
            if (span / (step * mult[i]) <= MAX_TICKS)
                return step * mult[i];
        }
        step *= 10;
    }
}

void timeline_write_svg(FILE *out, const char *title, double scale)
{
    int order[MAX_ROWS], n, lanes, height, plot = SVG_WIDTH - SVG_LABELS - SVG_MARGIN;
    double span, step;
    int y, last_lane = -1, lane_index = -1;

    pthread_mutex_lock(&lock);
    if (scale <= 0)
        scale = 1;
    n = lane_order(order);
    lanes = lanes_used();
    span = (double)span_of_marks() / (double)NSEC_PER_SEC / scale;
    step = tick_step(span);
    height = SVG_TOP + n * SVG_ROW + lanes * SVG_LANE_GAP + SVG_AXIS;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            SVG_WIDTH, height, SVG_WIDTH, height);
    fprintf(out, "<desc>");
    svg_text(out, title);
    fprintf(out, "</desc>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    fprintf(out, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">", SVG_MARGIN / 2);
    svg_text(out, title);
    fprintf(out, "</text>\n<text x=\"%d\" y=\"36\" fill=\"#555555\">", SVG_MARGIN / 2);
    summary(out);
    if (scale != 1)
        fprintf(out, "; run at -s %g, drawn at full scale", scale);
    fprintf(out, "</text>\n");

    y = SVG_TOP;
    for (int k = 0; k < n; k++) {
        int r = order[k];
        double first = -1, last = 0;

        if (row_thread[r] != last_lane) {
            /* A new lane: a band of its own colour, as tall as its rows. */
            int rows_in_lane = 0;

            for (int j = k; j < n && row_thread[order[j]] == row_thread[r]; j++)
                rows_in_lane++;
            lane_index++;
            y += SVG_LANE_GAP;
            fprintf(out,
                    "<rect x=\"4\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" fill=\"%s\"/>\n",
                    y - 4, SVG_WIDTH - 8, rows_in_lane * SVG_ROW,
                    lane_index % 2 ? "#fbf1e4" : "#e8f0fa");
            fprintf(out, "<text x=\"12\" y=\"%d\" font-weight=\"bold\">thread %d</text>\n", y + 14,
                    row_thread[r] + 1);
            last_lane = row_thread[r];
        }
        fprintf(out, "<text x=\"84\" y=\"%d\">", y + 14);
        svg_text(out, rows[r]);
        fprintf(out, "</text>\n");
        for (int i = 0; i < nmarks; i++) {
            double at = (double)marks[i].at / (double)NSEC_PER_SEC / scale;

            if (marks[i].row != r)
                continue;
            if (first < 0)
                first = at;
            last = at;
        }
        /* Alive and waiting: a bar from the task's first line to its last. */
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"6\" rx=\"3\" "
                "fill=\"#8fb3dd\"/>\n",
                SVG_LABELS + first / span * plot, y + 8, (last - first) / span * plot);
        for (int i = 0; i < nmarks; i++) {
            double at = (double)marks[i].at / (double)NSEC_PER_SEC / scale;
            double x = SVG_LABELS + at / span * plot;
            bool right_half = x > SVG_LABELS + plot / 2.0;

            if (marks[i].row != r)
                continue;
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4.5\" fill=\"#1d4f8c\"/>\n", x, y + 11);
            fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">",
                    right_half ? x - 7 : x + 7, y + 4, right_half ? "end" : "start");
            svg_text(out, marks[i].text);
            fprintf(out, "</text>\n");
        }
        y += SVG_ROW;
    }
    /* The time axis, in the original program's seconds. */
    y += 8;
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n", SVG_LABELS,
            y, SVG_LABELS + plot, y);
    for (double t = 0; t <= span + step / 1000; t += step) {
        double x = SVG_LABELS + t / span * plot;

        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\"/>\n", x,
                y, x, y + 5);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g s</text>\n", x, y + 18,
                t);
    }
    fprintf(out, "</svg>\n");
    pthread_mutex_unlock(&lock);
}
