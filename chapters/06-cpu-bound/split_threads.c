/*
 * split_threads.c: one CPU-bound job split over 1, 2 and 4 threads: on 2 cores, about 2x faster.
 *
 * Chapter 6. The job of cpu_work.h is cut into one equal chunk per thread; each thread adds up its
 * chunk and main adds up the threads' sums after joining them. For each thread count it prints
 * the sum (the same for every count), how many threads were computing at once, then the wall time,
 * the CPU time of the whole process and the speed-up, the best of RUNS runs. Compare with
 * split_threads_gil.c: the same job, with one lock held while computing, as in CPython.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>

#include "clock.h"
#include "cpu_work.h"
#include "demo.h"
#include "errors.h"
#include "measure.h"
#include "timeline.h"

#define JOB_ITEMS 5e6 /* items at scale 1: about a quarter of a second on one core */
#define RUNS 3        /* each figure is the best of this many runs */
#define MAX_THREADS 4
#define BUSY_MACHINE 0.9 /* one thread alone using less of a core than this: others are running */

static const int thread_counts[] = {1, 2, MAX_THREADS};
#define NCOUNTS (sizeof thread_counts / sizeof thread_counts[0])

struct worker {
    pthread_t thread;
    uint64_t lo, hi; /* its chunk: items lo .. hi-1 */
    uint64_t sum;    /* its result, read by main after the join */
};

struct figures {
    uint64_t sum;
    int at_once; /* the most threads that were computing at once */
    double wall, cpu;
};

static pthread_barrier_t all_inside;

static void *work(void *arg)
{
    struct worker *w = arg;
    int rc;

    enter();
    /* Start computing together. With every thread counted before any goes on, the count is
     * exactly the number of threads, on any machine: nothing here keeps two threads apart. */
    rc = pthread_barrier_wait(&all_inside);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        die_errnum(rc, "pthread_barrier_wait");
    w->sum = work_range(w->lo, w->hi);
    leave();
    return NULL;
}

static struct figures run(int nthreads, uint64_t items)
{
    struct worker workers[MAX_THREADS];
    struct figures f = {0};
    double wall0 = clock_now(), cpu0 = cpu_seconds();

    measure_reset();
    PCHECK(pthread_barrier_init(&all_inside, NULL, (unsigned)nthreads));
    for (int k = 0; k < nthreads; k++) {
        /* Chunk k is [k*items/n, (k+1)*items/n): sizes differ by at most one, none is lost. */
        workers[k].lo = items * (uint64_t)k / (uint64_t)nthreads;
        workers[k].hi = items * (uint64_t)(k + 1) / (uint64_t)nthreads;
        PCHECK(pthread_create(&workers[k].thread, NULL, work, &workers[k]));
    }
    for (int k = 0; k < nthreads; k++) {
        PCHECK(pthread_join(workers[k].thread, NULL));
        f.sum += workers[k].sum;
    }
    f.wall = clock_now() - wall0;
    f.cpu = cpu_seconds() - cpu0;
    PCHECK(pthread_barrier_destroy(&all_inside));
    f.at_once = most_at_once();
    return f;
}

int main(int argc, char **argv)
{
    struct demo demo;
    struct figures best[NCOUNTS];
    uint64_t items;

    demo_init(&demo, argc, argv,
              "A CPU-bound job on 1, 2 and 4 threads: sums, wall and CPU time, speed-ups.");
    items = (uint64_t)demo_seconds(&demo, JOB_ITEMS) + 1; /* -s scales the job */
    say("main", "job: %" PRIu64 " items, one chunk per thread, best of %d runs", items, RUNS);
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
    say("main", "threads  wall      CPU       cores used  speed-up");
    for (size_t c = 0; c < NCOUNTS; c++)
        say("main", "%-7d  %.3f s  %.3f s  %-10.2f  %.2fx", thread_counts[c], best[c].wall,
            best[c].cpu, best[c].cpu / best[c].wall, best[0].wall / best[c].wall);
    if (best[0].cpu < BUSY_MACHINE * best[0].wall)
        say("main",
            "note: one thread alone got %.0f%% of a core: other programs are busy, so the "
            "figures mislead",
            100 * best[0].cpu / best[0].wall);
    demo_finish(&demo);
    return 0;
}
