/*
 * response_parser.c: exercise: frame one HTTP response in a buffer: status, length, body.
 *
 * Chapter 12. As it stands, it refuses everything. Write what exercises.h describes: find each
 * line's end inside buf[0 .. len) (the buffer has no NUL at its end), check the status line,
 * find Content-Length among the headers, and say whether the whole body is there yet.
 * Compare with common/http.c, which frames responses one read at a time.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "exercises.h"

long response_parse(const char *buf, size_t len, struct response *out)
{
    /* TODO: return 0 (not yet), -1 (never valid) or the response's length, as exercises.h says. */
    (void)buf;
    (void)len;
    (void)out;
    return -1;
}
