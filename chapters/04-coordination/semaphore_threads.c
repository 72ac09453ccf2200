/*
 * semaphore_threads.c: a POSIX semaphore lets 2 of 5 downloads run at once, never 3.
 *
 * Chapter 4. threading.Semaphore(2) in C is sem_t, set to 2 by sem_init:
 *     sem = threading.Semaphore(2)
 *     def download(n, seconds):
 *         with sem: print(f"download {n} started"); time.sleep(seconds); print(...)
 * sem_wait takes a permit or blocks until a sem_post returns one. The downloads take 1, 1.5, 1, 1
 * and 1.25 s: 5.75 s one after the other, 3 to 3.5 s two at a time, depending on the order in
 * which the threads get their permits: they start in no fixed order, and POSIX says a sem_post
 * wakes "one of" the waiting threads, not which. macOS has no unnamed semaphores (sem_init fails
 * with ENOSYS there): use sem_open, or GCD's dispatch_semaphore.
 * Compare with semaphore_loop.c, asyncio.Semaphore on the loop, first come first served.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define DOWNLOADS 5
#define AT_ONCE 2

/* How long each download takes, in seconds. */
static const double seconds[DOWNLOADS] = {1, 1.5, 1, 1, 1.25};

static struct demo demo;
static sem_t permits;

/* A probe: how many downloads are inside now, and the most there ever were. */
static pthread_mutex_t probe = PTHREAD_MUTEX_INITIALIZER;
static int inside, most_inside;

static void count_inside(int change)
{
    PCHECK(pthread_mutex_lock(&probe));
    inside += change;
    if (inside > most_inside)
        most_inside = inside;
    PCHECK(pthread_mutex_unlock(&probe));
}

struct downloader {
    pthread_t thread;
    char name[16];
    double seconds;
};

static void *download(void *arg)
{
    struct downloader *d = arg;

    while (sem_wait(&permits) == -1) {
        if (errno != EINTR) /* a signal handler ran: wait again */
            die_errno("sem_wait");
    }
    count_inside(+1);
    say(d->name, "%s started", d->name);
    if (sleep_seconds(demo_seconds(&demo, d->seconds)) == -1)
        die_errno("nanosleep");
    say(d->name, "%s done", d->name);
    count_inside(-1);
    if (sem_post(&permits) == -1)
        die_errno("sem_post");
    return NULL;
}

int main(int argc, char **argv)
{
    struct downloader downloads[DOWNLOADS];

    demo_init(&demo, argc, argv, "5 downloads on threads, at most 2 at once (sem_t): 3 to 3.5 s.");
    if (sem_init(&permits, 0, AT_ONCE) == -1) /* 0: shared by threads, not processes */
        die_errno("sem_init");
    for (int i = 0; i < DOWNLOADS; i++) {
        snprintf(downloads[i].name, sizeof downloads[i].name, "download %d", i + 1);
        downloads[i].seconds = seconds[i];
        PCHECK(pthread_create(&downloads[i].thread, NULL, download, &downloads[i]));
    }
    for (int i = 0; i < DOWNLOADS; i++)
        PCHECK(pthread_join(downloads[i].thread, NULL));
    if (sem_destroy(&permits) == -1)
        die_errno("sem_destroy");
    say("main", "%d downloads, at most %d at once", DOWNLOADS, most_inside);
    demo_finish(&demo);
    return 0;
}
