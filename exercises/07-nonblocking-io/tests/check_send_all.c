/*
 * check_send_all.c: tests of send_all() over a socketpair with a tiny buffer.
 *
 * Chapter 7, exercise send_all.c. send_all runs on a writer thread; a reader thread drains the
 * other end, in pieces, and checks that every byte arrives once and in order.
 *
 * How the tests see *how* send_all waits. This file defines write() and send() itself: the code
 * under test, linked into the same program, calls these instead of the C library's. Each one
 * forwards to the real function (found with dlsym(RTLD_NEXT, ...)) and, for the socket under
 * test, counts the calls that wrote something and those that returned EAGAIN. Then a busy wait
 * is easy to catch without measuring CPU time: while the reader reads nothing, the buffer stays
 * full, so a send_all that waits for writability gets EAGAIN once and sleeps in select() or
 * poll(), where one that spins (or naps and tries again) gets EAGAIN over and over.
 * A send_all that never returns (waiting for the wrong event, retrying an error forever) is
 * caught by a deadline, with a message, well before the test's own time limit.
 */
#define _GNU_SOURCE      /* RTLD_NEXT, in glibc (it implies _POSIX_C_SOURCE 200809L) */
#define _DARWIN_C_SOURCE /* RTLD_NEXT, on macOS */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "exercises.h"
#include "testing.h"

#define TOTAL (256 * 1024) /* bytes each test sends: many times the socket buffer */
#define TINY_BUFFER 4096   /* SO_SNDBUF and SO_RCVBUF asked for (Linux doubles them) */
#define DEADLINE 2.0       /* seconds send_all may take (deadline_seconds says more) */
#define SANITIZED_SLOWER 2 /* ... times this under a sanitizer */
#define HOLDS 3            /* pauses of the reader in waits_instead_of_spinning */
#define HOLD 0.3           /* seconds of each pause: long for a spinner, nothing for a sleeper */
#define SPIN_LIMIT 3       /* EAGAINs in one pause: a waiting send_all gets at most 1 */
#define SIGNALS 10         /* signals sent to the writer in survives_signals */
#define SIGNAL_GAP 0.01    /* seconds between two of them */
#define FILL_LOOKS 100     /* looks, SIGNAL_GAP apart at most, for the buffer to fill first */
#define MAX_PIECE 5000     /* the reader reads at most this much at a time */
#define CLOSE_AFTER                                                                                \
    10000 /* bytes the reader takes before hanging up, in reports_a_closed_reader                  \
           */

/* ---- the probe: write() and send(), counted ------------------------------------------------ */

typedef ssize_t write_fn(int, const void *, size_t);
typedef ssize_t send_fn(int, const void *, size_t, int);

static pthread_once_t found = PTHREAD_ONCE_INIT;
static write_fn *real_write;
static send_fn *real_send;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int fd;       /* the socket whose calls are counted, or -1 */
    long wrote;   /* calls on it that wrote something */
    long eagain;  /* calls on it that returned -1 with EAGAIN or EWOULDBLOCK */
    size_t bytes; /* bytes those calls wrote */
} probe = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, 0, 0, 0};

static void find_real(void)
{
    /* Converting dlsym's void * to a function pointer: POSIX requires that it works. */
    *(void **)&real_write = dlsym(RTLD_NEXT, "write");
    *(void **)&real_send = dlsym(RTLD_NEXT, "send");
}

static void count(int fd, ssize_t n, int err)
{
    if (pthread_mutex_lock(&probe.lock) != 0)
        abort();
    if (fd == probe.fd && n > 0) {
        probe.wrote++;
        probe.bytes += (size_t)n;
    } else if (fd == probe.fd && n == -1 && (err == EAGAIN || err == EWOULDBLOCK)) {
        probe.eagain++;
        if (pthread_cond_broadcast(&probe.changed) != 0)
            abort();
    }
    if (pthread_mutex_unlock(&probe.lock) != 0)
        abort();
}

ssize_t write(int fd, const void *buf, size_t len)
{
    ssize_t n;
    int err;

    if (pthread_once(&found, find_real) != 0 || real_write == NULL)
        abort();
    n = real_write(fd, buf, len);
    err = errno;
    count(fd, n, err);
    errno = err;
    return n;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    ssize_t n;
    int err;

    if (pthread_once(&found, find_real) != 0 || real_send == NULL)
        abort();
    n = real_send(fd, buf, len, flags);
    err = errno;
    count(fd, n, err);
    errno = err;
    return n;
}

static long eagain_count(void)
{
    long n;

    PCHECK(pthread_mutex_lock(&probe.lock));
    n = probe.eagain;
    PCHECK(pthread_mutex_unlock(&probe.lock));
    return n;
}

/* A deadline `seconds` from now, for pthread_cond_timedwait (which reads CLOCK_REALTIME). */
static struct timespec deadline_in(double seconds)
{
    struct timespec t;
    int64_t ns;

    ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, &t), 0);
    ns = (int64_t)t.tv_nsec + (int64_t)(seconds * 1e9);
    t.tv_sec += (time_t)(ns / 1000000000);
    t.tv_nsec = (long)(ns % 1000000000);
    return t;
}

/*
 * Wait at most `seconds` until the EAGAIN count is above `above`. Returns the count then. This
 * is a wait for an event with a time limit, not a sleep: it ends as soon as the event comes.
 */
static long wait_for_eagain_above(long above, double seconds)
{
    struct timespec until = deadline_in(seconds);
    long n;
    int rc = 0;

    PCHECK(pthread_mutex_lock(&probe.lock));
    while (probe.eagain <= above && rc == 0)
        rc = pthread_cond_timedwait(&probe.changed, &probe.lock, &until);
    n = probe.eagain;
    PCHECK(pthread_mutex_unlock(&probe.lock));
    ck_assert_msg(rc == 0 || rc == ETIMEDOUT, "pthread_cond_timedwait: %s", strerror(rc));
    return n;
}

/* ---- the two ends -------------------------------------------------------------------------- */

enum reader_mode { DRAIN, HOLD_THEN_DRAIN, HANG_UP };

struct test {
    int writer_fd, reader_fd;
    unsigned char *data; /* TOTAL bytes to send */
    size_t len;          /* how many of them this test sends */

    /* the writer thread's outcome */
    pthread_mutex_t lock;
    pthread_cond_t finished;
    bool done;
    int rc, err;

    /* the reader thread */
    enum reader_mode mode;
    unsigned char *received;
    size_t nreceived;
    long most_eagain_in_a_hold; /* EAGAINs counted while the reader read nothing */
};

static void *writer(void *arg)
{
    struct test *t = arg;
    int rc = send_all(t->writer_fd, t->data, t->len);
    int err = errno;

    PCHECK(pthread_mutex_lock(&t->lock));
    t->rc = rc;
    t->err = err;
    t->done = true;
    PCHECK(pthread_cond_signal(&t->finished));
    PCHECK(pthread_mutex_unlock(&t->lock));
    return NULL;
}

/* Read pieces of varying sizes until end of file, or until `limit` bytes. */
static void drain(struct test *t, size_t limit, uint32_t *seed)
{
    while (t->nreceived < limit) {
        size_t want = 1 + (*seed = *seed * 1664525u + 1013904223u) % MAX_PIECE;
        ssize_t n;

        if (want > limit - t->nreceived)
            want = limit - t->nreceived;
        n = read(t->reader_fd, t->received + t->nreceived, want);
        if (n == -1 && errno == EINTR)
            continue;
        ck_assert_msg(n != -1, "the reader's read() failed: %s", strerror(errno));
        if (n == 0)
            return;
        t->nreceived += (size_t)n;
    }
}

static void *reader(void *arg)
{
    struct test *t = arg;
    uint32_t seed = 12345;

    if (t->mode == HOLD_THEN_DRAIN) {
        for (int h = 0; h < HOLDS; h++) {
            /* Read nothing for HOLD seconds (less, if the writer is caught spinning). */
            long before = eagain_count();
            long during = wait_for_eagain_above(before + SPIN_LIMIT, HOLD) - before;

            if (during > t->most_eagain_in_a_hold)
                t->most_eagain_in_a_hold = during;
            drain(t, t->nreceived + MAX_PIECE, &seed);
        }
    }
    if (t->mode == HANG_UP) {
        drain(t, CLOSE_AFTER, &seed);
        ck_assert_msg(close(t->reader_fd) == 0, "close: %s", strerror(errno));
        t->reader_fd = -1;
        return NULL;
    }
    drain(t, SIZE_MAX, &seed);
    return NULL;
}

/* Ignored in every test: a write to a closed socket must fail with EPIPE, not kill the test. */
static void ignore_sigpipe(void)
{
    struct sigaction sa = {.sa_handler = SIG_IGN};

    ck_assert_int_eq(sigemptyset(&sa.sa_mask), 0);
    ck_assert_int_eq(sigaction(SIGPIPE, &sa, NULL), 0);
}

/* A socketpair with tiny buffers, the writer's end non-blocking, and TOTAL bytes to send. */
static void setup(struct test *t, size_t len, enum reader_mode mode)
{
    int sv[2], size = TINY_BUFFER, flags;
    uint32_t seed = 99;

    *t = (struct test){.len = len, .mode = mode};
    ignore_sigpipe();
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size), 0);
    ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size), 0);
    flags = fcntl(sv[0], F_GETFL);
    ck_assert_int_ne(flags, -1);
    ck_assert_int_eq(fcntl(sv[0], F_SETFL, flags | O_NONBLOCK), 0);
    t->writer_fd = sv[0];
    t->reader_fd = sv[1];
    t->data = malloc(TOTAL);
    t->received = malloc(TOTAL + 1);
    ck_assert(t->data != NULL && t->received != NULL);
    /* Bytes whose order shows: no two pieces of the stream look alike. */
    for (size_t i = 0; i < TOTAL; i++)
        t->data[i] = (unsigned char)((seed = seed * 1664525u + 1013904223u) >> 24);
    PCHECK(pthread_mutex_init(&t->lock, NULL));
    PCHECK(pthread_cond_init(&t->finished, NULL));
    PCHECK(pthread_mutex_lock(&probe.lock));
    probe.fd = t->writer_fd;
    probe.wrote = probe.eagain = 0;
    probe.bytes = 0;
    PCHECK(pthread_mutex_unlock(&probe.lock));
}

/*
 * The seconds send_all may take: DEADLINE (a correct one takes a few ms, the reader's pauses
 * apart), doubled under a sanitizer, which makes every call slower (CK_TIMEOUT_MULTIPLIER is
 * set then), plus the reader's pauses.
 */
static double deadline_seconds(const struct test *t)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double pauses = t->mode == HOLD_THEN_DRAIN ? HOLDS * HOLD : 0;

    return DEADLINE * (m != NULL && atof(m) > 1 ? SANITIZED_SLOWER : 1) + pauses;
}

/* Wait for the writer, at most the deadline; fail with a message if it is not done by then. */
static void wait_for_writer(struct test *t, pthread_t thread)
{
    double limit = deadline_seconds(t);
    struct timespec until = deadline_in(limit);
    int rc = 0;

    PCHECK(pthread_mutex_lock(&t->lock));
    while (!t->done && rc == 0)
        rc = pthread_cond_timedwait(&t->finished, &t->lock, &until);
    PCHECK(pthread_mutex_unlock(&t->lock));
    ck_assert_msg(t->done,
                  "send_all has not returned after %.0f s (%zu of %zu bytes read, %ld write() "
                  "calls that returned EAGAIN): does it wait for readability instead of "
                  "writability, sleep between tries, or retry an error that will not go away?",
                  limit, t->nreceived, t->len, eagain_count());
    PCHECK(pthread_join(thread, NULL));
}

/* The writer is done: hang up, so that the reader sees the end of the stream. */
static void hang_up(struct test *t)
{
    /* In HANG_UP mode the reader may have hung up first: then there is nothing to tell. */
    ck_assert_msg(shutdown(t->writer_fd, SHUT_WR) == 0 || t->mode == HANG_UP, "shutdown: %s",
                  strerror(errno));
}

/* True once send_all has returned. */
static bool writer_done(struct test *t)
{
    bool done;

    PCHECK(pthread_mutex_lock(&t->lock));
    done = t->done;
    PCHECK(pthread_mutex_unlock(&t->lock));
    return done;
}

/* Run send_all against the reader; when it returns, hang up so that the reader sees the end. */
static void run(struct test *t)
{
    pthread_t w, r;

    PCHECK(pthread_create(&r, NULL, reader, t));
    PCHECK(pthread_create(&w, NULL, writer, t));
    wait_for_writer(t, w);
    hang_up(t);
    PCHECK(pthread_join(r, NULL));
}

static void teardown(struct test *t)
{
    PCHECK(pthread_mutex_lock(&probe.lock));
    probe.fd = -1;
    PCHECK(pthread_mutex_unlock(&probe.lock));
    close(t->writer_fd);
    if (t->reader_fd != -1)
        close(t->reader_fd);
    free(t->data);
    free(t->received);
    PCHECK(pthread_mutex_destroy(&t->lock));
    PCHECK(pthread_cond_destroy(&t->finished));
}

/* send_all returned 0, every byte arrived once and in order, and fd is still non-blocking. */
static void expect_everything_sent(struct test *t)
{
    size_t same = 0;
    int flags = fcntl(t->writer_fd, F_GETFL);

    ck_assert_msg(t->rc == 0 || t->err != EAGAIN,
                  "send_all returned -1 with EAGAIN after %zu bytes: EAGAIN means \"not now\", "
                  "not \"never\": wait until the socket is writable, then go on",
                  t->nreceived);
    ck_assert_msg(t->rc == 0, "send_all returned %d (errno %d: %s), expected 0", t->rc, t->err,
                  strerror(t->err));
    while (same < t->nreceived && same < t->len && t->received[same] == t->data[same])
        same++;
    ck_assert_msg(t->nreceived == t->len && same == t->len,
                  "%zu bytes sent, %zu arrived, the first %zu of them right: a partial write "
                  "ignored, or the rest sent from the wrong place?",
                  t->len, t->nreceived, same);
    ck_assert_msg(probe.bytes == t->len, "write() took %zu bytes in all, for %zu to send",
                  probe.bytes, t->len);
    ck_assert_msg(flags != -1 && (flags & O_NONBLOCK),
                  "the socket is no longer non-blocking after send_all");
}

/* ---- the tests ----------------------------------------------------------------------------- */

START_TEST(sends_everything_in_order)
{
    struct test t;

    setup(&t, TOTAL, DRAIN);
    run(&t);
    expect_everything_sent(&t);
    teardown(&t);
}
END_TEST

START_TEST(sends_a_short_message)
{
    struct test t;

    setup(&t, 100, DRAIN);
    run(&t);
    expect_everything_sent(&t);
    teardown(&t);
}
END_TEST

START_TEST(sends_nothing)
{
    struct test t;

    setup(&t, 0, DRAIN);
    run(&t);
    expect_everything_sent(&t);
    teardown(&t);
}
END_TEST

START_TEST(waits_instead_of_spinning)
{
    struct test t;

    setup(&t, TOTAL, HOLD_THEN_DRAIN);
    run(&t);
    expect_everything_sent(&t);
    ck_assert_msg(t.most_eagain_in_a_hold <= SPIN_LIMIT,
                  "while the reader read nothing for %g s, send_all's write() returned EAGAIN "
                  "%ld times (more than %d): it tries again without waiting (a busy wait). Wait "
                  "until select() or poll() says the socket is writable",
                  HOLD, t.most_eagain_in_a_hold, SPIN_LIMIT);
    teardown(&t);
}
END_TEST

/* Does nothing: a signal only has to interrupt whatever send_all is waiting in. */
static void on_signal(int sig)
{
    (void)sig;
}

START_TEST(survives_signals)
{
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: waits end with EINTR */
    struct test t;
    pthread_t w, r;

    ck_assert_int_eq(sigemptyset(&sa.sa_mask), 0);
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
    setup(&t, TOTAL, DRAIN);
    PCHECK(pthread_create(&w, NULL, writer, &t));
    /* No reader yet: once the buffer is full, the writer waits. Interrupt that wait, often. */
    /* Until the buffer is full (a send_all that waits before every write never sees EAGAIN). */
    for (int i = 0; i < FILL_LOOKS && eagain_count() == 0 && !writer_done(&t); i++)
        wait_for_eagain_above(0, SIGNAL_GAP);
    for (int i = 0; i < SIGNALS && !writer_done(&t); i++) {
        struct timespec gap = {0, (long)(SIGNAL_GAP * 1e9)};
        int rc = pthread_kill(w, SIGUSR1);

        ck_assert_msg(rc == 0 || rc == ESRCH, "pthread_kill: %s", strerror(rc));
        nanosleep(&gap, NULL); /* pacing the signals, not waiting for an event */
    }
    PCHECK(pthread_create(&r, NULL, reader, &t));
    wait_for_writer(&t, w);
    hang_up(&t);
    PCHECK(pthread_join(r, NULL));
    ck_assert_msg(t.rc == 0 || t.err != EINTR,
                  "send_all returned -1 with EINTR: a signal interrupted its wait; that is not an "
                  "error, wait again");
    expect_everything_sent(&t);
    teardown(&t);
}
END_TEST

START_TEST(reports_a_closed_reader)
{
    struct test t;

    setup(&t, TOTAL, HANG_UP);
    run(&t);
    ck_assert_msg(t.rc == -1 && t.err == EPIPE,
                  "the reader hung up after %d bytes: send_all returned %d (errno %d: %s), "
                  "expected -1 with EPIPE",
                  CLOSE_AFTER, t.rc, t.err, strerror(t.err));
    teardown(&t);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 7 exercises");
    TCase *tc = test_case(s, "send_all");

    tcase_add_test(tc, sends_everything_in_order);
    tcase_add_test(tc, sends_a_short_message);
    tcase_add_test(tc, sends_nothing);
    tcase_add_test(tc, waits_instead_of_spinning);
    tcase_add_test(tc, survives_signals);
    tcase_add_test(tc, reports_a_closed_reader);
    return s;
}
