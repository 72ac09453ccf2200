/*
 * hello_threads.c: say_hello twice, each on its own thread: both sleep at once, 1 s.
 *
 * Chapter 1. Article 002's threading example: two threading.Thread(target=say_hello), started,
 * then joined. Each thread blocks in nanosleep(); the kernel runs neither while they sleep.
 * Which thread prints its "Hello" first is up to the scheduler. Compare with hello_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static void *say_hello(void *who)
{
    say(who, "Hello");
    if (sleep_seconds(demo_seconds(&demo, 1)) == -1)
        die_errno("nanosleep");
    say(who, "World");
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t first, second;

    demo_init(&demo, argc, argv, "say_hello twice, on two threads: 1 s (article 002).");
    PCHECK(pthread_create(&first, NULL, say_hello, "hello 1"));
    PCHECK(pthread_create(&second, NULL, say_hello, "hello 2"));
    PCHECK(pthread_join(first, NULL));
    PCHECK(pthread_join(second, NULL));
    demo_finish(&demo);
    return 0;
}
