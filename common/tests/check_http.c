/*
 * check_http.c: the HTTP parser (http.h) fed in every chunking, at and past every limit, with
 * malformed input of each kind; URLs; and a GET on a thread and on the loop against a canned
 * server on loopback, with a timeout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "http.h"
#include "net.h"
#include "task.h"
#include "testing.h"

#define MAX_HEAD 1024
#define MAX_BODY 256

static struct http_parser p;

static void teardown(void)
{
    http_parser_free(&p);
}

/* Feed `text` whole to a fresh parser of `kind`; returns what it took. */
static size_t parse(enum http_kind kind, const char *text)
{
    http_parser_free(&p);
    http_parser_init(&p, kind, MAX_HEAD, MAX_BODY);
    return http_parser_feed(&p, text, strlen(text));
}

static void expect_error(enum http_kind kind, const char *text, enum http_error error)
{
    parse(kind, text);
    ck_assert_msg(p.state == HTTP_FAILED && p.error == error,
                  "parsing %s: state %d error %d (%s), expected error %d", text, p.state, p.error,
                  http_error_text(p.error), error);
}

static const char request[] = "GET /posts/1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                              "User-Agent: curl/8.0\r\nAccept:  */*  \r\n\r\n";
static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "content-length: 10\r\n\r\n{\"id\": 1}\n\r\n";

START_TEST(parses_a_request)
{
    ck_assert_uint_eq(parse(HTTP_REQUEST, request), strlen(request));
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_str_eq(p.method, "GET");
    ck_assert_str_eq(p.target, "/posts/1");
    ck_assert_int_eq(p.minor_version, 1);
    ck_assert_uint_eq(p.nheaders, 3);
    ck_assert_str_eq(http_header(&p, "host"), "127.0.0.1:8080");
    ck_assert_str_eq(http_header(&p, "ACCEPT"), "*/*"); /* spaces around a value are not in it */
    ck_assert_ptr_null(http_header(&p, "Cookie"));
    ck_assert(p.keep_alive);
    ck_assert_uint_eq(p.body_len, 0);
}
END_TEST

START_TEST(parses_a_response_and_leaves_what_follows)
{
    ck_assert_uint_eq(parse(HTTP_RESPONSE, response), strlen(response) - 2);
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_int_eq(p.status, 200);
    ck_assert_str_eq(p.reason, "OK");
    ck_assert(p.has_length);
    ck_assert_uint_eq(p.body_len, 10);
    ck_assert_str_eq(p.body, "{\"id\": 1}\n");
}
END_TEST

/* Every way to cut the message in two, and one byte at a time: the same message each time. */
START_TEST(any_chunking_gives_the_same_message)
{
    const char *texts[] = {request, response};
    enum http_kind kinds[] = {HTTP_REQUEST, HTTP_RESPONSE};

    for (int k = 0; k < 2; k++) {
        size_t len = strlen(texts[k]) - (k == 1 ? 2 : 0);

        for (size_t cut = 0; cut <= len; cut++) {
            size_t used;

            http_parser_free(&p);
            http_parser_init(&p, kinds[k], MAX_HEAD, MAX_BODY);
            used = http_parser_feed(&p, texts[k], cut);
            ck_assert_uint_eq(used, cut);
            ck_assert_int_eq(p.state == HTTP_DONE, cut == len);
            used += http_parser_feed(&p, texts[k] + cut, strlen(texts[k]) - cut);
            ck_assert_uint_eq(used, len);
            ck_assert_int_eq(p.state, HTTP_DONE);
            ck_assert_uint_eq(p.nheaders, k == 0 ? 3 : 2);
        }
        http_parser_free(&p);
        http_parser_init(&p, kinds[k], MAX_HEAD, MAX_BODY);
        for (size_t i = 0; i < len; i++) {
            ck_assert_int_ne(p.state, HTTP_DONE);
            ck_assert_uint_eq(http_parser_feed(&p, texts[k] + i, 1), 1);
        }
        ck_assert_int_eq(p.state, HTTP_DONE);
        ck_assert_uint_eq(p.body_len, k == 0 ? 0 : 10);
    }
}
END_TEST

START_TEST(two_requests_in_one_read_and_reset)
{
    char two[2 * sizeof request];
    size_t used;

    snprintf(two, sizeof two, "%s%s", request, "HEAD /x HTTP/1.0\nConnection: keep-alive\n\n");
    used = parse(HTTP_REQUEST, two);
    ck_assert_uint_eq(used, strlen(request));
    http_parser_reset(&p);
    ck_assert_uint_eq(http_parser_feed(&p, two + used, strlen(two) - used), strlen(two) - used);
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_str_eq(p.method, "HEAD");
    ck_assert_int_eq(p.minor_version, 0);
    ck_assert(p.keep_alive); /* bare LF line ends are accepted, as RFC 9112 allows */
}
END_TEST

START_TEST(keep_alive_follows_version_and_connection)
{
    parse(HTTP_REQUEST, "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n");
    ck_assert(!p.keep_alive);
    parse(HTTP_REQUEST, "GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n");
    ck_assert(!p.keep_alive);
    parse(HTTP_REQUEST, "GET / HTTP/1.1\r\nConnection: closed\r\n\r\n");
    ck_assert(p.keep_alive);
    parse(HTTP_REQUEST, "GET / HTTP/1.0\r\n\r\n");
    ck_assert(!p.keep_alive);
    parse(HTTP_RESPONSE, "HTTP/1.1 200 OK\r\n\r\n"); /* no length: runs to the end */
    ck_assert(!p.keep_alive);
}
END_TEST

START_TEST(malformed_messages_are_syntax_errors)
{
    const char *requests[] = {
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        "GET / HTTP/x.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
        "GET / HTTP/1.1\r\nA: \x01\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: \r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
    };
    const char *responses[] = {
        "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 600 Nope\r\n\r\n",
        "HTTP/1.1\r\n\r\n",       "ICY 200 OK\r\n\r\n",
    };

    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++)
        expect_error(HTTP_REQUEST, requests[i], HTTP_ERR_SYNTAX);
    for (size_t i = 0; i < sizeof responses / sizeof responses[0]; i++)
        expect_error(HTTP_RESPONSE, responses[i], HTTP_ERR_SYNTAX);
    http_parser_free(&p);
    http_parser_init(&p, HTTP_REQUEST, MAX_HEAD, MAX_BODY);
    http_parser_feed(&p, "GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26); /* a NUL in the head */
    ck_assert_int_eq(p.error, HTTP_ERR_SYNTAX);
    ck_assert_int_eq(http_error_status(HTTP_ERR_SYNTAX), 400);
}
END_TEST

START_TEST(other_errors_name_what_went_wrong)
{
    expect_error(HTTP_REQUEST, "GET / HTTP/2.0\r\n\r\n", HTTP_ERR_VERSION);
    expect_error(HTTP_REQUEST, "GET / HTTP/1.2\r\n\r\n", HTTP_ERR_VERSION);
    expect_error(HTTP_RESPONSE, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                 HTTP_ERR_UNSUPPORTED);
    expect_error(HTTP_REQUEST, "POST / HTTP/1.1\r\nContent-Length: 257\r\n\r\n",
                 HTTP_ERR_BODY_TOO_LARGE);
    expect_error(HTTP_RESPONSE,
                 "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                 HTTP_ERR_BODY_TOO_LARGE);
    ck_assert_int_eq(http_error_status(HTTP_ERR_HEAD_TOO_LARGE), 431);
    ck_assert_int_eq(http_error_status(HTTP_ERR_VERSION), 505);
    ck_assert_int_eq(http_error_status(HTTP_ERR_UNSUPPORTED), 501);
}
END_TEST

/* A head of exactly max_head bytes passes; one byte more fails, and nothing beyond is kept. */
START_TEST(the_head_is_bounded)
{
    char head[MAX_HEAD + 64];
    const char *start = "GET / HTTP/1.1\r\nX: ";
    size_t fill = MAX_HEAD - strlen(start) - 4;

    snprintf(head, sizeof head, "%s%*s\r\n\r\n", start, (int)fill, "a");
    memset(head + strlen(start), 'a', fill);
    ck_assert_uint_eq(strlen(head), MAX_HEAD);
    ck_assert_uint_eq(parse(HTTP_REQUEST, head), MAX_HEAD);
    ck_assert_int_eq(p.state, HTTP_DONE);
    memmove(head + strlen(start) + 1, head + strlen(start), fill + 5);
    ck_assert_uint_eq(parse(HTTP_REQUEST, head), MAX_HEAD);
    ck_assert_int_eq(p.state, HTTP_FAILED);
    ck_assert_int_eq(p.error, HTTP_ERR_HEAD_TOO_LARGE);
    ck_assert_uint_le(p.head_cap, MAX_HEAD);
}
END_TEST

START_TEST(too_many_headers_are_too_large)
{
    char head[MAX_HEAD];
    size_t len = (size_t)snprintf(head, sizeof head, "GET / HTTP/1.1\r\n");

    for (int i = 0; i <= HTTP_MAX_HEADERS; i++)
        len += (size_t)snprintf(head + len, sizeof head - len, "H%d: v\r\n", i);
    snprintf(head + len, sizeof head - len, "\r\n");
    expect_error(HTTP_REQUEST, head, HTTP_ERR_HEAD_TOO_LARGE);
}
END_TEST

START_TEST(bodies_framed_by_status_and_method)
{
    parse(HTTP_RESPONSE, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
    ck_assert_int_eq(p.state, HTTP_DONE);
    parse(HTTP_RESPONSE, "HTTP/1.1 304 Not Modified\r\n\r\n");
    ck_assert_int_eq(p.state, HTTP_DONE);
    http_parser_free(&p);
    http_parser_init(&p, HTTP_RESPONSE, MAX_HEAD, MAX_BODY);
    p.no_body = true; /* the answer to a HEAD */
    http_parser_feed(&p, "HTTP/1.1 200 OK\r\nContent-Length: 102\r\n\r\n", 41);
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_uint_eq(p.content_length, 102);
    ck_assert_uint_eq(p.body_len, 0);
    parse(HTTP_REQUEST, "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET");
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_str_eq(p.body, "abc");
}
END_TEST

START_TEST(end_of_connection)
{
    parse(HTTP_RESPONSE, "");
    http_parser_eof(&p);
    ck_assert_int_eq(p.error, HTTP_ERR_CLOSED);
    parse(HTTP_RESPONSE, "HTTP/1.1 200 OK\r\nContent-");
    http_parser_eof(&p);
    ck_assert_int_eq(p.error, HTTP_ERR_TRUNCATED);
    parse(HTTP_RESPONSE, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n123456789");
    ck_assert_int_eq(p.state, HTTP_BODY);
    http_parser_eof(&p);
    ck_assert_int_eq(p.error, HTTP_ERR_TRUNCATED);
    ck_assert_uint_eq(p.body_len, 9);
    parse(HTTP_RESPONSE, "HTTP/1.0 200 OK\r\n\r\nall of it");
    ck_assert_int_eq(p.state, HTTP_BODY);
    http_parser_eof(&p);
    ck_assert_int_eq(p.state, HTTP_DONE);
    ck_assert_str_eq(p.body, "all of it");
}
END_TEST

START_TEST(a_body_to_the_end_is_bounded)
{
    char big[MAX_BODY + 2];

    parse(HTTP_RESPONSE, "HTTP/1.1 200 OK\r\n\r\n");
    memset(big, 'b', sizeof big);
    ck_assert_uint_eq(http_parser_feed(&p, big, MAX_BODY), MAX_BODY);
    ck_assert_int_eq(p.state, HTTP_BODY);
    http_parser_feed(&p, big, 1);
    ck_assert_int_eq(p.error, HTTP_ERR_BODY_TOO_LARGE);
}
END_TEST

START_TEST(urls)
{
    struct http_url u;
    char buf[64];

    ck_assert_int_eq(http_url_parse("http://127.0.0.1:8080/posts/1", &u), 0);
    ck_assert_str_eq(u.host, "127.0.0.1");
    ck_assert_int_eq(u.port, 8080);
    ck_assert_str_eq(u.target, "/posts/1");
    ck_assert_int_eq(http_url_parse("HTTP://localhost", &u), 0);
    ck_assert_int_eq(u.port, 80);
    ck_assert_str_eq(u.target, "/");
    ck_assert_int_eq(http_url_parse("http://[::1]:81?q=1#frag", &u), 0);
    ck_assert_str_eq(u.host, "::1");
    ck_assert_str_eq(u.target, "/?q=1");
    ck_assert_int_eq(http_format_get(buf, sizeof buf, &u), -1);
    ck_assert_int_eq(errno, ENAMETOOLONG);
    const char *bad[] = {"https://x/",   "http://",         "http://:80/",
                         "http://x:0/",  "http://x:65536/", "http://x:8a/",
                         "http://[::1/", "http://x/a b",    "ftp://x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(http_url_parse(bad[i], &u) == -1 && errno == EINVAL, "accepted %s", bad[i]);
}
END_TEST

/* ---- GET against a canned server: a thread that answers one connection with `reply` ---- */

struct canned {
    int listen_fd;
    const char *reply; /* NULL: say nothing, wait until the client hangs up */
};

static void *serve_one(void *arg)
{
    struct canned *c = arg;
    int fd = accept(c->listen_fd, NULL, NULL);
    char buf[1024];

    if (fd == -1)
        return NULL;
    if (recv(fd, buf, sizeof buf, 0) > 0) {
        if (c->reply != NULL)
            net_send_all(fd, c->reply, strlen(c->reply));
        else
            while (recv(fd, buf, sizeof buf, 0) > 0)
                continue;
    }
    close(fd);
    return NULL;
}

static struct canned canned;
static pthread_t server_thread;
static struct http_url url;

static void start_canned(const char *reply)
{
    struct server_config config = SERVER_CONFIG_INIT(0);

    ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout)); /* the "listening on" line */
    canned.listen_fd = server_listen(&config);
    canned.reply = reply;
    ck_assert_int_eq(pthread_create(&server_thread, NULL, serve_one, &canned), 0);
    snprintf(url.host, sizeof url.host, "127.0.0.1");
    url.port = config.port;
    snprintf(url.target, sizeof url.target, "/posts/1");
}

static void stop_canned(void)
{
    ck_assert_int_eq(pthread_join(server_thread, NULL), 0);
    close(canned.listen_fd);
}

START_TEST(get_on_a_thread)
{
    start_canned(response);
    ck_assert_int_eq(http_get(&url, 5, &p), 0);
    ck_assert_int_eq(p.status, 200);
    ck_assert_uint_eq(p.body_len, 10);
    stop_canned();
}
END_TEST

START_TEST(get_on_a_thread_times_out)
{
    double start = clock_now(), took;

    start_canned(NULL);
    ck_assert_int_eq(http_get(&url, 0.2, &p), -1);
    ck_assert_int_eq(errno, ETIMEDOUT);
    took = clock_now() - start;
    ck_assert_msg(took >= 0.2 && took < 2, "timed out after %.3f s", took);
    stop_canned();
}
END_TEST

START_TEST(get_on_a_thread_reports_a_truncated_body)
{
    char why[128];

    start_canned("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    ck_assert_int_eq(http_get(&url, 5, &p), -1);
    ck_assert_int_eq(errno, EPROTO);
    http_describe(why, sizeof why, EPROTO, &p);
    ck_assert_str_eq(why, "truncated message (9 of 100 bytes)");
    stop_canned();
}
END_TEST

static enum task_state wait_with_timeout(struct task *t)
{
    struct http_get *g = t->result; /* the child, passed in before the start */

    TASK_BEGIN(t);
    TASK_WAIT_FOR(t, &g->task, 0.2);
    TASK_END(t);
}

START_TEST(get_on_the_loop)
{
    struct loop *loop = loop_new();
    struct http_get g;
    char why[128];

    ck_assert_ptr_nonnull(loop);
    start_canned(response);
    ck_assert_int_eq(http_get_init(&g, "get", &url), 0);
    ck_assert_int_eq(task_run(loop, &g.task), 0);
    ck_assert_int_eq(g.response.status, 200);
    http_describe(why, sizeof why, 0, &g.response);
    ck_assert_str_eq(why, "200 OK, 10 bytes");
    http_get_release(&g);
    loop_free(loop);
    stop_canned();
}
END_TEST

START_TEST(get_on_the_loop_cancelled_by_a_timeout)
{
    struct loop *loop = loop_new();
    struct http_get g;
    struct task waiter;

    ck_assert_ptr_nonnull(loop);
    start_canned(NULL);
    ck_assert_int_eq(http_get_init(&g, "get", &url), 0);
    task_init(&waiter, "waiter", wait_with_timeout);
    waiter.result = &g;
    ck_assert_int_eq(task_run(loop, &waiter), 0);
    ck_assert_int_eq(future_error(&g.task.future), ETIMEDOUT);
    ck_assert_int_eq(g.fd, -1); /* its cleanup closed the socket: the server thread can end */
    http_get_release(&g);
    loop_free(loop);
    stop_canned();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("http");
    TCase *parser = test_case(s, "parser");
    TCase *get = test_case(s, "get");

    tcase_add_checked_fixture(parser, NULL, teardown);
    tcase_add_test(parser, parses_a_request);
    tcase_add_test(parser, parses_a_response_and_leaves_what_follows);
    tcase_add_test(parser, any_chunking_gives_the_same_message);
    tcase_add_test(parser, two_requests_in_one_read_and_reset);
    tcase_add_test(parser, keep_alive_follows_version_and_connection);
    tcase_add_test(parser, malformed_messages_are_syntax_errors);
    tcase_add_test(parser, other_errors_name_what_went_wrong);
    tcase_add_test(parser, the_head_is_bounded);
    tcase_add_test(parser, too_many_headers_are_too_large);
    tcase_add_test(parser, bodies_framed_by_status_and_method);
    tcase_add_test(parser, end_of_connection);
    tcase_add_test(parser, a_body_to_the_end_is_bounded);
    tcase_add_test(parser, urls);
    tcase_add_checked_fixture(get, NULL, teardown);
    tcase_add_test(get, get_on_a_thread);
    tcase_add_test(get, get_on_a_thread_times_out);
    tcase_add_test(get, get_on_a_thread_reports_a_truncated_body);
    tcase_add_test(get, get_on_the_loop);
    tcase_add_test(get, get_on_the_loop_cancelled_by_a_timeout);
    return s;
}
