/*
 * demo.c: option parsing for the chapter programs. Read demo.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "errors.h"

#include "timeline.h"

#define MAX_SCALE 100.0 /* a typo such as -s 1000 would otherwise hang the program for an hour */

static void usage(FILE *out, const char *prog, const char *about)
{
    fprintf(out,
            "usage: %s [-s SCALE] [-t] [-T FILE] [-h]\n"
            "%s\n"
            "  -s SCALE  multiply every duration by SCALE (default 1, above 0, at most %g)\n"
            "  -t        draw a timeline: which task ran when, on which thread\n"
            "  -T FILE   record that timeline into FILE: an SVG picture if FILE ends in .svg,\n"
            "            else a table (seconds, thread, task, line) of what was printed when\n"
            "  -h        show this help (--help too)\n",
            prog, about, MAX_SCALE);
}

void demo_init(struct demo *demo, int argc, char **argv, const char *about)
{
    int opt;
    char *end;

    demo->scale = 1.0;
    demo->timeline = false;
    demo->record = NULL;
    demo->name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0) { /* getopt knows only one-letter options */
            usage(stdout, argv[0], about);
            exit(0);
        }
    }
    while ((opt = getopt(argc, argv, "s:tT:h")) != -1) {
        switch (opt) {
        case 's':
            demo->scale = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(demo->scale > 0) || demo->scale > MAX_SCALE) {
                fprintf(stderr, "%s: -s wants a number above 0 and at most %g, not '%s'\n", argv[0],
                        MAX_SCALE, optarg);
                exit(2);
            }
            break;
        case 't':
            demo->timeline = true;
            break;
        case 'T':
            demo->record = optarg;
            break;
        case 'h':
            usage(stdout, argv[0], about);
            exit(0);
        default:
            usage(stderr, argv[0], about);
            exit(2);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
        usage(stderr, argv[0], about);
        exit(2);
    }
    if (demo->timeline || demo->record != NULL)
        timeline_start();
}

double demo_seconds(const struct demo *demo, double seconds)
{
    return seconds * demo->scale;
}

static double seconds_of(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Write the timeline to the -T file: a picture for a name ending in .svg, else a table. */
static void record_timeline(const struct demo *demo)
{
    size_t len = strlen(demo->record);
    FILE *f = fopen(demo->record, "w");

    if (f == NULL)
        die_errno(demo->record);
    if (len > 4 && strcmp(demo->record + len - 4, ".svg") == 0)
        timeline_write_svg(f, demo->name, demo->scale);
    else
        timeline_write_table(f);
    if (fclose(f) == EOF)
        die_errno(demo->record);
}

void demo_finish(const struct demo *demo)
{
    struct rusage ru;

    if (demo->record != NULL)
        record_timeline(demo);
    if (!demo->timeline)
        return;
    timeline_print(stdout);
    /* The CPU the whole process used, every thread included: waiting costs next to none. */
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("CPU time used by the process: %.3f s user + %.3f s system\n",
               seconds_of(ru.ru_utime), seconds_of(ru.ru_stime));
}
