/*
 * check_programs.c: chapter 10's programs, black box. The loop programs print the same lines in
 * the same order on every run: the tests check every one, and, through the program's own -T
 * record, when wait_for_loop's caller went on (at the limit plus the cleanup, not before). The
 * thread programs are checked for their outcomes (a timeout after the full time, a mutex left
 * locked by a cancelled thread, EINTR, EPIPE), never for exact times. Every program's -h and a bad
 * option are checked too.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

#define SCALE "0.1"
#define SCALE_VALUE 0.1
#define EARLY_MARGIN 0.005 /* a timer never fires early; allow for the clock's rounding */
#define LATE_MARGIN 0.5    /* of the unscaled seconds: a busy machine may wake a timer late */
#define WAIT_FOR_SCALE "0.2"
#define WAIT_FOR_SCALE_VALUE 0.2
#define WAIT_FOR_LATE 0.45 /* of wait_for_loop's seconds: under 0.5, so 2.5 s is not "2 s" */
#define N(array) (sizeof(array) / sizeof((array)[0]))

static struct proc_result r;

static const char *const programs[] = {
    "wait_for_loop",     "cancel_cleanup_loop", "future_error_loop",  "gather_vs_group_loop",
    "stop_flag_threads", "timedwait_monotonic", "cancel_threads_bug", "cancel_threads_cleanup",
    "pthread_errors",    "eintr_read",          "sigpipe_socket",
};

START_TEST(wait_for_gives_up_at_the_limit_after_the_cleanup)
{
    static const char *const expected[] = {
        "main: wait_for(fast, 2 s)",
        "fast: started, needs 1 s",
        "fast: done",
        "main: fast returned \"fast\" in time",
        "main: wait_for(slow, 2 s)",
        "slow: started, needs 3 s",
        "slow: cancelled: closing its connection",
        "slow: connection closed",
        "main: slow timed out (ETIMEDOUT), and its cleanup is over: yes",
    };
    char record[] = "/tmp/ttw-ch10-XXXXXX";
    int fd = mkstemp(record);
    FILE *f;
    double at[N(expected)], t;
    size_t n = 0;
    char line[512];

    ck_assert_msg(fd != -1, "mkstemp failed");
    close(fd);
    run_program(&r, "wait_for_loop", "-s", WAIT_FOR_SCALE, "-T", record, NULL);
    expect_lines(&r, expected, N(expected));
    f = fopen(record, "r");
    ck_assert_msg(f != NULL, "no -T record");
    while (n < N(at) && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "%lf", &t) == 1)
            at[n++] = t / WAIT_FOR_SCALE_VALUE; /* in the program's own (unscaled) seconds */
    fclose(f);
    unlink(record);
    ck_assert_uint_eq(n, N(expected));
    /* Times from main's first line, in the program's own seconds: fast works 1 s; slow starts
     * right after it, is cancelled 2 s later (the limit, not its 3 s), and main goes on only after
     * the 0.5 s cleanup. A late timer may add up to WAIT_FOR_LATE; none may come early. */
    ck_assert_msg(at[3] - at[0] >= 1 - EARLY_MARGIN, "fast done after %.2f s, not 1 s",
                  at[3] - at[0]);
    ck_assert_msg(at[6] - at[5] >= 2 - EARLY_MARGIN && at[6] - at[5] < 2 + WAIT_FOR_LATE,
                  "slow was cancelled %.2f s after it started; the limit is 2 s", at[6] - at[5]);
    ck_assert_msg(at[8] - at[6] >= 0.5 - EARLY_MARGIN && at[8] - at[6] < 0.5 + WAIT_FOR_LATE,
                  "main went on %.2f s after slow was cancelled, expected 0.5 s (its cleanup)",
                  at[8] - at[6]);
}
END_TEST

START_TEST(a_cancelled_worker_gives_back_the_lock)
{
    static const char *const expected[] = {
        "a: connected (1 open), waits for the lock",
        "a: holds the lock, works 2 s",
        "b: connected (2 open), waits for the lock",
        "main: cancels a",
        "a: cancelled: lock released, connection closed (1 open)",
        "b: holds the lock, works 2 s",
        "b: done, lock released (0 open)",
        "main: c ran nothing: cancelled; open connections: 0; lock held: no",
    };

    run_program(&r, "cancel_cleanup_loop", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(an_error_nobody_retrieved_is_reported)
{
    static const char *const expected[] = {
        "main: awaits fetch; nobody awaits orphan",
        "network: fetch: connection refused (future_set_error)",
        "network: orphan: connection refused (future_set_error)",
        "main: fetch failed: Connection refused",
        "main: releases both futures (stderr reports what nobody retrieved)",
    };

    run_program(&r, "future_error_loop", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
    ck_assert_msg(strstr(r.err, "future orphan: an error nobody retrieved: Connection refused"),
                  "stderr does not report the orphan's error: '%s'", r.err);
    ck_assert_msg(strstr(r.err, "fetch") == NULL, "stderr reports fetch, which was retrieved: '%s'",
                  r.err);
}
END_TEST

START_TEST(gather_lets_them_run_a_group_cancels)
{
    static const char *const expected[] = {
        "main: gather(a, b, c)",
        "a: done after 1 s",
        "b: fails after 1.5 s: Connection reset by peer",
        "c: done after 3 s",
        "main: gather: a: ok",
        "main: gather: b: Connection reset by peer",
        "main: gather: c: ok",
        "main: TaskGroup(a2, b2, c2)",
        "a2: done after 1 s",
        "b2: fails after 1.5 s: Connection reset by peer",
        "c2: cancelled, cleans up",
        "main: group: a2: ok",
        "main: group: b2: Connection reset by peer",
        "main: group: c2: Operation canceled",
        "main: the group failed with: Connection reset by peer",
    };

    run_program(&r, "gather_vs_group_loop", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
    /* gather waits for c's 3 s, the group stops at b's 1.5 s: 4.5 s in all, not 6. */
    ck_assert_msg(r.elapsed >= 4.5 * SCALE_VALUE - EARLY_MARGIN, "took %.3f s", r.elapsed);
}
END_TEST

START_TEST(the_stop_flag_is_seen_between_steps)
{
    run_program(&r, "stop_flag_threads", "-s", SCALE, NULL);
    ck_assert_int_eq(find_line(&r, "worker: started, works in steps of 0.2 s"), 0);
    ck_assert_msg(
        find_line(&r, "main: sets the stop flag") <
                find_line(&r, "worker: saw the stop flag between two steps, freed its buffer") &&
            find_line(&r, "main: sets the stop flag") >= 0,
        "the worker did not stop after the flag was set");
    ck_assert_msg(find_line(&r, "main: joined the worker") == (int)r.nlines - 2, "join line");
}
END_TEST

START_TEST(a_monotonic_timed_wait_times_out_after_the_full_time)
{
    static const char *const expected[] = {
        "main: a condition measures CLOCK_REALTIME by default; ours measures CLOCK_MONOTONIC",
        "main: nobody answered: ETIMEDOUT, and not before the deadline: yes",
        "helper: answers",
        "main: answered in time",
    };

    run_program(&r, "timedwait_monotonic", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(a_cancelled_thread_leaves_its_mutex_locked)
{
    static const char *const expected[] = {
        "worker: holds the mutex and 4096 bytes, blocks in read()",
        "main: pthread_cancel(worker)",
        "main: joined: the worker was cancelled",
        "main: trylock: EBUSY: the mutex is still locked, by nobody alive",
        "main: bytes never freed: 4096",
    };

    if (test_sanitized(NULL)) {
        test_skip("a bug demonstration: not built under sanitizers");
        return;
    }
    run_program(&r, "cancel_threads_bug", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(cleanup_handlers_unlock_and_free)
{
    static const char *const expected[] = {
        "worker: holds the mutex and 4096 bytes, blocks in read()",
        "main: pthread_cancel(worker)",
        "worker: cleanup handlers: buffer freed, mutex unlocked",
        "main: joined: the worker was cancelled",
        "main: trylock: free: the handler unlocked it",
        "main: bytes never freed: 0",
    };

    run_program(&r, "cancel_threads_cleanup", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(pthread_errors_are_returned_not_in_errno)
{
    static const char *const expected[] = {
        "pthread_join(self): returned EDEADLK (Resource deadlock avoided)",
        "pthread_join(self): errno is 0 after it, so perror() would say \"Success\"",
        "pthread_mutex_unlock (not the owner): returned EPERM (Operation not permitted)",
        ("pthread_mutex_unlock (not the owner): errno is 0 after it, so perror() would say "
         "\"Success\""),
    };

    run_program(&r, "pthread_errors", NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(eintr_and_the_retry_loop)
{
    static const char *const expected[] = {
        "main: 1. no SA_RESTART: one read()",
        "main: read() returned -1: EINTR: interrupted, nothing read",
        "main: 2. no SA_RESTART: retry while EINTR",
        "main: read() returned 1 byte after retrying on EINTR",
        "main: signals: 3; read() retried on EINTR: yes",
        "main: 3. SA_RESTART: one read(); a child process writes the byte",
        "main: read() returned 1 byte, no EINTR seen: the kernel restarted it",
    };

    run_program(&r, "eintr_read", "-s", SCALE, NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(sigpipe_kills_epipe_does_not)
{
    static const char *const expected[] = {
        "main: the peer has closed its end",
        "main: 1. a child writes with the default SIGPIPE action",
        "main: the child was killed by signal SIGPIPE",
        "main: 2. send(..., MSG_NOSIGNAL)",
        "main: send returned -1, errno EPIPE (Broken pipe)",
        "main: 3. SIGPIPE ignored, then write()",
        "main: write returned -1, errno EPIPE (Broken pipe)",
    };

    run_program(&r, "sigpipe_socket", NULL);
    expect_lines(&r, expected, N(expected));
}
END_TEST

START_TEST(every_program_has_help_and_refuses_a_bad_option)
{
    for (size_t i = 0; i < N(programs); i++) {
        char path[512];
        char *argv_h[] = {path, "-h", NULL}, *argv_bad[] = {path, "-Q", NULL};

        if (test_sanitized(NULL) && strcmp(programs[i], "cancel_threads_bug") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        ck_assert_int_eq(proc_run(argv_h, 10, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && r.nlines >= 1, "%s -h: exit %d", programs[i],
                      r.exit_code);
        ck_assert_int_eq(proc_run(argv_bad, 10, true, &r), 0);
        ck_assert_msg(r.exit_code == 2, "%s -Q: exit %d, expected 2", programs[i], r.exit_code);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 10 programs");
    TCase *loop = test_case(s, "loop: wait_for, cancellation, errors, gather vs group");
    TCase *threads = test_case(s, "threads: stop flag, timed wait, cancel, errors, signals");
    TCase *options = test_case(s, "options");

    tcase_add_test(loop, wait_for_gives_up_at_the_limit_after_the_cleanup);
    tcase_add_test(loop, a_cancelled_worker_gives_back_the_lock);
    tcase_add_test(loop, an_error_nobody_retrieved_is_reported);
    tcase_add_test(loop, gather_lets_them_run_a_group_cancels);
    tcase_add_test(threads, the_stop_flag_is_seen_between_steps);
    tcase_add_test(threads, a_monotonic_timed_wait_times_out_after_the_full_time);
    tcase_add_test(threads, a_cancelled_thread_leaves_its_mutex_locked);
    tcase_add_test(threads, cleanup_handlers_unlock_and_free);
    tcase_add_test(threads, pthread_errors_are_returned_not_in_errno);
    tcase_add_test(threads, eintr_and_the_retry_loop);
    tcase_add_test(threads, sigpipe_kills_epipe_does_not);
    tcase_add_test(options, every_program_has_help_and_refuses_a_bad_option);
    return s;
}
