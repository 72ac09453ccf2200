/* wrong: max is never looked at: a client announcing a huge length is waited for */
#include "exercises.h"

#define NUMBER_DIGITS_MAX 9

/*
 * Read a decimal number and its "\r\n" at buf[*at]. Returns 1 with *value and *at past the
 * "\r\n", 0 if the bytes run out first, -1 if a byte is wrong.
 */
static int number_line(const char *buf, size_t len, size_t *at, long *value)
{
    size_t i = *at, digits = 0;
    long v = 0;

    for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
        if (++digits > NUMBER_DIGITS_MAX)
            return -1;
        v = v * 10 + (buf[i] - '0');
    }
    if (i == len)
        return 0;
    if (digits == 0 || buf[i] != '\r')
        return -1;
    if (i + 1 == len)
        return 0;
    if (buf[i + 1] != '\n')
        return -1;
    *at = i + 2;
    *value = v;
    return 1;
}

long frame_length(const char *buf, size_t len, size_t max)
{
    size_t at = 1;

    (void)max;
    long count, size;
    int r;

    if (len == 0)
        return 0;
    if (buf[0] != '*')
        return -1;
    r = number_line(buf, len, &at, &count);
    if (r == 1 && (count < 1 || count > FRAME_MAX_ARGS))
        return -1;
    for (long i = 0; r == 1 && i < count; i++) {
        if (at == len)
            break;
        if (buf[at++] != '$')
            return -1;
        r = number_line(buf, len, &at, &size);
        if (r != 1)
            break;
        if (len - at < (size_t)size + 2) { /* its data, or its "\r\n", is still to come */
            if (len - at > (size_t)size && buf[at + (size_t)size] != '\r')
                return -1;
            return 0;
        }
        at += (size_t)size;
        if (buf[at] != '\r' || buf[at + 1] != '\n')
            return -1;
        at += 2;
        if (i == count - 1)
            return (long)at;
    }
    if (r == -1)
        return -1;
    return 0;
}
