/*
 * gil_handover.c: two threads pass a lock every 5 ms: a plain mutex may keep it; tickets alternate.
 *
 * Chapter 6. Threads A and B each compute SLICES slices of 5 ms, holding a global lock, and
 * after each slice let go of it so the other can have a turn, as CPython's threads do every switch
 * interval. The holder writes its letter in a log, one per slice. First the lock is a plain
 * mutex, let go with unlock-then-lock: POSIX promises nothing about who gets it next, and the
 * thread that just unlocked usually wins. Then it is gil.h's ticket lock: first come, first
 * served, so the log alternates exactly. Compare with split_threads_gil.c, which uses the latter.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "gil.h"
#include "timeline.h"

#define SLICES 20           /* per thread */
#define SLICE_SECONDS 0.005 /* CPython's switch interval, scaled by -s */
#define NTHREADS 2

static struct demo demo;
static bool use_tickets; /* which lock this round uses */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static struct gil gil = GIL_INITIALIZER;
static char holders[NTHREADS * SLICES + 1]; /* who held the lock for each slice, in order */
static int nlogged;                         /* written only by the lock's holder */

static void take(void)
{
    if (use_tickets)
        gil_acquire(&gil);
    else
        PCHECK(pthread_mutex_lock(&mutex));
}

static void let_go(void)
{
    if (use_tickets)
        gil_release(&gil);
    else
        PCHECK(pthread_mutex_unlock(&mutex));
}

/* Keep the CPU busy for one slice: the stand-in for running Python code. */
static void compute_slice(void)
{
    int64_t until = clock_now_ns() + seconds_to_ns(demo_seconds(&demo, SLICE_SECONDS));
    volatile unsigned long spins = 0;

    while (clock_now_ns() < until)
        spins++;
}

static void *thread(void *arg)
{
    char letter = *(const char *)arg;

    take();
    for (int s = 0; s < SLICES; s++) {
        compute_slice();
        holders[nlogged++] = letter;
        if (s + 1 == SLICES)
            break;
        if (use_tickets) {
            gil_switch(&gil); /* the other thread is always queued: it gets the next slice */
        } else {
            PCHECK(pthread_mutex_unlock(&mutex)); /* the other thread is woken, and then ... */
            PCHECK(pthread_mutex_lock(&mutex));   /* ... may find the mutex taken again */
        }
    }
    let_go();
    return NULL;
}

static void run_round(const char *name, bool tickets)
{
    static const char letters[NTHREADS] = {'A', 'B'};
    pthread_t threads[NTHREADS];
    int changes = 0, run = 1, longest = 0;

    use_tickets = tickets;
    nlogged = 0;
    take(); /* main holds the lock while both threads start, so that both wait for it */
    for (int k = 0; k < NTHREADS; k++) {
        PCHECK(pthread_create(&threads[k], NULL, thread, (void *)&letters[k]));
        if (tickets)
            gil_await_waiters(&gil, (unsigned long)k + 1); /* A's ticket comes before B's */
    }
    let_go();
    for (int k = 0; k < NTHREADS; k++)
        PCHECK(pthread_join(threads[k], NULL));
    holders[nlogged] = '\0';
    /* A run of one letter is a turn: the other thread waited that many slices. The last turn is
     * left out: the other thread had finished by then, and was not waiting. */
    for (int i = 1; i < nlogged; i++) {
        if (holders[i] == holders[i - 1]) {
            run++;
            continue;
        }
        changes++;
        longest = run > longest ? run : longest;
        run = 1;
    }
    say("main", "%s %s", name, holders);
    say("main", "%s %d hand-over%s in %d chances, the other thread waited up to %d slice%s", name,
        changes, changes == 1 ? "" : "s", nlogged - 1, longest, longest == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
    demo_init(&demo, argc, argv,
              "Two threads hand a global lock over every 5 ms: a plain mutex, then tickets.");
    run_round("plain mutex:", false);
    run_round("ticket lock:", true);
    demo_finish(&demo);
    return 0;
}
