/*
 * cond_if_bug.c: BUG DEMONSTRATION: a wait under `if`: a stolen wake-up takes a missing item.
 *
 * Chapter 4. cond_while.c with one word changed: consumer 1 checks the queue with `if` instead of
 * `while`, so after pthread_cond_wait returns it takes an item without looking again. The program
 * forces the unlucky order on every run: consumer 1 waits; the producer puts item 1, unlocks, and
 * only then signals; in between, consumer 2 takes item 1 without waiting. Consumer 1 wakes up to
 * an empty queue and "takes" item 2, which nobody has put yet: the count goes to -1. Nothing in
 * POSIX rules this out even without the forcing: a woken thread must win the lock again first,
 * and a wait may also end with no signal at all (a spurious wake-up). The fix is cond_while.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER; /* the queue has had an item put */
static pthread_cond_t moved_on = PTHREAD_COND_INITIALIZER;  /* for main: consumer 1 moved on */

/* The queue, kept as numbers: items are numbered 1, 2, ... in the order they are put. */
static int count, next_put = 1, next_take = 1;
static int phantom;        /* an item taken from an empty queue, or 0 */
static int waits, wakeups; /* consumer 1's: how often it began to wait, and woke up */

/* Take the next item; the caller holds the lock. Notes it if there was none to take. */
static int take(void)
{
    if (count == 0)
        phantom = next_take;
    count--;
    return next_take++;
}

static void *consumer_1(void *arg)
{
    int item;

    (void)arg;
    PCHECK(pthread_mutex_lock(&lock));
    if (count == 0) { /* THE BUG: cond_while.c has `while` here */
        say("consumer 1", "consumer 1: the queue is empty, waiting");
        waits++;
        PCHECK(pthread_cond_broadcast(&moved_on));
        PCHECK(pthread_cond_wait(&not_empty, &lock));
        wakeups++;
        PCHECK(pthread_cond_broadcast(&moved_on));
        say("consumer 1", "consumer 1: woke up; queue count %d", count);
    }
    item = take();
    say("consumer 1", "consumer 1: took item %d; queue count %d", item, count);
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Comes along while consumer 1 sleeps, and finds an item without waiting. */
static void *consumer_2(void *arg)
{
    (void)arg;
    PCHECK(pthread_mutex_lock(&lock));
    if (count > 0) /* no wait here at all, so `if` is right */
        say("consumer 2", "consumer 2: took item %d without waiting", take());
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Main's own waits: until consumer 1 has begun waiting (or woken up) `n` times. */
static void wait_until(const int *counter, int n)
{
    PCHECK(pthread_mutex_lock(&lock));
    while (*counter < n)
        PCHECK(pthread_cond_wait(&moved_on, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
}

static void put(bool signal_inside)
{
    PCHECK(pthread_mutex_lock(&lock));
    count++;
    say("producer", "producer: put item %d", next_put++);
    if (signal_inside)
        PCHECK(pthread_cond_signal(&not_empty));
    PCHECK(pthread_mutex_unlock(&lock));
}

int main(int argc, char **argv)
{
    pthread_t first, second;

    demo_init(
        &demo, argc, argv,
        "BUG DEMONSTRATION: a consumer waits under `if`, and takes an item that is not there.");
    PCHECK(pthread_create(&first, NULL, consumer_1, NULL));
    /* Once main holds the lock after this, consumer 1 is inside pthread_cond_wait. */
    wait_until(&waits, 1);
    put(false);
    PCHECK(pthread_create(&second, NULL, consumer_2, NULL));
    PCHECK(pthread_join(second, NULL));
    /* Late: the item is gone. Signalling after the unlock is allowed; it opens this window. */
    say("producer", "producer: signal");
    PCHECK(pthread_cond_signal(&not_empty));
    wait_until(&wakeups, 1);
    put(true);
    PCHECK(pthread_join(first, NULL));
    if (phantom != 0)
        say("main", "BUG: item %d was taken from an empty queue, before anybody put it", phantom);
    else
        say("main", "every item was taken once, after it was put");
    demo_finish(&demo);
    return 0;
}
