/* wrong: any header whose name ends in Content-Length frames the body. */
/*
 * response_parser.c: solution: frame one HTTP response in a buffer, never reading past it.
 *
 * Chapter 12. Each line is found with memchr inside the bytes we have (never strstr or strchr:
 * the buffer has no NUL at the end), the head is bounded before anything else, and the
 * Content-Length digits are read one by one with an overflow check. Compare with common/http.c,
 * which does the same incrementally, one read at a time, and more of HTTP besides.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "exercises.h"

#define STATUS_LINE_MIN 12 /* "HTTP/1.1 200" */

/* Find the "\n" ending the line at buf[at], before limit: *len is the bytes before it. */
static bool find_line(const char *buf, size_t at, size_t limit, size_t *len)
{
    const char *lf = memchr(buf + at, '\n', limit - at);

    if (lf == NULL)
        return false;
    *len = (size_t)(lf - (buf + at));
    return true;
}

static bool status_line(const char *line, size_t len, int *status)
{
    if (len < STATUS_LINE_MIN ||
        (memcmp(line, "HTTP/1.1 ", 9) != 0 && memcmp(line, "HTTP/1.0 ", 9) != 0))
        return false;
    for (int i = 9; i < 12; i++) {
        if (line[i] < '0' || line[i] > '9')
            return false;
    }
    *status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    return *status >= 100 && *status <= 599 && (len == STATUS_LINE_MIN || line[12] == ' ');
}

/* "Name: value": true if well formed; *length set if it is Content-Length (-1 if bad). */
static bool header_line(const char *line, size_t len, long long *length)
{
    const char *colon = memchr(line, ':', len);
    size_t name_len, i;
    long long n = 0;

    if (colon == NULL || colon == line)
        return false;
    name_len = (size_t)(colon - line);
    for (i = 0; i < name_len; i++) {
        char c = line[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    }
    if (name_len < strlen("Content-Length") ||
        strncasecmp(line + name_len - strlen("Content-Length"), "Content-Length",
                    strlen("Content-Length")) != 0)
        return true;
    i = name_len + 1;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    while (len > i && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    if (i == len)
        return false;
    for (; i < len; i++) {
        if (line[i] < '0' || line[i] > '9')
            return false;
        n = n * 10 + (line[i] - '0');
        if (n > RESPONSE_BODY_MAX)
            return false;
    }
    *length = n;
    return true;
}

long response_parse(const char *buf, size_t len, struct response *out)
{
    size_t limit = len < RESPONSE_HEAD_MAX ? len : RESPONSE_HEAD_MAX, at = 0;
    long long length = -1;
    int status = 0;

    for (;;) {
        size_t line;

        if (!find_line(buf, at, limit, &line)) /* too long already, or more to come */
            return len >= RESPONSE_HEAD_MAX ? -1 : 0;
        if (line == 0 || buf[at + line - 1] != '\r')
            return -1; /* a line ending in a bare "\n" */
        line--;        /* without its "\r" */
        if (at == 0 && !status_line(buf, line, &status))
            return -1;
        if (at > 0 && line == 0) { /* the empty line: the head is over */
            at += 2;
            break;
        }
        if (at > 0 && !header_line(buf + at, line, &length))
            return -1;
        at += line + 2;
    }
    if (length < 0)
        return -1;
    if (len - at < (size_t)length)
        return 0;
    out->status = status;
    out->content_length = (size_t)length;
    out->body = buf + at;
    return (long)(at + (size_t)length);
}
