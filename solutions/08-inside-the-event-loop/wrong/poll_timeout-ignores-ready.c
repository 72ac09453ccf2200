/* wrong: a ready callback does not stop the wait for the next timer: the callback runs only after
 * the poll has slept until the timer. */
/*
 * poll_timeout.c: solution: the poll timeout of one iteration, in whole milliseconds.
 *
 * Chapter 8, exercise poll_timeout.c. The same rule as common/loop.c's loop_poll_timeout_ns,
 * converted for poll() and epoll_wait(), which count milliseconds: rounded up, as CPython's
 * selectors.EpollSelector does (math.ceil), so that the loop never wakes before its deadline.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>

#include "exercises.h"

#define NS_PER_MS INT64_C(1000000)

int poll_timeout_ms(const struct poll_state *s)
{
    int64_t wait, ms;

    if (s->timers == 0)
        return -1;
    wait = s->earliest_ns - s->now_ns;
    if (wait <= 0)
        return 0;
    ms = (wait + NS_PER_MS - 1) / NS_PER_MS; /* up: 1 ns still to wait is 1 ms, not 0 */
    return ms > INT_MAX ? INT_MAX : (int)ms;
}
