/*
 * check_programs.c: chapter 12's clients and servers, black box.
 *
 * The clients run scaled down (-s) and start their own servers; their lines are checked, and so is
 * the time each measures and prints: two fetches that overlap take about one server delay, not
 * two. The crawlers meet bad_server's every misbehaviour in one run, beside good URLs, and must
 * report each one as its own error while the others complete, never more than 3 at once. The
 * server is then tested alone over raw sockets: keep-alive, pipelining, HEAD, 404, 400 and 431
 * (and the connection closed after them, while other clients are served), 503 past
 * --max-clients, curl when it is installed, and a clean stop on SIGTERM.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http.h"
#include "net.h"
#include "testing.h"

#define SCALE_PLAIN 0.5
#define SCALE_SANITIZED 1.0
#define START_TIMEOUT 5.0
#define STOP_TIMEOUT 5.0
#define READ_TIMEOUT 3 /* seconds a test waits for the server's answer before failing */
#define CURL "/usr/bin/curl"

static struct proc_result r;
static char scale_arg[16];

static double scale(void)
{
    double value = test_sanitized(NULL) ? SCALE_SANITIZED : SCALE_PLAIN;

    snprintf(scale_arg, sizeof scale_arg, "%g", value);
    return value;
}

/* The line that starts with `prefix`, or fail. */
static const char *line_starting(const char *prefix)
{
    for (size_t i = 0; i < r.nlines; i++) {
        if (strncmp(r.lines[i], prefix, strlen(prefix)) == 0)
            return r.lines[i];
    }
    ck_abort_msg("no line starts with '%s'; the output has %zu lines, the first '%s'", prefix,
                 r.nlines, r.nlines > 0 ? r.lines[0] : "");
    return NULL;
}

static void expect_line(const char *text)
{
    ck_assert_msg(find_line(&r, text) >= 0, "no line '%s' in the output", text);
}

/* ---- the two posts ---- */

static const char *const post1 =
    "Data from API 1: {\"userId\": 1, \"id\": 1, \"title\": \"two ways "
    "to wait\", \"body\": \"post 1 of 10, served from loopback\"}";
static const char *const post2 =
    "Data from API 2: {\"userId\": 1, \"id\": 2, \"title\": \"a loop on one thread\", \"body\": "
    "\"post 2 of 10, served from loopback\"}";

/* Run a fetch_two program; return the time it measured, in units of the server's delay. */
static double run_fetch_two(const char *program)
{
    double took, delay;

    scale();
    run_program(&r, program, "-s", scale_arg, NULL);
    ck_assert_uint_eq(r.nlines, 5);
    expect_line(post1);
    expect_line(post2);
    expect_line("GET /posts/1");
    expect_line("GET /posts/2");
    ck_assert_msg(
        sscanf(r.lines[4], "fetched 2 posts in %lf s; the server waits %lf s", &took, &delay) == 2,
        "last line: %s", r.lines[4]);
    ck_assert_double_eq_tol(delay, 1.0 * scale(), 1e-9);
    ck_assert_msg(took >= delay, "two answers that each wait %.2f s came in %.2f s", delay, took);
    return took / delay;
}

START_TEST(sequential_fetches_add_the_delays)
{
    double delays = run_fetch_two("fetch_two_sequential");

    ck_assert_msg(delays >= 2.0, "took %.2f delays, not 2", delays);
    ck_assert_int_lt(find_line(&r, post1), find_line(&r, "GET /posts/2")); /* one at a time */
}
END_TEST

/* Overlapped, the two waits take about one delay: assert well under the sum of two. */
START_TEST(loop_fetches_overlap)
{
    double delays = run_fetch_two("fetch_two_loop");

    ck_assert_msg(delays < 1.5, "took %.2f delays: the fetches did not overlap", delays);
    ck_assert_str_eq(r.lines[0], "GET /posts/1");
    ck_assert_str_eq(r.lines[1], "GET /posts/2"); /* both sent before any answer */
}
END_TEST

START_TEST(thread_fetches_overlap)
{
    double delays = run_fetch_two("fetch_two_threads");

    ck_assert_msg(delays < 1.5, "took %.2f delays: the fetches did not overlap", delays);
    ck_assert_int_lt(find_line(&r, "GET /posts/1"), find_line(&r, post1));
    ck_assert_int_lt(find_line(&r, "GET /posts/2"), find_line(&r, post1));
}
END_TEST

/* ---- the crawlers against both servers ---- */

static void check_crawl(void)
{
    int answered, failed, most;
    size_t n;
    double took, delay = 0.5 * scale(), timeout = 1.5 * scale();

    for (int i = 1; i <= 6; i++) {
        char prefix[32];

        snprintf(prefix, sizeof prefix, "/posts/%d: 200 OK, ", i);
        line_starting(prefix);
    }
    expect_line("/posts/99: 404 Not Found, 23 bytes");
    expect_line("/truncated: truncated message (19 of 100 bytes)");
    expect_line("/garbage: malformed message");
    expect_line("/close: connection closed before any answer");
    expect_line("/huge-head: header too large");
    expect_line("/silent: Connection timed out");
    ck_assert_msg(sscanf(line_starting("12 requests"),
                         "%zu requests, %d answered, %d failed, at most %d at once, in %lf s", &n,
                         &answered, &failed, &most, &took) == 5,
                  "bad summary");
    ck_assert_int_eq(answered, 7);
    ck_assert_int_eq(failed, 5);
    ck_assert_int_eq(most, 3);
    /* One after the other: 7 answers of one delay each, and the silent one's timeout. */
    ck_assert_msg(took < 0.75 * (7 * delay + timeout), "took %.2f s: no overlap", took);
    ck_assert_msg(took >= timeout, "took %.2f s, less than the timeout", took);
}

START_TEST(crawl_loop_survives_every_bad_server)
{
    scale();
    run_program(&r, "crawl_loop", "-s", scale_arg, NULL);
    check_crawl();
}
END_TEST

START_TEST(crawl_threads_survives_every_bad_server)
{
    scale();
    run_program(&r, "crawl_threads", "-s", scale_arg, NULL);
    check_crawl();
}
END_TEST

/* ---- servers started by the test ---- */

static struct proc_server server;
static bool server_running;

static void start(const char *name, const char *option, const char *value)
{
    char path[512];
    char *argv[] = {path, "-p", "0", (char *)option, (char *)value, NULL};

    snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, name);
    ck_assert_msg(proc_server_start(argv, START_TIMEOUT, &server, &r) == 0, "%s did not start: %s",
                  name, r.err);
    server_running = true;
}

static void stop(void)
{
    if (server_running)
        proc_server_stop(&server, SIGKILL, STOP_TIMEOUT, &r);
    server_running = false;
}

static int connect_to_server(void)
{
    struct timeval tv = {.tv_sec = READ_TIMEOUT};
    int fd = net_connect("127.0.0.1", server.port, false);

    ck_assert_msg(fd >= 0, "cannot connect to port %d", server.port);
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    return fd;
}

static void send_text(int fd, const char *text)
{
    ck_assert_int_eq(net_send_all(fd, text, strlen(text)), 0);
}

/* Read one response from fd into p (fresh); bytes past it are lost, which no test sends. */
static void read_response(int fd, struct http_parser *p, bool head)
{
    char buf[1];

    http_parser_init(p, HTTP_RESPONSE, HTTP_HEAD_MAX, HTTP_BODY_MAX);
    p->no_body = head;
    /* One byte at a time, so that a second response stays in the socket for the next call. */
    while (p->state == HTTP_HEAD || p->state == HTTP_BODY) {
        ssize_t n = recv(fd, buf, 1, 0);

        ck_assert_msg(n >= 0, "no answer within %d s", READ_TIMEOUT);
        if (n == 0)
            http_parser_eof(p);
        else
            http_parser_feed(p, buf, 1);
    }
    ck_assert_msg(p->state == HTTP_DONE, "bad response: %s", http_error_text(p->error));
}

/* The server has closed the connection: the next read finds the end. */
static void expect_closed(int fd)
{
    char c;

    ck_assert_msg(recv(fd, &c, 1, 0) == 0, "the connection is still open");
}

START_TEST(crawl_takes_urls)
{
    char url[2][64];

    start("http_server", NULL, NULL);
    snprintf(url[0], sizeof url[0], "http://127.0.0.1:%d/posts/7", server.port);
    snprintf(url[1], sizeof url[1], "http://127.0.0.1:%d/posts/0", server.port);
    run_program(&r, "crawl_loop", url[0], url[1], NULL);
    expect_line("/posts/7: 200 OK, 100 bytes");
    expect_line("/posts/0: 404 Not Found, 23 bytes");
    run_program(&r, "fetch_two_threads", url[0], url[0], NULL);
    line_starting("Data from API 2: {\"userId\": 1, \"id\": 7,");
    stop();
}
END_TEST

START_TEST(keep_alive_serves_requests_in_order)
{
    struct http_parser p;
    int fd;

    start("http_server", NULL, NULL);
    fd = connect_to_server();
    send_text(fd, "GET /posts/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(fd, &p, false);
    ck_assert_int_eq(p.status, 200);
    ck_assert(p.keep_alive);
    ck_assert_str_eq(http_header(&p, "Content-Type"), "application/json");
    ck_assert_ptr_nonnull(strstr(p.body, "\"id\": 1,"));
    http_parser_free(&p);
    /* Two more in one write (pipelined), the last asking to close. */
    send_text(fd, "GET /posts/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /posts/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    read_response(fd, &p, false);
    ck_assert_ptr_nonnull(strstr(p.body, "\"id\": 2,"));
    http_parser_free(&p);
    read_response(fd, &p, false);
    ck_assert_ptr_nonnull(strstr(p.body, "\"id\": 3,"));
    ck_assert(!p.keep_alive);
    http_parser_free(&p);
    expect_closed(fd);
    close(fd);
    ck_assert_int_eq(proc_server_stop(&server, SIGTERM, STOP_TIMEOUT, &r), 0);
    server_running = false;
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(strncmp(r.lines[0], "served 3 requests on ", 21) == 0, "%s", r.lines[0]);
}
END_TEST

START_TEST(head_has_no_body_and_unknown_paths_are_404)
{
    struct http_parser p;
    int fd;

    start("http_server", NULL, NULL);
    fd = connect_to_server();
    send_text(fd, "HEAD /posts/3 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(fd, &p, true);
    ck_assert_int_eq(p.status, 200);
    ck_assert_uint_eq(p.content_length, 102); /* what a GET would get */
    http_parser_free(&p);
    send_text(fd, "GET /posts/11 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(fd, &p, false); /* had the HEAD sent a body, this would read it instead */
    ck_assert_int_eq(p.status, 404);
    ck_assert_str_eq(p.body, "{\"error\": \"Not Found\"}\n");
    http_parser_free(&p);
    send_text(fd, "DELETE /posts/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(fd, &p, false);
    ck_assert_int_eq(p.status, 405);
    ck_assert_str_eq(http_header(&p, "Allow"), "GET, HEAD");
    http_parser_free(&p);
    close(fd);
    stop();
}
END_TEST

/* A bad request is answered 400 and its connection closed; a client already waiting is served. */
START_TEST(malformed_request_gets_400_and_others_are_served)
{
    struct http_parser p;
    int good, bad;

    start("http_server", NULL, NULL);
    good = connect_to_server();
    send_text(good, "GET /posts/4 HTTP/1.1\r\nHost: x\r\n"); /* the head is not finished */
    bad = connect_to_server();
    send_text(bad, "HELLO THERE\r\n\r\n");
    read_response(bad, &p, false);
    ck_assert_int_eq(p.status, 400);
    ck_assert(!p.keep_alive);
    http_parser_free(&p);
    expect_closed(bad);
    close(bad);
    send_text(good, "\r\n");
    read_response(good, &p, false);
    ck_assert_int_eq(p.status, 200);
    http_parser_free(&p);
    close(good);
    stop();
}
END_TEST

START_TEST(oversized_header_gets_431)
{
    struct http_parser p;
    char request[4096];
    int fd;

    start("http_server", "--max-request", "1024");
    fd = connect_to_server();
    memset(request, 'a', sizeof request);
    memcpy(request, "GET / HTTP/1.1\r\nX: ", 19);
    memcpy(request + sizeof request - 5, "\r\n\r\n", 5);
    send_text(fd, request);
    read_response(fd, &p, false);
    ck_assert_int_eq(p.status, 431);
    http_parser_free(&p);
    expect_closed(fd);
    close(fd);
    stop();
}
END_TEST

START_TEST(max_clients_refuses_one_more)
{
    struct http_parser p;
    int first, second;

    start("http_server", "--max-clients", "1");
    first = connect_to_server();
    send_text(first, "GET /posts/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(first, &p, false); /* now the server surely counts it */
    http_parser_free(&p);
    second = connect_to_server();
    read_response(second, &p, false);
    ck_assert_int_eq(p.status, 503);
    http_parser_free(&p);
    close(second);
    close(first);
    stop();
}
END_TEST

START_TEST(curl_gets_a_post)
{
    char url[64], *argv[] = {CURL, "-s", "-i", url, NULL};

    if (access(CURL, X_OK) != 0) {
        test_skip("curl is not installed (apt install curl)");
        return;
    }
    start("http_server", NULL, NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/posts/5", server.port);
    ck_assert_int_eq(proc_run(argv, READ_TIMEOUT, true, &r), 0);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_str_eq(r.lines[0], "HTTP/1.1 200 OK\r");
    line_starting("{\"userId\": 1, \"id\": 5,");
    stop();
}
END_TEST

/* ---- options ---- */

static const char *const programs[] = {
    "fetch_two_sequential", "fetch_two_loop", "fetch_two_threads", "crawl_loop",
    "crawl_threads",        "http_server",    "bad_server"};

START_TEST(every_program_has_help_and_refuses_a_bad_option)
{
    char path[512];

    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-x", NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        ck_assert_int_eq(proc_run(help, READ_TIMEOUT, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && r.nlines > 1, "%s -h", programs[i]);
        ck_assert_int_eq(proc_run(bad, READ_TIMEOUT, true, &r), 0);
        ck_assert_msg(r.exit_code == 2 && strstr(r.err, "usage") != NULL, "%s -x: %d", programs[i],
                      r.exit_code);
    }
}
END_TEST

START_TEST(a_refused_connection_is_a_clear_error)
{
    char path[512], *argv[] = {path, "http://127.0.0.1:1/a", "http://127.0.0.1:1/b", NULL};

    snprintf(path, sizeof path, "%s/fetch_two_loop", PROGRAM_DIR);
    ck_assert_int_eq(proc_run(argv, READ_TIMEOUT, true, &r), 0);
    ck_assert_int_eq(r.exit_code, 1);
    expect_line("API 1 failed: Connection refused");
    expect_line("API 2 failed: Connection refused");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 12");
    TCase *fetch = test_case(s, "fetch_two");
    TCase *crawl = test_case(s, "crawl");
    TCase *srv = test_case(s, "http_server");
    TCase *opts = test_case(s, "options");

    tcase_add_test(fetch, sequential_fetches_add_the_delays);
    tcase_add_test(fetch, loop_fetches_overlap);
    tcase_add_test(fetch, thread_fetches_overlap);
    tcase_add_test(crawl, crawl_loop_survives_every_bad_server);
    tcase_add_test(crawl, crawl_threads_survives_every_bad_server);
    tcase_add_checked_fixture(srv, NULL, stop);
    tcase_add_test(srv, crawl_takes_urls);
    tcase_add_test(srv, keep_alive_serves_requests_in_order);
    tcase_add_test(srv, head_has_no_body_and_unknown_paths_are_404);
    tcase_add_test(srv, malformed_request_gets_400_and_others_are_served);
    tcase_add_test(srv, oversized_header_gets_431);
    tcase_add_test(srv, max_clients_refuses_one_more);
    tcase_add_test(srv, curl_gets_a_post);
    tcase_add_test(opts, every_program_has_help_and_refuses_a_bad_option);
    tcase_add_test(opts, a_refused_connection_is_a_clear_error);
    return s;
}
