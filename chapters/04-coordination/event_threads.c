/*
 * event_threads.c: threading.Event in C: runners wait for a start signal that wakes them all.
 *
 * Chapter 4. Python's threading.Event is a flag, a lock and a condition variable; so is this one:
 *     start = threading.Event()
 *     def runner(n): print(f"runner {n} waits for the start"); start.wait(); print(...)
 *     time.sleep(1); start.set(); time.sleep(1); start.clear()
 *     late.start(); time.sleep(1); start.set()       # late: a fourth runner's thread
 * set() broadcasts, because every waiter must wake: pthread_cond_signal would wake only one.
 * Runners 1 to 3 wait from the start; runner 4 starts after the clear, and waits for the second
 * set. Which of runners 1 to 3 prints first is up to the scheduler. Compare with event_loop.c,
 * the same race with asyncio's Event (sync.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define RUNNERS 4 /* the last one comes after the clear */

static struct demo demo;

struct event {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool set;
    unsigned long sets; /* how many times it was set */
};

static struct event start = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};

/*
 * event.wait(): return once the flag is set. The loop guards against spurious wake-ups; the count
 * of sets lets a waiter woken by a set go on even if the flag was cleared again before it ran.
 */
static void event_wait(struct event *e)
{
    unsigned long seen;

    PCHECK(pthread_mutex_lock(&e->lock));
    seen = e->sets;
    while (!e->set && e->sets == seen)
        PCHECK(pthread_cond_wait(&e->changed, &e->lock));
    PCHECK(pthread_mutex_unlock(&e->lock));
}

static void event_set(struct event *e)
{
    PCHECK(pthread_mutex_lock(&e->lock));
    e->set = true;
    e->sets++;
    PCHECK(pthread_cond_broadcast(&e->changed)); /* every waiter, not one */
    PCHECK(pthread_mutex_unlock(&e->lock));
}

static void event_clear(struct event *e)
{
    PCHECK(pthread_mutex_lock(&e->lock));
    e->set = false;
    PCHECK(pthread_mutex_unlock(&e->lock));
}

struct runner {
    pthread_t thread;
    char name[16];
};

static void *run(void *arg)
{
    struct runner *r = arg;

    say(r->name, "%s waits for the start", r->name);
    event_wait(&start);
    say(r->name, "%s is off", r->name);
    return NULL;
}

static void starter_pause(void)
{
    if (sleep_seconds(demo_seconds(&demo, 1)) == -1)
        die_errno("nanosleep");
}

int main(int argc, char **argv)
{
    struct runner runners[RUNNERS];

    demo_init(&demo, argc, argv,
              "threading.Event from a mutex and a condition variable: set wakes every waiter.");
    for (int i = 0; i < RUNNERS; i++)
        snprintf(runners[i].name, sizeof runners[i].name, "runner %d", i + 1);
    for (int i = 0; i < RUNNERS - 1; i++)
        PCHECK(pthread_create(&runners[i].thread, NULL, run, &runners[i]));
    starter_pause();
    say("starter", "starter: go!");
    event_set(&start);
    starter_pause();
    say("starter", "starter: clear, for the next race");
    event_clear(&start);
    PCHECK(pthread_create(&runners[RUNNERS - 1].thread, NULL, run, &runners[RUNNERS - 1]));
    starter_pause();
    say("starter", "starter: go!");
    event_set(&start);
    for (int i = 0; i < RUNNERS; i++)
        PCHECK(pthread_join(runners[i].thread, NULL));
    demo_finish(&demo);
    return 0;
}
