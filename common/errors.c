/*
 * errors.c: the two ways of dying that errors.h declares. Read errors.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_at(const char *file, int line, int err, const char *what)
{
    /* Flush first so that the program's own output is not lost or reordered after the message. */
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s: %s\n", file, line, what, strerror(err));
    exit(EXIT_FAILURE);
}

void die_msg(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}
