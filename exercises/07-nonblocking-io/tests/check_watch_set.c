/*
 * check_watch_set.c: tests of the watch set: select() with a master set, and a guard on the value.
 *
 * Chapter 7, exercise watch_set.c. The watched descriptors are the read ends of pipes, placed at
 * chosen numbers with dup2() where the number matters (1023, the last one an fd_set can hold;
 * 1024, the first it cannot). A refused descriptor must leave the struct exactly as it was, bit
 * for bit: FD_SET(1024, &set) would write into the field after the set, and the test would see it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "exercises.h"
#include "testing.h"

#define ENOUGH 500 /* ms: a wait for a descriptor that is ready already */
#define SHORT 100  /* ms: a wait that must time out */
#define HIGH 200   /* two descriptor numbers well apart, for the order tests */
#define LOW 100
#define MAX_READY 8

struct pipe_end {
    int r, w;
};

static struct pipe_end open_pipe(void)
{
    int fds[2];

    ck_assert_msg(pipe(fds) == 0, "pipe: %s", strerror(errno));
    return (struct pipe_end){fds[0], fds[1]};
}

/* A pipe whose read end is descriptor `at` exactly (whatever else was there is replaced). */
static struct pipe_end open_pipe_at(int at)
{
    struct pipe_end p = open_pipe();

    ck_assert_msg(dup2(p.r, at) == at, "dup2(%d, %d): %s", p.r, at, strerror(errno));
    close(p.r);
    p.r = at;
    return p;
}

static void close_pipe(struct pipe_end p)
{
    close(p.r);
    close(p.w);
}

static void make_readable(struct pipe_end p)
{
    ck_assert_int_eq(write(p.w, "x", 1), 1);
}

static void make_empty(struct pipe_end p)
{
    char c;

    ck_assert_int_eq(read(p.r, &c, 1), 1);
}

/*
 * Let this process open descriptor `fd`: raise the soft limit on open files above it, within
 * the hard limit. Each test runs in a process of its own, so this changes nothing elsewhere.
 * Returns false if the hard limit does not allow it.
 */
static bool allow_descriptor(int fd)
{
    struct rlimit rl;

    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)fd)
        return true;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= (rlim_t)fd)
        return false;
    rl.rlim_cur = (rlim_t)fd + 1;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    return true;
}

/* watch_set_init on a struct full of garbage, as a fresh local variable may be. */
static void fresh_set(struct watch_set *ws)
{
    memset(ws, 0xA5, sizeof *ws);
    watch_set_init(ws);
}

static void add_ok(struct watch_set *ws, int fd)
{
    int rc;

    errno = 0;
    rc = watch_set_add(ws, fd);
    ck_assert_msg(rc == 0, "watch_set_add(%d) returned %d (errno %d: %s), expected 0", fd, rc,
                  errno, strerror(errno));
}

/* watch_set_add(fd) must fail with `err` and leave the set as it was, bit for bit. */
static void expect_refused(struct watch_set *ws, int fd, int err, const char *why)
{
    struct watch_set before = *ws;
    int rc;

    errno = 0;
    rc = watch_set_add(ws, fd);
    ck_assert_msg(rc == -1 && errno == err,
                  "watch_set_add(%d) returned %d (errno %d: %s), expected -1 with %s: %s", fd, rc,
                  errno, strerror(errno), err == EINVAL ? "EINVAL" : "EBADF", why);
    ck_assert_msg(memcmp(&before, ws, sizeof before) == 0,
                  "watch_set_add(%d) failed but changed the set (maxfd %d, was %d): a refused "
                  "descriptor must leave it exactly as it was",
                  fd, ws->maxfd, before.maxfd);
}

/* Wait and fail unless exactly the descriptors `want` (ascending) were reported. */
static void expect_ready(struct watch_set *ws, int timeout_ms, int max, const int want[], int nwant)
{
    struct watch_set before = *ws;
    int ready[MAX_READY] = {0}, n;

    errno = 0;
    n = watch_set_wait(ws, timeout_ms, ready, max);
    ck_assert_msg(n == nwant,
                  "watch_set_wait(%d ms, max %d) returned %d (errno %d: %s), expected %d ready%s",
                  timeout_ms, max, n, errno, strerror(errno), nwant,
                  n == 0 && nwant > 0 ? " (is the highest descriptor left out of select()?)" : "");
    for (int i = 0; i < nwant; i++)
        ck_assert_msg(ready[i] == want[i], "ready[%d] is %d, expected %d (lowest first)", i,
                      ready[i], want[i]);
    ck_assert_msg(memcmp(&before, ws, sizeof before) == 0,
                  "watch_set_wait changed the set: select() must get a copy of the master set, "
                  "never the master itself");
}

/* ---- the guard ----------------------------------------------------------------------------- */

START_TEST(refuses_fd_setsize_and_above)
{
    struct watch_set ws;
    struct pipe_end p = open_pipe();

    fresh_set(&ws);
    add_ok(&ws, p.r);
    expect_refused(&ws, FD_SETSIZE, EINVAL, "an fd_set has no bit for it (open or not)");
    expect_refused(&ws, FD_SETSIZE + 1, EINVAL, "an fd_set has no bit for it");
    if (allow_descriptor(FD_SETSIZE)) {
        struct pipe_end big = open_pipe_at(FD_SETSIZE);

        expect_refused(&ws, big.r, EINVAL, "open, but an fd_set has no bit for it");
        close_pipe(big);
    } else {
        test_skip("refuses_fd_setsize_and_above: the hard limit here keeps descriptor 1024 "
                  "from opening; checked while closed only");
    }
    close_pipe(p);
}
END_TEST

START_TEST(refuses_negative_descriptors)
{
    struct watch_set ws;

    fresh_set(&ws);
    expect_refused(&ws, -1, EINVAL, "descriptors are never negative");
    expect_refused(&ws, -FD_SETSIZE, EINVAL, "descriptors are never negative");
}
END_TEST

START_TEST(refuses_a_closed_descriptor)
{
    struct watch_set ws;
    struct pipe_end p = open_pipe();

    fresh_set(&ws);
    close(p.r);
    expect_refused(&ws, p.r, EBADF, "it is not open");
    close(p.w);
}
END_TEST

START_TEST(accepts_the_last_value_an_fd_set_holds)
{
    struct watch_set ws;
    struct pipe_end last;
    const int want[] = {FD_SETSIZE - 1};

    if (!allow_descriptor(FD_SETSIZE - 1)) {
        test_skip("accepts_the_last_value_an_fd_set_holds: the hard limit here is too low");
        return;
    }
    last = open_pipe_at(FD_SETSIZE - 1);
    fresh_set(&ws);
    add_ok(&ws, last.r);
    make_readable(last);
    expect_ready(&ws, ENOUGH, MAX_READY, want, 1);
    close_pipe(last);
}
END_TEST

/* ---- waiting ------------------------------------------------------------------------------- */

START_TEST(reports_only_the_ready_ones)
{
    struct watch_set ws;
    struct pipe_end p[3] = {open_pipe(), open_pipe(), open_pipe()};
    const int want[] = {p[1].r};

    fresh_set(&ws);
    for (int i = 0; i < 3; i++)
        add_ok(&ws, p[i].r);
    make_readable(p[1]);
    expect_ready(&ws, ENOUGH, MAX_READY, want, 1);
    for (int i = 0; i < 3; i++)
        close_pipe(p[i]);
}
END_TEST

START_TEST(lowest_first_and_no_more_than_max)
{
    struct watch_set ws;
    struct pipe_end p[3] = {open_pipe(), open_pipe(), open_pipe()};
    const int all[] = {p[0].r, p[1].r, p[2].r};

    fresh_set(&ws);
    for (int i = 2; i >= 0; i--)
        add_ok(&ws, p[i].r);
    for (int i = 0; i < 3; i++)
        make_readable(p[i]);
    expect_ready(&ws, ENOUGH, 2, all, 2);
    expect_ready(&ws, ENOUGH, MAX_READY, all, 3);
    for (int i = 0; i < 3; i++)
        close_pipe(p[i]);
}
END_TEST

START_TEST(the_set_survives_a_wait)
{
    struct watch_set ws;
    struct pipe_end a = open_pipe(), b = open_pipe();
    const int only_b[] = {b.r}, only_a[] = {a.r};

    fresh_set(&ws);
    add_ok(&ws, a.r);
    add_ok(&ws, b.r);
    make_readable(b);
    expect_ready(&ws, ENOUGH, MAX_READY, only_b, 1);
    make_empty(b);
    make_readable(a); /* a was not ready last time: is it still watched? */
    expect_ready(&ws, ENOUGH, MAX_READY, only_a, 1);
    close_pipe(a);
    close_pipe(b);
}
END_TEST

START_TEST(sees_the_highest_descriptor)
{
    struct watch_set ws;
    struct pipe_end p = open_pipe();
    const int want[] = {p.r};

    fresh_set(&ws);
    add_ok(&ws, p.r);
    make_readable(p);
    expect_ready(&ws, SHORT, MAX_READY, want, 1);
    close_pipe(p);
}
END_TEST

START_TEST(added_in_any_order)
{
    struct watch_set ws;
    struct pipe_end high = open_pipe_at(HIGH), low = open_pipe_at(LOW);
    const int want[] = {HIGH};

    fresh_set(&ws);
    add_ok(&ws, HIGH);
    add_ok(&ws, LOW); /* smaller than the one before: the highest is still HIGH */
    ck_assert_msg(ws.maxfd == HIGH, "after adding %d then %d, maxfd is %d", HIGH, LOW, ws.maxfd);
    make_readable(high);
    expect_ready(&ws, SHORT, MAX_READY, want, 1);
    close_pipe(high);
    close_pipe(low);
}
END_TEST

START_TEST(remove_stops_watching)
{
    struct watch_set ws;
    struct pipe_end high = open_pipe_at(HIGH), low = open_pipe_at(LOW);

    fresh_set(&ws);
    ck_assert_msg(ws.maxfd == -1, "an empty set has maxfd %d, expected -1", ws.maxfd);
    add_ok(&ws, LOW);
    add_ok(&ws, HIGH);
    add_ok(&ws, HIGH); /* twice is fine */
    watch_set_remove(&ws, HIGH);
    ck_assert_msg(ws.maxfd == LOW, "after removing %d, maxfd is %d, expected %d", HIGH, ws.maxfd,
                  LOW);
    make_readable(high);
    expect_ready(&ws, SHORT, MAX_READY, NULL, 0);
    watch_set_remove(&ws, -1); /* ignored, and nothing written out of bounds */
    watch_set_remove(&ws, FD_SETSIZE);
    watch_set_remove(&ws, HIGH);
    watch_set_remove(&ws, LOW);
    ck_assert_msg(ws.maxfd == -1, "with nothing left, maxfd is %d, expected -1", ws.maxfd);
    close_pipe(high);
    close_pipe(low);
}
END_TEST

START_TEST(timeouts)
{
    struct watch_set ws;
    struct pipe_end p = open_pipe();
    const int want[] = {p.r};
    struct timespec t0, t1;
    double took;

    fresh_set(&ws);
    expect_ready(&ws, SHORT / 10, MAX_READY, NULL, 0); /* nothing watched: just a wait */
    add_ok(&ws, p.r);
    expect_ready(&ws, 0, MAX_READY, NULL, 0);
    ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
    expect_ready(&ws, SHORT, MAX_READY, NULL, 0);
    ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t1), 0);
    took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* A timeout never ends early (the margin is for the clock's rounding). */
    ck_assert_msg(took >= SHORT / 1000.0 * 0.9, "a %d ms timeout ended after %.3f s", SHORT, took);
    make_readable(p);
    expect_ready(&ws, -1, MAX_READY, want, 1); /* -1: no time limit */
    close_pipe(p);
}
END_TEST

START_TEST(reports_select_errors)
{
    struct watch_set ws, before;
    struct pipe_end p = open_pipe();
    int ready[MAX_READY], n;

    fresh_set(&ws);
    add_ok(&ws, p.r);
    close(p.r); /* still watched, no longer open: select() fails with EBADF */
    before = ws;
    errno = 0;
    n = watch_set_wait(&ws, SHORT, ready, MAX_READY);
    ck_assert_msg(n == -1 && errno == EBADF,
                  "waiting on a closed descriptor: watch_set_wait returned %d (errno %d: %s), "
                  "expected -1 with EBADF: after an error, select()'s sets mean nothing",
                  n, errno, strerror(errno));
    ck_assert_msg(memcmp(&before, &ws, sizeof before) == 0, "watch_set_wait changed the set");
    close(p.w);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 7 exercises");
    TCase *tc = test_case(s, "watch_set");

    tcase_add_test(tc, refuses_fd_setsize_and_above);
    tcase_add_test(tc, refuses_negative_descriptors);
    tcase_add_test(tc, refuses_a_closed_descriptor);
    tcase_add_test(tc, accepts_the_last_value_an_fd_set_holds);
    tcase_add_test(tc, reports_only_the_ready_ones);
    tcase_add_test(tc, lowest_first_and_no_more_than_max);
    tcase_add_test(tc, the_set_survives_a_wait);
    tcase_add_test(tc, sees_the_highest_descriptor);
    tcase_add_test(tc, added_in_any_order);
    tcase_add_test(tc, remove_stops_watching);
    tcase_add_test(tc, timeouts);
    tcase_add_test(tc, reports_select_errors);
    return s;
}
