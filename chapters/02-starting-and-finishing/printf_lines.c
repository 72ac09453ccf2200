/*
 * printf_lines.c: four threads print 20000 lines: one printf call per line always comes out whole.
 *
 * Chapter 2. POSIX makes every stdio call on a FILE behave as if it held that FILE's lock
 * (flockfile) from start to end, so one printf call is one locked operation: nothing another
 * thread prints on stdout can land inside it. The lock covers one call, not one line: a line
 * printed in two calls (text, then "\n", as CPython's print does) can break, unless the caller
 * holds the lock across both with flockfile/funlockfile. write() takes no lock, but POSIX makes
 * each write() to a regular file whole: one call per line is safe, two are not. The
 * program points its own stdout at a temporary file, lets the threads print, then reads the
 * file back and counts the lines that came out whole. Compare with print_pieces.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define THREADS 4
#define LINES 5000 /* per thread */
#define LINE_MAX_LEN 64

static struct demo demo;

enum mode { ONE_PRINTF, TWO_PRINTFS, TWO_PRINTFS_LOCKED, ONE_WRITE, TWO_WRITES, MODES };

static const char *const about[MODES] = {
    "one printf call per line:",          "two printf calls (text, \"\\n\"):",
    "the same two inside flockfile:",     "one write() call per line:",
    "two write() calls (text, \"\\n\"):",
};

struct printer {
    int id;
    enum mode mode;
};

static void write_all(const char *s, size_t len)
{
    if (write(STDOUT_FILENO, s, len) != (ssize_t)len)
        die_errno("write");
}

static void *print_lines(void *arg)
{
    const struct printer *p = arg;
    char text[LINE_MAX_LEN + 1]; /* room for a newline after the longest line */

    for (int i = 0; i < LINES; i++) {
        int len = snprintf(text, sizeof text - 1, "thread %d says line %d", p->id, i);

        switch (p->mode) {
        case ONE_PRINTF:
            printf("%s\n", text); /* one call, one lock: the line stays whole */
            break;
        case TWO_PRINTFS:
            printf("%s", text); /* another thread can print between these two */
            printf("\n");
            break;
        case TWO_PRINTFS_LOCKED:
            flockfile(stdout); /* now the two calls are one locked operation */
            printf("%s", text);
            printf("\n");
            funlockfile(stdout);
            break;
        case ONE_WRITE:
            text[len] = '\n'; /* the line and its newline in one call */
            write_all(text, (size_t)len + 1);
            break;
        case TWO_WRITES:
            write_all(text, (size_t)len); /* straight to the file, no lock */
            write_all("\n", 1);
            break;
        default:
            break;
        }
    }
    return NULL;
}

/* Is `line` (with its "\n") exactly a line some thread wrote? */
static int whole(const char *line)
{
    int id, i, end = 0;

    return sscanf(line, "thread %d says line %d\n%n", &id, &i, &end) == 2 && end > 0 &&
           line[end] == '\0' && id >= 1 && id <= THREADS && i >= 0 && i < LINES;
}

/* Run the threads with stdout pointed at `file`; count the lines and the whole ones. */
static void run(enum mode mode, FILE *file, int *lines, int *whole_lines)
{
    struct printer printers[THREADS];
    pthread_t threads[THREADS];
    char line[4 * LINE_MAX_LEN];
    bool at_start = true; /* a glued line can be longer than `line`: fgets then reads it in parts */
    int saved;

    fflush(stdout);
    if (ftruncate(fileno(file), 0) == -1 || lseek(fileno(file), 0, SEEK_SET) == -1)
        die_errno("emptying the temporary file");
    if ((saved = dup(STDOUT_FILENO)) == -1 || dup2(fileno(file), STDOUT_FILENO) == -1)
        die_errno("pointing stdout at the temporary file");
    for (int t = 0; t < THREADS; t++) {
        printers[t] = (struct printer){.id = t + 1, .mode = mode};
        PCHECK(pthread_create(&threads[t], NULL, print_lines, &printers[t]));
    }
    for (int t = 0; t < THREADS; t++)
        PCHECK(pthread_join(threads[t], NULL));
    if (fflush(stdout) == EOF || dup2(saved, STDOUT_FILENO) == -1 || close(saved) == -1)
        die_errno("giving stdout back");

    rewind(file);
    *lines = *whole_lines = 0;
    while (fgets(line, sizeof line, file) != NULL) {
        *whole_lines += at_start && whole(line);
        at_start = strchr(line, '\n') != NULL;
        *lines += at_start;
    }
}

int main(int argc, char **argv)
{
    FILE *file;

    demo_init(&demo, argc, argv,
              "Threads print lines: how many come out whole, by way of printing.");
    if ((file = tmpfile()) == NULL)
        die_errno("tmpfile");
    say("main", "%d threads print %d lines each; lines that came out whole:", THREADS, LINES);
    for (enum mode m = 0; m < MODES; m++) {
        int lines, whole_lines;

        run(m, file, &lines, &whole_lines);
        say("main", "  %-36s %5d of %d", about[m], whole_lines, lines);
    }
    fclose(file);
    demo_finish(&demo);
    return 0;
}
