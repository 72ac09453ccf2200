/*
 * tasks_threads.c: task A (2 s) and task B (3 s) on two threads, then "All threads completed": 3 s.
 *
 * Chapter 1. Article 004's threading example: threading.Thread(target=task, args=('A', 2)), and
 * the same for B, started and joined. pthread_create takes one void * argument, so a task's name
 * and duration travel in a struct. Compare with tasks_loop.c and tasks_sequential.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

struct args {
    const char *name;
    double seconds;
};

static void *task(void *arg)
{
    const struct args *a = arg;

    say(a->name, "Task %s started", a->name);
    if (sleep_seconds(demo_seconds(&demo, a->seconds)) == -1)
        die_errno("nanosleep");
    say(a->name, "Task %s completed", a->name);
    return NULL;
}

int main(int argc, char **argv)
{
    struct args a = {"A", 2}, b = {"B", 3};
    pthread_t thread1, thread2;

    demo_init(&demo, argc, argv, "Tasks A (2 s) and B (3 s) on two threads: 3 s (article 004).");
    PCHECK(pthread_create(&thread1, NULL, task, &a));
    PCHECK(pthread_create(&thread2, NULL, task, &b));
    PCHECK(pthread_join(thread1, NULL));
    PCHECK(pthread_join(thread2, NULL));
    say("main", "All threads completed");
    demo_finish(&demo);
    return 0;
}
