/*
 * two_readers_blocking.c: BUG DEMONSTRATION: select() told two readers "readable"; one blocks.
 *
 * Chapter 7. Two threads share a pipe with one byte in it. Both ask select(), and both are told
 * "readable", truthfully: at that moment there is a byte. Reader A reads it. When reader B reads,
 * nothing is left, and its blocking read() waits for data that may never come: here it waits
 * until main writes another byte, 1 s later. On an event loop that read() would have frozen every
 * task for that second. select() describes a moment; it reserves nothing.
 * Fixed counterpart: two_readers_nonblocking.c, where B's read() returns EAGAIN at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sys/select.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define LATER 1.0 /* seconds before main writes the second byte, before -s */

/* The script: who goes when. Each reader waits for its step, so the lines come in this order. */
enum { A_SELECTS, B_SELECTS, A_READS, B_READS, DONE };

struct reader {
    const char *name;
    int select_step, read_step;
};

static int fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int step = A_SELECTS;

static void wait_for_step(int s)
{
    PCHECK(pthread_mutex_lock(&lock));
    while (step < s)
        PCHECK(pthread_cond_wait(&changed, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
}

static void next_step(void)
{
    PCHECK(pthread_mutex_lock(&lock));
    step++;
    PCHECK(pthread_cond_broadcast(&changed));
    PCHECK(pthread_mutex_unlock(&lock));
}

static void wait_readable(const struct reader *r)
{
    fd_set readable;

    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    if (select(fds[0] + 1, &readable, NULL, NULL, NULL) == -1)
        die_errno("select");
    say(r->name, "reader %s: select() says the pipe is readable", r->name);
}

static void *reader_thread(void *arg)
{
    const struct reader *r = arg;
    char c;
    ssize_t n;

    wait_for_step(r->select_step);
    wait_readable(r);
    next_step();
    wait_for_step(r->read_step);
    n = read(fds[0], &c, 1); /* B: the pipe is empty again, and this read() blocks */
    if (n == -1)
        die_errno("read");
    say(r->name, "reader %s: read() got '%c'", r->name, n == 1 ? c : '?');
    next_step();
    return NULL;
}

int main(int argc, char **argv)
{
    struct reader a = {"A", A_SELECTS, A_READS}, b = {"B", B_SELECTS, B_READS};
    pthread_t ta, tb;
    struct demo demo;

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: both readers told readable, one byte: B's read() blocks 1 s.");
    if (pipe(fds) == -1)
        die_errno("pipe");
    if (write(fds[1], "x", 1) != 1)
        die_errno("write");
    PCHECK(pthread_create(&ta, NULL, reader_thread, &a));
    PCHECK(pthread_create(&tb, NULL, reader_thread, &b));
    wait_for_step(B_READS);
    if (sleep_seconds(demo_seconds(&demo, LATER)) == -1)
        die_errno("nanosleep");
    say("main", "main: writes 'y', %g s later", LATER);
    if (write(fds[1], "y", 1) != 1)
        die_errno("write");
    PCHECK(pthread_join(ta, NULL));
    PCHECK(pthread_join(tb, NULL));
    if (close(fds[0]) == -1 || close(fds[1]) == -1)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
