/*
 * hello_sequential.c: say_hello twice, one call after the other: no concurrency, 2 s.
 *
 * Chapter 1, the baseline for article 002's say_hello. Each call prints "Hello", waits 1 s and
 * prints "World"; the second cannot start before the first has finished waiting, so the waits add
 * up. Compare with hello_loop.c and hello_threads.c, which overlap the two waits and take 1 s.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static void say_hello(const char *who)
{
    say(who, "Hello");
    if (sleep_seconds(demo_seconds(&demo, 1)) == -1)
        die_errno("nanosleep");
    say(who, "World");
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv, "say_hello twice, one call after the other: 2 s (article 002).");
    say_hello("hello 1");
    say_hello("hello 2");
    demo_finish(&demo);
    return 0;
}
