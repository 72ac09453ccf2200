/*
 * check_programs.c: chapter 7's programs, black box. Each runs scaled down (-s), and its lines
 * are checked, in order (every program here fixes its order: one thread, or threads and processes
 * that take turns through the data they pass). Times are checked where the time is the lesson: a
 * read() that blocks until a writer comes, a select() that waits out its timeout for an empty
 * pipe, a reader blocked until the next byte, a watchdog that ends a stuck read. The times are
 * the program's own (its -T table, written by say() as each line is printed), so when this test
 * happens to read the pipe, on a busy machine, does not count. The byte counts of partial_writes
 * are the kernel's, so the test checks that they add up, not what they are.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include "testing.h"

#define SCALE "0.2"
#define SCALE_VALUE 0.2
/*
 * The waits here are 1 s (0.2 s scaled) or half that. A wait never ends early (a sleep, a timeout,
 * a timer), so a wait shows as a gap of at least its length, less the clock's rounding. That a
 * call did *not* wait is checked by what it returned (EAGAIN, select()'s count), never by a
 * time: on a busy machine any line may be printed late.
 */
#define EARLY_MARGIN 0.005
#define WAIT 1.0    /* the programs' waits (writer delay, watchdog, timeout), before -s */
#define GAP 0.5     /* echo_clients.h's ECHO_GAP */
#define TOTAL 32768 /* partial_writes.c's TOTAL */
#define KEPT 40     /* characters of a line the -T table surely keeps (it cuts them shorter) */
#define N(array) (sizeof(array) / sizeof((array)[0]))

static struct proc_result r;

/* When the program printed each line, by its own clock: the -T table that say() writes. */
static struct {
    double at;
    char text[PROC_LINE_MAX];
} printed[PROC_MAX_LINES];
static size_t nprinted;

/*
 * Run a chapter program scaled down, with its -T table: "seconds<TAB>thread<TAB>task<TAB>text"
 * per line it printed. Only the program's own process writes it: the clients of the echo programs
 * are a child process, whose lines are on stdout but not in the table.
 */
static void run_timed(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX", line[2 * PROC_LINE_MAX];
    int fd = mkstemp(table);
    FILE *f;

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    run_program(&r, program, "-s", SCALE, "-T", table, NULL);
    f = fopen(table, "r");
    ck_assert_msg(f != NULL, "%s wrote no -T table", program);
    for (nprinted = 0; nprinted < PROC_MAX_LINES && fgets(line, sizeof line, f) != NULL;) {
        ck_assert_msg(sscanf(line, "%lf\t%*[^\t]\t%*[^\t]\t%[^\n]", &printed[nprinted].at,
                             printed[nprinted].text) == 2,
                      "bad -T line: %s", line);
        nprinted++;
    }
    fclose(f);
    unlink(table);
}

/* When the program printed `text` (the table may keep only its start). */
static double when(const char *text)
{
    for (size_t i = 0; i < nprinted; i++) {
        size_t kept = strlen(printed[i].text);

        if (strncmp(text, printed[i].text, kept) == 0 && (text[kept] == '\0' || kept >= KEPT))
            return printed[i].at;
    }
    ck_abort_msg("'%s' is not in the program's -T table", text);
    return -1;
}

/* Line b was printed at least `seconds` after line a: something waited that long. */
static void expect_wait(const char *a, const char *b, double seconds)
{
    double gap = when(b) - when(a);

    ck_assert_msg(gap >= seconds - EARLY_MARGIN,
                  "'%s' was printed %.3f s after '%s'; expected at least %.3f s", b, gap, a,
                  seconds);
}

/* ---- read(): blocking and not ---------------------------------------------------------------- */

START_TEST(a_blocking_read_waits_for_the_writer)
{
    const char *const lines[] = {
        "main: read() on the empty pipe; the thread sleeps in the kernel until data comes",
        "writer: write() of 5 bytes", "main: read() returned 5 bytes: 'hello'"};

    run_timed("read_blocking");
    expect_lines(&r, lines, N(lines));
    expect_wait(lines[0], lines[2], WAIT * SCALE_VALUE);
}
END_TEST

START_TEST(a_nonblocking_read_answers_at_once)
{
    const char *const lines[] = {
        "O_NONBLOCK is set on the pipe's read end; the pipe is empty",
        "read(64 bytes): -1, errno EAGAIN (Resource temporarily unavailable): nothing yet, come "
        "back later",
        "wrote 5 bytes into the pipe",
        "read(64 bytes): 5 bytes, 'hello': only what was there",
        "read(64 bytes): -1, errno EAGAIN (Resource temporarily unavailable): nothing yet, come "
        "back later",
        "closed the write end",
        "read(64 bytes): 0, end of file: no writer is left, no data will ever come"};

    run_timed("read_nonblocking");
    expect_lines(&r, lines, N(lines));
}
END_TEST

/* ---- partial writes ------------------------------------------------------------------------ */

START_TEST(partial_writes_add_up)
{
    size_t sent = 0, received = 0, partial = 0, full = 0, i = 1;
    int asked_for, kernel_set;
    size_t n_partial, n_full;

    run_program(&r, "partial_writes", "-s", SCALE, NULL);
    ck_assert_msg(!r.truncated, "partial_writes printed more lines than the test keeps");
    ck_assert_msg(r.nlines > 3 && sscanf(r.lines[0],
                                         "SO_SNDBUF: asked for %d bytes, the kernel "
                                         "set %d",
                                         &asked_for, &kernel_set) == 2,
                  "first line: '%s'", r.nlines ? r.lines[0] : "");
    ck_assert_msg(kernel_set > 0 && kernel_set < TOTAL,
                  "the socket buffer (%d bytes) must be smaller than the %d bytes sent", kernel_set,
                  TOTAL);
    for (; i < r.nlines; i++) {
        size_t asked, took;

        if (sscanf(r.lines[i], "write(%zu bytes) took %zu", &asked, &took) == 2) {
            ck_assert_msg(asked == TOTAL - sent, "line %zu, '%s': %zu bytes were left to send",
                          i + 1, r.lines[i], TOTAL - sent);
            ck_assert_msg(took > 0 && took <= asked, "line %zu: '%s'", i + 1, r.lines[i]);
            partial += took < asked;
            sent += took;
        } else if (sscanf(r.lines[i], "write(%zu bytes): -1, EAGAIN: the buffer is full", &asked) ==
                   1) {
            ck_assert_msg(asked == TOTAL - sent, "line %zu: '%s'", i + 1, r.lines[i]);
            full++;
        } else if (sscanf(r.lines[i], "  the other end: read(%zu bytes) got %zu", &asked, &took) ==
                   2) {
            ck_assert_msg(asked == TOTAL - received && took > 0 && took <= sent - received,
                          "line %zu, '%s': %zu bytes sent, %zu received before", i + 1, r.lines[i],
                          sent, received);
            received += took;
        } else {
            break;
        }
    }
    ck_assert_msg(sent == TOTAL && received == TOTAL, "%zu bytes sent, %zu received, of %d", sent,
                  received, TOTAL);
    ck_assert_msg(partial > 0 && full > 0,
                  "%zu partial writes and %zu EAGAINs: expected some of "
                  "each with a %d-byte buffer",
                  partial, full, kernel_set);
    ck_assert_msg(i + 2 == r.nlines, "unexpected line %zu: '%s'", i + 1, r.lines[i]);
    ck_assert_msg(sscanf(r.lines[i],
                         "%*d bytes sent: %zu partial writes, %zu found the buffer "
                         "full",
                         &n_partial, &n_full) == 2 &&
                      n_partial == partial && n_full == full,
                  "the summary '%s' does not match the lines (%zu partial, %zu full)", r.lines[i],
                  partial, full);
    ck_assert_str_eq(r.lines[i + 1], "all 32768 bytes arrived, in order");
}
END_TEST

/* ---- the echo servers ---------------------------------------------------------------------- */

/* What every echo server's clients print, and what the servers print between, in order. */
static const char *const echo_lines[] = {"client 2: sends 'hello from client 2'",
                                         "server: echoes 'hello from client 2' on socket 2",
                                         "client 2: got 'hello from client 2' back",
                                         "client 0: sends 'hello from client 0'",
                                         "server: echoes 'hello from client 0' on socket 0",
                                         "client 0: got 'hello from client 0' back",
                                         "client 1: sends 'hello from client 1'",
                                         "server: echoes 'hello from client 1' on socket 1",
                                         "client 1: got 'hello from client 1' back",
                                         "client 0: hangs up",
                                         "server: socket 0: end of file; closing it",
                                         "client 0: the server hung up too",
                                         "client 1: hangs up",
                                         "server: socket 1: end of file; closing it",
                                         "client 1: the server hung up too",
                                         "client 2: hangs up",
                                         "server: socket 2: end of file; closing it",
                                         "client 2: the server hung up too",
                                         "server: every socket is closed; done"};

/* The clients speak GAP apart, in the script's order, and each is served at once. */
static void expect_echo_times(void)
{
    expect_wait(echo_lines[1], echo_lines[4], GAP * SCALE_VALUE);
    expect_wait(echo_lines[4], echo_lines[7], GAP * SCALE_VALUE);
}

START_TEST(echo_select_serves_whoever_speaks)
{
    const char *lines[N(echo_lines) + 6];
    size_t n = 0;

    /* The same lines, with select()'s answer before each server line: always 1 here. */
    for (size_t i = 0; i < N(echo_lines); i++) {
        if (strncmp(echo_lines[i], "server: ", 8) == 0 && i + 1 < N(echo_lines))
            lines[n++] = "server: select() returned 1";
        lines[n++] = echo_lines[i];
    }
    run_timed("echo_select");
    expect_lines(&r, lines, n);
    expect_echo_times();
}
END_TEST

START_TEST(echo_loop_serves_whoever_speaks)
{
    run_timed("echo_loop");
    expect_lines(&r, echo_lines, N(echo_lines));
    expect_echo_times();
}
END_TEST

START_TEST(echo_threads_serve_whoever_speaks)
{
    run_timed("echo_threads");
    expect_lines(&r, echo_lines, N(echo_lines));
    expect_echo_times();
}
END_TEST

START_TEST(reading_in_turn_gets_stuck)
{
    const char *const lines[] = {
        "server: read() on socket 0", "client 2: sends 'hello from client 2'",
        ("server: still in read() on socket 0, while socket 2 has data waiting: "
         "stuck, giving up"),
        "client 2: no echo: the server hung up", "server: closed every socket; done"};

    if (test_sanitized(NULL)) {
        test_skip("reading_in_turn_gets_stuck: a bug demonstration, not built here");
        return;
    }
    run_timed("echo_in_turn");
    expect_lines(&r, lines, N(lines));
    expect_wait(lines[0], lines[2], WAIT * SCALE_VALUE); /* the watchdog ended the read() */
}
END_TEST

/* ---- readable is not a promise --------------------------------------------------------------- */

START_TEST(a_reader_told_readable_can_block)
{
    const char *const lines[] = {"reader A: select() says the pipe is readable",
                                 "reader B: select() says the pipe is readable",
                                 "reader A: read() got 'x'", "main: writes 'y', 1 s later",
                                 "reader B: read() got 'y'"};

    if (test_sanitized(NULL)) {
        test_skip("a_reader_told_readable_can_block: a bug demonstration, not built here");
        return;
    }
    run_timed("two_readers_blocking");
    expect_lines(&r, lines, N(lines));
    expect_wait(lines[2], lines[4], WAIT * SCALE_VALUE); /* B sat in read() all that time */
}
END_TEST

START_TEST(a_nonblocking_reader_gets_eagain_instead)
{
    const char *const lines[] = {
        "reader A: select() says the pipe is readable",
        "reader B: select() says the pipe is readable",
        "reader A: read() got 'x'",
        "reader B: read() returned -1, EAGAIN: the byte is gone; back to select()",
        "main: writes 'y', 1 s later",
        "reader B: select() says the pipe is readable",
        "reader B: read() got 'y'"};

    run_timed("two_readers_nonblocking");
    expect_lines(&r, lines, N(lines));
    expect_wait(lines[3], lines[6], WAIT * SCALE_VALUE);
}
END_TEST

/* ---- FD_SETSIZE ------------------------------------------------------------------------------ */

/* The loop refused FD_SETSIZE, watched a small descriptor, and FD_SETSIZE - 1 if `big_open`. */
static void expect_refused_and_small_ones_watched(bool big_open)
{
    char line[PROC_LINE_MAX];
    int small = -1, fd, times;
    bool dup_line = false;

    for (size_t i = 0; i < r.nlines; i++) {
        if (sscanf(r.lines[i], "loop: descriptor %d is readable", &fd) == 1 && fd < FD_SETSIZE / 2)
            small = fd;
        if (sscanf(r.lines[i], "dup() %d times: descriptor %d is open", &times, &fd) == 2)
            dup_line = times > 0 && fd == FD_SETSIZE;
    }
    ck_assert_str_eq(r.lines[0], "FD_SETSIZE is 1024: an fd_set has one bit per descriptor from "
                                 "0 to 1023");
    ck_assert_msg(dup_line == big_open, "the line 'dup() N times: descriptor %d is open...' is %s",
                  FD_SETSIZE, big_open ? "missing" : "there, but no descriptor that big can open");
    snprintf(line, sizeof line,
             "loop_watch(%d): -1, errno EINVAL (Invalid argument): select() "
             "cannot watch it",
             FD_SETSIZE);
    ck_assert_msg(find_line(&r, line) >= 0, "no line '%s'", line);
    ck_assert_msg(small >= 0, "no 'loop: descriptor N is readable' line for a small descriptor");
    snprintf(line, sizeof line, "loop_watch(%d): 0, watched", FD_SETSIZE - 1);
    ck_assert_msg((find_line(&r, line) >= 0) == big_open, "'%s' %s", line,
                  big_open ? "is missing" : "printed, though no descriptor that big is open");
    snprintf(line, sizeof line, "loop: descriptor %d is readable", FD_SETSIZE - 1);
    ck_assert_msg((find_line(&r, line) >= 0) == big_open, "'%s' %s", line,
                  big_open ? "is missing" : "printed, though no descriptor that big is open");
}

START_TEST(the_loop_refuses_descriptor_1024)
{
    struct rlimit rl;

    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    run_program(&r, "fd_setsize", NULL);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= FD_SETSIZE && rl.rlim_max != RLIM_INFINITY &&
        rl.rlim_max <= FD_SETSIZE) {
        test_skip("the_loop_refuses_descriptor_1024: the hard limit here is too low; "
                  "fd_setsize_says_when_it_cannot checks that path");
        return;
    }
    expect_refused_and_small_ones_watched(true);
}
END_TEST

START_TEST(fd_setsize_raises_its_soft_limit)
{
    struct rlimit rl;

    /* This test runs in a child process of its own: lowering its limit changes nothing else. */
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= FD_SETSIZE) {
        test_skip("fd_setsize_raises_its_soft_limit: the hard limit here is too low to raise to");
        return;
    }
    rl.rlim_cur = FD_SETSIZE;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    run_program(&r, "fd_setsize", NULL);
    ck_assert_msg(r.nlines > 1 && strncmp(r.lines[1],
                                          "raised the soft limit on open files from "
                                          "1024 to ",
                                          40) == 0,
                  "line 2: '%s'", r.nlines > 1 ? r.lines[1] : "");
    expect_refused_and_small_ones_watched(true);
}
END_TEST

START_TEST(fd_setsize_says_when_it_cannot)
{
    struct rlimit rl = {.rlim_cur = FD_SETSIZE, .rlim_max = FD_SETSIZE};

    /* Lowering the hard limit cannot be undone, but this test's process ends with the test. */
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    run_program(&r, "fd_setsize", NULL);
    ck_assert_msg(r.nlines > 2 &&
                      strcmp(r.lines[1], "cannot open descriptor 1024: the hard limit on open "
                                         "files is 1024 (ulimit -Hn)") == 0 &&
                      strcmp(r.lines[2], "descriptor 1024 is not open, but the loop refuses the "
                                         "number before it looks") == 0,
                  "lines 2 and 3: '%s', '%s'", r.nlines > 1 ? r.lines[1] : "",
                  r.nlines > 2 ? r.lines[2] : "");
    expect_refused_and_small_ones_watched(false);
}
END_TEST

/* ---- regular files ------------------------------------------------------------------------- */

START_TEST(a_regular_file_is_always_ready)
{
    const char *const lines[] = {
        "a regular file of 12 bytes, read from its start",
        "file: select() returned 1 before its 1 s timeout; read() got 12 bytes",
        "file at its end: select() returned 1 before its 1 s timeout; read() got 0 bytes",
        "an empty pipe, for comparison",
        "pipe: select() waited its whole 1 s timeout and returned 0: not readable"};

    run_timed("regular_file_select");
    expect_lines(&r, lines, N(lines));
    expect_wait(lines[3], lines[4], WAIT * SCALE_VALUE);
}
END_TEST

START_TEST(epoll_refuses_a_regular_file)
{
#ifdef __linux__
    const char *const lines[] = {"epoll_ctl(ADD, a regular file): -1, errno EPERM (Operation not "
                                 "permitted): epoll cannot watch it",
                                 "epoll_ctl(ADD, a pipe): 0, watched"};

    run_program(&r, "regular_file_epoll", NULL);
    expect_lines(&r, lines, N(lines));
#else
    run_program(&r, "regular_file_epoll", NULL);
    ck_assert_int_eq(r.nlines, 1);
#endif
}
END_TEST

/* ---- options ------------------------------------------------------------------------------- */

/* -h and --help explain the program; a bad option is refused with status 2. */
static void expect_options(const char *program)
{
    static const char *const bug_demos[] = {"echo_in_turn", "two_readers_blocking"};
    char path[512];
    char *help[] = {path, "-h", NULL}, *long_help[] = {path, "--help", NULL};
    char *bad[] = {path, "-s", "nonsense", NULL};

    for (size_t j = 0; j < N(bug_demos); j++) {
        if (strcmp(program, bug_demos[j]) == 0 && test_sanitized(NULL))
            return; /* a bug demonstration, not built under sanitizers */
    }
    snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, program);
    ck_assert_int_eq(proc_run(help, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0 && r.nlines > 2 && strncmp(r.lines[0], "usage:", 6) == 0,
                  "%s -h: status %d, first line '%s'", program, r.exit_code, r.lines[0]);
    ck_assert_int_eq(proc_run(long_help, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0 && strncmp(r.lines[0], "usage:", 6) == 0,
                  "%s --help: status %d, stderr '%s'", program, r.exit_code, r.err);
    ck_assert_int_eq(proc_run(bad, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 2 && strstr(r.err, "-s wants a number") != NULL,
                  "%s -s nonsense: status %d, stderr '%s'", program, r.exit_code, r.err);
}

/* A few programs per test: each start costs a sanitizer's start-up, and each test has a limit. */
START_TEST(options_of_the_read_programs)
{
    expect_options("read_blocking");
    expect_options("read_nonblocking");
    expect_options("partial_writes");
}
END_TEST

START_TEST(options_of_the_echo_servers)
{
    expect_options("echo_in_turn");
    expect_options("echo_select");
    expect_options("echo_loop");
    expect_options("echo_threads");
}
END_TEST

START_TEST(options_of_the_other_programs)
{
    expect_options("two_readers_blocking");
    expect_options("two_readers_nonblocking");
    expect_options("fd_setsize");
    expect_options("regular_file_select");
    expect_options("regular_file_epoll");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 7");
    TCase *reads = test_case(s, "blocking and non-blocking reads");
    TCase *partial = test_case(s, "partial writes");
    TCase *echo = test_case(s, "echo servers");
    TCase *readable = test_case(s, "readable is not a promise");
    TCase *setsize = test_case(s, "FD_SETSIZE");
    TCase *files = test_case(s, "regular files");
    TCase *options = test_case(s, "options");

    tcase_add_test(reads, a_blocking_read_waits_for_the_writer);
    tcase_add_test(reads, a_nonblocking_read_answers_at_once);
    tcase_add_test(partial, partial_writes_add_up);
    tcase_add_test(echo, echo_select_serves_whoever_speaks);
    tcase_add_test(echo, echo_loop_serves_whoever_speaks);
    tcase_add_test(echo, echo_threads_serve_whoever_speaks);
    tcase_add_test(echo, reading_in_turn_gets_stuck);
    tcase_add_test(readable, a_reader_told_readable_can_block);
    tcase_add_test(readable, a_nonblocking_reader_gets_eagain_instead);
    tcase_add_test(setsize, the_loop_refuses_descriptor_1024);
    tcase_add_test(setsize, fd_setsize_raises_its_soft_limit);
    tcase_add_test(setsize, fd_setsize_says_when_it_cannot);
    tcase_add_test(files, a_regular_file_is_always_ready);
    tcase_add_test(files, epoll_refuses_a_regular_file);
    tcase_add_test(options, options_of_the_read_programs);
    tcase_add_test(options, options_of_the_echo_servers);
    tcase_add_test(options, options_of_the_other_programs);
    return s;
}
