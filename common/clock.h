/*
 * clock.h: time as the programs and the event loop see it.
 *
 * Everything is measured on CLOCK_MONOTONIC, which never jumps when someone sets the wall clock.
 * Times inside the library are int64_t nanoseconds (exact, no rounding when compared); the API
 * for people takes and gives double seconds, as Python's time.monotonic() and asyncio.sleep() do.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

#define NSEC_PER_SEC INT64_C(1000000000)

/* Nanoseconds on the monotonic clock since an arbitrary start (the same for every thread). */
int64_t clock_now_ns(void);

/* Seconds on the monotonic clock, as a double. */
double clock_now(void);

/* Convert seconds to nanoseconds, rounding to nearest; negative values and NaN become 0, and
 * values above a billion seconds become a billion seconds (no overflow). */
int64_t seconds_to_ns(double seconds);

/*
 * Block the calling thread for `seconds` (nanosleep, restarted after a signal until the full
 * time has passed). Returns 0, or -1 with errno set if nanosleep fails for another reason.
 */
int sleep_seconds(double seconds);

/*
 * A clock that only moves when told to. Give one to an event loop (loop_use_fake_clock) and the
 * loop reads its time from it, and moves it forward instead of sleeping when it would wait for a
 * timer: a test of "two seconds later" then takes no time at all.
 */
struct fake_clock {
    int64_t now_ns;
};

#endif
