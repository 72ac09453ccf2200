/*
 * thread_memory.c: 100 waiting threads: 8 MiB of address space each, a few KiB of memory (Linux).
 *
 * Chapter 2. Reads VmSize (address space mapped), VmRSS (pages really in RAM) and Threads from
 * /proc/self/status, which is Linux's; this is the chapter's only Linux-only program. Each thread
 * gets a stack of the default size (ulimit -s, usually 8 MiB) plus a guard page, mapped but not
 * touched: the kernel gives it a page of RAM only when first written. A thread that has returned
 * keeps its stack until it is joined; a detached thread gives it back as it ends (glibc keeps up
 * to 40 MiB of freed stacks for the next threads). The figures vary a little from run to run.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "task.h"
#include "timeline.h"

#define THREADS 100
#define POLL_SECONDS 0.001   /* how often to look whether the threads have ended */
#define POLL_LIMIT_SECONDS 5 /* and for how long, before giving up */

static struct demo demo;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arrival = PTHREAD_COND_INITIALIZER; /* main waits on it */
static pthread_cond_t release = PTHREAD_COND_INITIALIZER; /* the threads wait on it */
static int arrived;   /* threads of this round that have started; guarded by lock */
static bool released; /* main has measured: the threads may end; guarded by lock */

struct status {
    long threads, vm_kib, rss_kib;
};

/* Read one "Name: value" field from a /proc file, in the file's unit (kB for sizes). */
static long proc_field(const char *path, const char *name)
{
    char line[256];
    long value = -1;
    size_t len = strlen(name);
    FILE *f = fopen(path, "r");

    if (f == NULL)
        die_errno(path); /* not Linux, or no /proc mounted */
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && line[len] == ':')
            sscanf(line + len + 1, "%ld", &value);
    }
    fclose(f);
    if (value < 0)
        die_msg("%s has no %s line", path, name);
    return value;
}

static struct status read_status(void)
{
    return (struct status){.threads = proc_field("/proc/self/status", "Threads"),
                           .vm_kib = proc_field("/proc/self/status", "VmSize"),
                           .rss_kib = proc_field("/proc/self/status", "VmRSS")};
}

static void show(const char *label, struct status s)
{
    say("main", "%-32s %7ld %12ld %11ld", label, s.threads, s.vm_kib, s.rss_kib);
}

/* What every thread does: say it has started, then wait (asleep) until main releases it. */
static void *wait_for_release(void *arg)
{
    (void)arg;
    PCHECK(pthread_mutex_lock(&lock));
    if (++arrived == THREADS)
        PCHECK(pthread_cond_signal(&arrival));
    while (!released)
        PCHECK(pthread_cond_wait(&release, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Start THREADS threads with `attr` and return once all of them are running, waiting. */
static void start_all(pthread_t threads[], const pthread_attr_t *attr)
{
    PCHECK(pthread_mutex_lock(&lock));
    arrived = 0;
    released = false;
    PCHECK(pthread_mutex_unlock(&lock));
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_create(&threads[i], attr, wait_for_release, NULL));
    PCHECK(pthread_mutex_lock(&lock));
    while (arrived < THREADS)
        PCHECK(pthread_cond_wait(&arrival, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
}

/*
 * Release the threads and wait until the kernel counts THREADS fewer than `waiting` threads.
 * Nothing else waits for a thread to end without joining it (a join would free its stack), so we
 * look, every ms.
 */
static void release_and_watch(long waiting)
{
    PCHECK(pthread_mutex_lock(&lock));
    released = true;
    PCHECK(pthread_cond_broadcast(&release));
    PCHECK(pthread_mutex_unlock(&lock));
    for (double waited = 0; proc_field("/proc/self/status", "Threads") > waiting - THREADS;
         waited += POLL_SECONDS) {
        if (waited > POLL_LIMIT_SECONDS)
            die_msg("the threads did not end within %d s", POLL_LIMIT_SECONDS);
        if (sleep_seconds(POLL_SECONDS) == -1)
            die_errno("nanosleep");
    }
}

int main(int argc, char **argv)
{
    static pthread_t threads[THREADS];
    pthread_attr_t detached;
    size_t stack_size;
    struct status before, waiting;
    long kernel_stacks;

    demo_init(&demo, argc, argv, "What 100 waiting threads cost in address space and in memory.");
    PCHECK(pthread_attr_init(&detached));
    PCHECK(pthread_attr_getstacksize(&detached, &stack_size)); /* unset: the default size */
    PCHECK(pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED));
    say("main", "default thread stack size: %zu KiB", stack_size / 1024);
    say("main", "%-32s %7s %12s %11s", "", "Threads", "VmSize (KiB)", "VmRSS (KiB)");

    before = read_status();
    kernel_stacks = proc_field("/proc/meminfo", "KernelStack");
    show("at the start", before);
    start_all(threads, NULL);
    waiting = read_status();
    kernel_stacks = proc_field("/proc/meminfo", "KernelStack") - kernel_stacks;
    show("100 threads waiting", waiting);
    release_and_watch(waiting.threads);
    show("100 threads ended, not joined", read_status());
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    show("all 100 joined", read_status());
    start_all(threads, &detached);
    release_and_watch(read_status().threads);
    show("100 detached threads ended", read_status());

    say("main", "per waiting thread: %.1f KiB of address space, %.1f KiB resident",
        (double)(waiting.vm_kib - before.vm_kib) / THREADS,
        (double)(waiting.rss_kib - before.rss_kib) / THREADS);
    say("main",
        "kernel stacks, whole machine (KernelStack in /proc/meminfo): %+ld KiB, %.1f KiB "
        "per thread, not in VmRSS",
        kernel_stacks, (double)kernel_stacks / THREADS);
    say("main", "a task waiting on the event loop: its struct, sizeof(struct task) = %zu bytes",
        sizeof(struct task));
    PCHECK(pthread_attr_destroy(&detached));
    demo_finish(&demo);
    return 0;
}
