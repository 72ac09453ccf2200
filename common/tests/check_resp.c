/*
 * check_resp.c: the RESP module (resp.h) without sockets: the same bytes give the same replies
 * however they are chunked (whole, one byte at a time, every split in two), pipelined requests
 * are all answered in order, every length is bounded, and the store keeps binary keys and values.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"
#include "testing.h"

#define MAX_REQUEST 256

/* Feed `in` to a fresh connection in chunks of `chunk` bytes (0: all at once); the replies go
 * into `out` (NUL-terminated, binary-safe up to *len). Returns the last status. */
static enum resp_status feed(const char *in, size_t n, size_t chunk, char *out, size_t cap,
                             size_t *len)
{
    struct store *store = store_new();
    struct resp_conn c;
    enum resp_status st = RESP_OK;

    ck_assert_ptr_nonnull(store);
    resp_conn_init(&c, MAX_REQUEST);
    for (size_t i = 0; i < n && st == RESP_OK;) {
        size_t k = chunk == 0 || chunk > n - i ? n - i : chunk;

        st = resp_conn_feed(&c, store, NULL, in + i, k);
        i += k;
    }
    *len = resp_buf_pending(&c.out);
    ck_assert_uint_lt(*len, cap);
    memcpy(out, c.out.data + c.out.start, *len);
    out[*len] = '\0';
    resp_conn_free(&c);
    store_free(store);
    return st;
}

/* Every chunking of `in` gives `want` and the status `status`. */
static void expect(const char *in, size_t n, const char *want, enum resp_status status)
{
    char got[4096];
    size_t len;

    ck_assert_int_eq(feed(in, n, 0, got, sizeof got, &len), status);
    ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0, "whole: got '%s', want '%s'",
                  got, want);
    ck_assert_int_eq(feed(in, n, 1, got, sizeof got, &len), status);
    ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
                  "byte by byte: got '%s', want '%s'", got, want);
    for (size_t split = 1; split < n; split++) {
        struct store *store = store_new();
        struct resp_conn c;
        enum resp_status st;

        resp_conn_init(&c, MAX_REQUEST);
        st = resp_conn_feed(&c, store, NULL, in, split);
        if (st == RESP_OK)
            st = resp_conn_feed(&c, store, NULL, in + split, n - split);
        ck_assert_int_eq(st, status);
        ck_assert_msg(resp_buf_pending(&c.out) == strlen(want) &&
                          memcmp(c.out.data + c.out.start, want, strlen(want)) == 0,
                      "split at %zu differs", split);
        resp_conn_free(&c);
        store_free(store);
    }
}

#define EXPECT(in, want, st) expect((in), sizeof(in) - 1, (want), (st))

START_TEST(pipelined_requests_in_any_chunking)
{
    EXPECT("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
           "PING\r\nINCR n\nincr n\r\nDEL k n x\r\nGET k\r\n",
           "+OK\r\n$4\r\na\r\nb\r\n+PONG\r\n:1\r\n:2\r\n:2\r\n$-1\r\n", RESP_OK);
}
END_TEST

START_TEST(binary_and_nul_bytes)
{
    /* A key with a NUL, a value of NUL, CR, LF: stored and returned as they are, any chunking. */
    const char in[] = "*3\r\n$3\r\nSET\r\n$2\r\n\0k\r\n$3\r\n\0\r\n\r\n"
                      "*2\r\n$3\r\nGET\r\n$2\r\n\0k\r\n";
    const char want[] = "+OK\r\n$3\r\n\0\r\n\r\n";

    for (size_t chunk = 0; chunk < 4; chunk++) {
        char got[64];
        size_t len;

        ck_assert_int_eq(feed(in, sizeof in - 1, chunk, got, sizeof got, &len), RESP_OK);
        ck_assert_uint_eq(len, sizeof want - 1);
        ck_assert(memcmp(got, want, len) == 0);
    }
}
END_TEST

START_TEST(errors_use_redis_words)
{
    EXPECT("GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n", RESP_OK);
    EXPECT("NOPE a\r\n", "-ERR unknown command 'NOPE', with args beginning with: 'a' \r\n",
           RESP_OK);
    EXPECT("SET n 9223372036854775807\r\nINCR n\r\n",
           "+OK\r\n-ERR increment or decrement would overflow\r\n", RESP_OK);
    EXPECT("SET n -9223372036854775808\r\nINCR n\r\n", "+OK\r\n:-9223372036854775807\r\n", RESP_OK);
    EXPECT("SET n 1x\r\nINCR n\r\nSET n 01\r\nINCR n\r\n",
           "+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n"
           "-ERR value is not an integer or out of range\r\n",
           RESP_OK);
    EXPECT("PING\r\nQUIT\r\nPING\r\n", "+PONG\r\n+OK\r\n", RESP_CLOSE);
}
END_TEST

START_TEST(every_length_is_bounded)
{
    char line[MAX_REQUEST + 2];

    EXPECT("PING\r\n*1\r\n$-1\r\n", "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
           RESP_CLOSE);
    EXPECT("*1\r\n$1x\r\n", "-ERR Protocol error: invalid bulk length\r\n", RESP_CLOSE);
    EXPECT("*1\r\n$9999999999999999999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n",
           RESP_CLOSE);
    EXPECT("*1\r\n$257\r\n", "-ERR Protocol error: too big request (over --max-request)\r\n",
           RESP_CLOSE);
    EXPECT("*2000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n", RESP_CLOSE);
    EXPECT("*-1\r\n*0\r\nPING\r\n", "+PONG\r\n", RESP_OK);
    memset(line, 'a', sizeof line);
    expect(line, MAX_REQUEST + 1, "-ERR Protocol error: too big inline request\r\n", RESP_CLOSE);
    expect(line, MAX_REQUEST, "", RESP_OK); /* at the bound: still waiting for its '\n' */
}
END_TEST

START_TEST(output_bound_stops_the_parser)
{
    struct store *store = store_new();
    struct resp_conn c;
    const char gets[] = "ECHO 0123456789\r\nECHO 0123456789\r\nECHO 0123456789\r\n";

    resp_conn_init(&c, MAX_REQUEST);
    c.max_output = 20;
    ck_assert_int_eq(resp_conn_feed(&c, store, NULL, gets, sizeof gets - 1), RESP_OVERFLOW);
    ck_assert_uint_eq(resp_buf_pending(&c.out), 2 * 17); /* two replies, then it stopped */
    resp_conn_free(&c);
    store_free(store);
}
END_TEST

START_TEST(store_grows_and_keeps_everything)
{
    struct store *s = store_new();
    char key[32];
    size_t vlen;

    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "key:%d", i);

        ck_assert_int_eq(store_set(s, key, (size_t)n, key, (size_t)n), 0);
    }
    ck_assert_uint_eq(store_count(s), 5000);
    for (int i = 0; i < 5000; i += 7) {
        int n = snprintf(key, sizeof key, "key:%d", i);
        const char *v = store_get(s, key, (size_t)n, &vlen);

        ck_assert_ptr_nonnull(v);
        ck_assert(vlen == (size_t)n && memcmp(v, key, vlen) == 0);
        ck_assert(store_del(s, key, (size_t)n));
        ck_assert(!store_del(s, key, (size_t)n));
    }
    ck_assert_int_eq(store_set(s, "", 0, "", 0), 0); /* the empty key is a key */
    ck_assert_ptr_nonnull(store_get(s, "", 0, &vlen));
    ck_assert_uint_eq(vlen, 0);
    store_free(s);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("resp");
    TCase *tc = test_case(s, "resp");

    tcase_add_test(tc, pipelined_requests_in_any_chunking);
    tcase_add_test(tc, binary_and_nul_bytes);
    tcase_add_test(tc, errors_use_redis_words);
    tcase_add_test(tc, every_length_is_bounded);
    tcase_add_test(tc, output_bound_stops_the_parser);
    tcase_add_test(tc, store_grows_and_keeps_everything);
    return s;
}
