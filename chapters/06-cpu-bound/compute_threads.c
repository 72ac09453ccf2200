/*
 * compute_threads.c: article 002's compute() on two threads: each loop can have a core of its own.
 *
 * Chapter 6. The article starts two threading.Thread(target=compute) and joins them, where
 *     def compute():
 *         print("Computing...")
 *         for i in range(10**6): pass
 *         print("Computation done")
 * and prints "Computing..." twice, then "Computation done" twice. Only the order within each
 * thread is guaranteed. In C the 10^6 iterations take well under a millisecond, often less than
 * starting the second thread, so thread 1 may be done before thread 2 begins: -s 40 makes each
 * loop about as long as CPython's, and the two overlap. Compare with compute_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define LOOPS 1e6 /* range(10**6), scaled by -s */

static long loops;

static void *compute(void *arg)
{
    const char *who = arg;

    say(who, "Computing...");
    /* `volatile`: i is really stored and read back each time. Without it the compiler sees a
     * loop with no effect and deletes it; Python's loop does the work it says, so ours must. */
    for (volatile long i = 0; i < loops; i++)
        continue;
    say(who, "Computation done");
    return NULL;
}

int main(int argc, char **argv)
{
    struct demo demo;
    pthread_t thread1, thread2;

    demo_init(&demo, argc, argv, "Article 002's compute(), a 10^6 loop, on two threads.");
    loops = (long)demo_seconds(&demo, LOOPS);
    PCHECK(pthread_create(&thread1, NULL, compute, "thread 1"));
    PCHECK(pthread_create(&thread2, NULL, compute, "thread 2"));
    PCHECK(pthread_join(thread1, NULL));
    PCHECK(pthread_join(thread2, NULL));
    demo_finish(&demo);
    return 0;
}
