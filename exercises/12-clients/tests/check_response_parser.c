/*
 * check_response_parser.c: tests of response_parse(): one HTTP response framed in a buffer.
 *
 * Chapter 12, exercise response_parser.c. Every message is copied into a buffer of exactly its
 * length, allocated on its own, so that reading one byte past the end is caught by
 * AddressSanitizer (the exercises are judged under it). Every prefix of a valid response must be
 * "not yet" (0), never an answer, never an error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

static char *copy;

/* Parse text[0 .. len) from a buffer of exactly len bytes. */
static long parse_n(const char *text, size_t len, struct response *r)
{
    long result;

    free(copy);
    copy = malloc(len > 0 ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len);
    result = response_parse(copy, len, r);
    return result;
}

static long parse(const char *text, struct response *r)
{
    return parse_n(text, strlen(text), r);
}

static void teardown(void)
{
    free(copy);
    copy = NULL;
}

static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: 10\r\n\r\n{\"id\": 1}\n";

START_TEST(a_whole_response)
{
    struct response r = {0};

    ck_assert_int_eq(parse(ok, &r), (long)strlen(ok));
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.content_length, 10);
    ck_assert_ptr_eq(r.body, copy + strlen(ok) - 10);
    ck_assert_mem_eq(r.body, "{\"id\": 1}\n", 10);
}
END_TEST

START_TEST(every_prefix_is_not_yet)
{
    struct response r = {.status = -7};

    for (size_t len = 0; len < strlen(ok); len++) {
        long got = parse_n(ok, len, &r);

        ck_assert_msg(got == 0, "with the first %zu of %zu bytes: %ld, not 0 (not yet)", len,
                      strlen(ok), got);
    }
    ck_assert_int_eq(r.status, -7); /* *out untouched until complete */
}
END_TEST

START_TEST(the_next_response_is_left_alone)
{
    char two[2 * sizeof ok];
    struct response r;

    snprintf(two, sizeof two, "%s%s", ok, ok);
    ck_assert_int_eq(parse(two, &r), (long)strlen(ok));
    snprintf(two, sizeof two, "%sHTTP/1.1 garbage", ok);
    ck_assert_int_eq(parse(two, &r), (long)strlen(ok));
}
END_TEST

START_TEST(the_body_is_exactly_content_length)
{
    struct response r;
    const char *one = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAB";
    const char *zero = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\nHTTP";

    ck_assert_int_eq(parse_n(one, strlen(one) - 2, &r), 0);
    ck_assert_int_eq(parse(one, &r), (long)strlen(one) - 1);
    ck_assert_int_eq(parse(zero, &r), (long)strlen(zero) - 4);
    ck_assert_int_eq(r.status, 204);
    ck_assert_uint_eq(r.content_length, 0);
}
END_TEST

START_TEST(header_names_in_any_case_and_spaces_around_values)
{
    struct response r;
    const char *texts[] = {
        "HTTP/1.0 404 Not Found\r\ncontent-length: 3\r\n\r\nabc",
        "HTTP/1.1 404 Not Found\r\nCONTENT-LENGTH:3\r\n\r\nabc",
        "HTTP/1.1 404\r\nX-A: b\r\nContent-Length: \t 3 \t\r\n\r\nabc",
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ck_assert_msg(parse(texts[i], &r) == (long)strlen(texts[i]), "response %zu", i);
        ck_assert_int_eq(r.status, 404);
        ck_assert_uint_eq(r.content_length, 3);
    }
}
END_TEST

START_TEST(only_the_content_length_header_frames_the_body)
{
    struct response r;
    const char *text = "HTTP/1.1 200 OK\r\nX-Note: Content-Length: 99\r\n"
                       "Content-Length: 2\r\nX-Content-Length: 50\r\n\r\nhi";

    ck_assert_int_eq(parse(text, &r), (long)strlen(text));
    ck_assert_uint_eq(r.content_length, 2);
}
END_TEST

START_TEST(malformed_responses)
{
    struct response r;
    const char *bad[] = {
        "HTTP/1.1 200 OK\r\n\r\n",                                         /* no Content-Length */
        "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n",                      /* not HTTP/1.x */
        "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",                     /* two digits */
        "HTTP/1.1 2000\r\nContent-Length: 0\r\n\r\n",                      /* four */
        "HTTP/1.1 099 Hm\r\nContent-Length: 0\r\n\r\n",                    /* below 100 */
        "HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n",                     /* no space */
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",                                     /* not HTTP at all */
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",                   /* not digits */
        "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx",                  /* a sign */
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",                   /* negative */
        "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",                  /* a space inside */
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",                      /* empty */
        "HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n",              /* over the limit */
        "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551617\r\n\r\n", /* overflows */
        "HTTP/1.1 200 OK\r\nNo colon\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\n\n", /* bare newlines */
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(parse(bad[i], &r) == -1, "accepted as valid (or 'not yet'): %s", bad[i]);
}
END_TEST

/* A head that never ends is refused once RESPONSE_HEAD_MAX bytes came without its end. */
START_TEST(the_head_is_bounded)
{
    char *head = malloc(RESPONSE_HEAD_MAX + 1);
    size_t start = strlen("HTTP/1.1 200 OK\r\nX: ");
    struct response r;

    ck_assert_ptr_nonnull(head);
    memcpy(head, "HTTP/1.1 200 OK\r\nX: ", start);
    memset(head + start, 'a', RESPONSE_HEAD_MAX + 1 - start);
    ck_assert_int_eq(parse_n(head, RESPONSE_HEAD_MAX - 1, &r), 0);
    ck_assert_int_eq(parse_n(head, RESPONSE_HEAD_MAX, &r), -1);
    ck_assert_int_eq(parse_n(head, RESPONSE_HEAD_MAX + 1, &r), -1);
    free(head);
    /* A head of exactly RESPONSE_HEAD_MAX bytes is fine, and so is its body after it. */
    const char *tail = "\r\nContent-Length: 2\r\n\r\n";
    head = malloc(RESPONSE_HEAD_MAX + 2);
    ck_assert_ptr_nonnull(head);
    memcpy(head, "HTTP/1.1 200 OK\r\nX: ", start);
    memset(head + start, 'a', RESPONSE_HEAD_MAX - start - strlen(tail));
    memcpy(head + RESPONSE_HEAD_MAX - strlen(tail), tail, strlen(tail));
    memcpy(head + RESPONSE_HEAD_MAX, "ZZ", 2);
    ck_assert_int_eq(parse_n(head, RESPONSE_HEAD_MAX + 2, &r), RESPONSE_HEAD_MAX + 2);
    ck_assert_uint_eq(r.content_length, 2);
    free(head);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("response_parser");
    TCase *tc = test_case(s, "response_parser");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, a_whole_response);
    tcase_add_test(tc, every_prefix_is_not_yet);
    tcase_add_test(tc, the_next_response_is_left_alone);
    tcase_add_test(tc, the_body_is_exactly_content_length);
    tcase_add_test(tc, header_names_in_any_case_and_spaces_around_values);
    tcase_add_test(tc, only_the_content_length_header_frames_the_body);
    tcase_add_test(tc, malformed_responses);
    tcase_add_test(tc, the_head_is_bounded);
    return s;
}
