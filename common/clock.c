/*
 * clock.c: the monotonic clock and a sleep that survives signals. Read clock.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"

#include <errno.h>
#include <time.h>

/* About 31 years: longer than any wait in this book, and far below int64_t overflow. */
#define MAX_SECONDS 1e9

int64_t clock_now_ns(void)
{
    struct timespec ts;

    /* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer: nothing to report. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

double clock_now(void)
{
    return (double)clock_now_ns() / (double)NSEC_PER_SEC;
}

int64_t seconds_to_ns(double seconds)
{
    if (!(seconds > 0)) /* also catches NaN */
        return 0;
    if (seconds >= MAX_SECONDS) /* beyond this, the conversion would overflow int64_t */
        return (int64_t)MAX_SECONDS * NSEC_PER_SEC;
    return (int64_t)(seconds * (double)NSEC_PER_SEC + 0.5);
}

int sleep_seconds(double seconds)
{
    int64_t ns = seconds_to_ns(seconds);
    struct timespec left = {.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC};

    /* nanosleep writes what is left when a signal interrupts it; go on sleeping for that. */
    while (nanosleep(&left, &left) == -1) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}
