/*
 * split_threads_gil.c: the same job under a GIL: one thread computes at a time, so no speed-up.
 *
 * Chapter 6. split_threads.c again, but a thread must hold the one global lock of gil.h to compute,
 * and hands it over every SWITCH_INTERVAL if another thread waits, as CPython's threads do with
 * their global interpreter lock (sys.getswitchinterval() is 0.005 s). The sums are the same; the
 * count of threads computing at once is 1, the wall time does not shrink with more threads, and
 * the CPU time stays about equal to it: one core busy. Compare with split_threads.c line by line.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>

#include "clock.h"
#include "cpu_work.h"
#include "demo.h"
#include "errors.h"
#include "gil.h"
#include "measure.h"
#include "timeline.h"

#define JOB_ITEMS 5e6 /* items at scale 1: about a quarter of a second on one core */
#define RUNS 3        /* each figure is the best of this many runs */
#define MAX_THREADS 4
#define BUSY_MACHINE 0.9 /* one thread alone using less of a core than this: others are running */
#define SWITCH_INTERVAL_NS (5 * NSEC_PER_SEC / 1000) /* CPython's default: 5 ms */
#define CHECK_EVERY 1000 /* items between two looks at the clock: about 50 microseconds */

static const int thread_counts[] = {1, 2, MAX_THREADS};
#define NCOUNTS (sizeof thread_counts / sizeof thread_counts[0])

struct worker {
    pthread_t thread;
    uint64_t lo, hi; /* its chunk: items lo .. hi-1 */
    uint64_t sum;    /* its result, read by main after the join */
    long hand_overs; /* how often it gave the GIL to a waiting thread */
};

struct figures {
    uint64_t sum;
    int at_once; /* the most threads that were computing at once */
    long hand_overs;
    double wall, cpu;
};

static struct gil gil = GIL_INITIALIZER;
static pthread_barrier_t all_started;

static void *work(void *arg)
{
    struct worker *w = arg;
    int64_t switch_at;
    int rc;

    /* Every thread is started before any asks for the GIL: all of them compete from the start. */
    rc = pthread_barrier_wait(&all_started);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        die_errnum(rc, "pthread_barrier_wait");
    gil_acquire(&gil);
    enter();
    switch_at = clock_now_ns() + SWITCH_INTERVAL_NS;
    for (uint64_t i = w->lo; i < w->hi; i += CHECK_EVERY) {
        w->sum += work_range(i, i + CHECK_EVERY < w->hi ? i + CHECK_EVERY : w->hi);
        if (clock_now_ns() >= switch_at) {
            leave(); /* not computing while the GIL is someone else's */
            w->hand_overs += gil_switch(&gil);
            enter();
            switch_at = clock_now_ns() + SWITCH_INTERVAL_NS;
        }
    }
    leave();
    gil_release(&gil);
    return NULL;
}

static struct figures run(int nthreads, uint64_t items)
{
    struct worker workers[MAX_THREADS];
    struct figures f = {0};
    double wall0 = clock_now(), cpu0 = cpu_seconds();

    measure_reset();
    PCHECK(pthread_barrier_init(&all_started, NULL, (unsigned)nthreads));
    for (int k = 0; k < nthreads; k++) {
        workers[k] = (struct worker){.lo = items * (uint64_t)k / (uint64_t)nthreads,
                                     .hi = items * (uint64_t)(k + 1) / (uint64_t)nthreads};
        PCHECK(pthread_create(&workers[k].thread, NULL, work, &workers[k]));
    }
    for (int k = 0; k < nthreads; k++) {
        PCHECK(pthread_join(workers[k].thread, NULL));
        f.sum += workers[k].sum;
        f.hand_overs += workers[k].hand_overs;
    }
    f.wall = clock_now() - wall0;
    f.cpu = cpu_seconds() - cpu0;
    PCHECK(pthread_barrier_destroy(&all_started));
    f.at_once = most_at_once();
    return f;
}

int main(int argc, char **argv)
{
    struct demo demo;
    struct figures best[NCOUNTS];
    uint64_t items;

    demo_init(&demo, argc, argv,
              "The same job with a GIL handed over every 5 ms: one thread computes at a time.");
    items = (uint64_t)demo_seconds(&demo, JOB_ITEMS) + 1; /* -s scales the job */
    say("main", "job: %" PRIu64 " items, one chunk per thread, best of %d runs, GIL", items, RUNS);
    say("main", "threads  sum               computing at once");
    for (size_t c = 0; c < NCOUNTS; c++) {
        for (int r = 0; r < RUNS; r++) {
            struct figures f = run(thread_counts[c], items);

            if (r == 0 || f.wall < best[c].wall)
                best[c] = f; /* the fastest run: the one least disturbed by other programs */
        }
        say("main", "%-7d  %016" PRIx64 "  %d", thread_counts[c], best[c].sum, best[c].at_once);
    }
    /* Cores used: CPU time over wall time, how many cores were busy on average. */
    say("main", "threads  wall      CPU       cores used  speed-up  GIL hand-overs");
    for (size_t c = 0; c < NCOUNTS; c++)
        say("main", "%-7d  %.3f s  %.3f s  %-10.2f  %.2fx     %ld", thread_counts[c], best[c].wall,
            best[c].cpu, best[c].cpu / best[c].wall, best[0].wall / best[c].wall,
            best[c].hand_overs);
    if (best[0].cpu < BUSY_MACHINE * best[0].wall)
        say("main",
            "note: one thread alone got %.0f%% of a core: other programs are busy, so the "
            "figures mislead",
            100 * best[0].cpu / best[0].wall);
    demo_finish(&demo);
    return 0;
}
