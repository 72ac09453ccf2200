/*
 * check_frame.c: tests of frame_length() (exercise frame.c, chapter 11).
 *
 * Every test looks at every prefix of its bytes, as a server that reads one byte at a time
 * would: a valid request gives 0 until its last byte is here, then its length; a bad one gives
 * 0 until the byte that makes it bad, then -1.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define ROOMY 4096

/* For every prefix of in[0, n): 0 before `end` bytes, `end` from there on (a valid request). */
static void expect_complete(const char *in, size_t n, size_t end, size_t max)
{
    for (size_t k = 0; k <= n; k++) {
        long got = frame_length(in, k, max);
        long want = k < end ? 0 : (long)end;

        ck_assert_msg(got == want, "with the first %zu of %zu bytes (max %zu): got %ld, want %ld",
                      k, n, max, got, want);
    }
}

/* For every prefix: 0 up to and without byte `bad`, -1 once it is here. */
static void expect_bad(const char *in, size_t n, size_t bad, size_t max)
{
    for (size_t k = 0; k <= n; k++) {
        long got = frame_length(in, k, max);
        long want = k <= bad ? 0 : -1;

        ck_assert_msg(
            got == want,
            "'%.*s': with the first %zu bytes: got %ld, want %ld (byte %zu is the bad one)", (int)n,
            in, k, got, want, bad);
    }
}

START_TEST(complete_requests)
{
    const char two[] = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n";
    const char empty_arg[] = "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n";

    expect_complete(two, sizeof two - 1, 20, ROOMY); /* the first request only */
    expect_complete(empty_arg, sizeof empty_arg - 1, sizeof empty_arg - 1, ROOMY);
    ck_assert_int_eq(frame_length(two + 20, sizeof two - 1 - 20, ROOMY), 14);
}
END_TEST

START_TEST(binary_data_is_counted_not_searched)
{
    /* Data holding "\r\n", '$', '*' and NUL: only its length says where it ends. */
    const char in[] = "*2\r\n$3\r\nSET\r\n$9\r\n\r\n$1\r\n*\0x\r\n";

    expect_complete(in, sizeof in - 1, sizeof in - 1, ROOMY);
}
END_TEST

START_TEST(bad_bytes_at_once)
{
    static const struct {
        const char *in;
        size_t bad;
    } cases[] = {
        {"PING\r\n", 0},
        {"*a\r\n", 1},
        {"*1\rX", 3},
        {"*1\r\n:1\r\n", 4},
        {"*1\r\n$-1\r\n", 5},
        {"*1\r\n$3\r\nabcX\r\n", 11},
        {"*1\r\n$3\r\nabc\rX", 12},
        {"*1234567890\r\n", 10},
        {"*1\r\n$1234567890\r\n", 14},
        {"*0\r\n", 3},
        {"*1025\r\n", 6},
        {"*2\r\n$1\r\nx\r\n:", 11},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_bad(cases[i].in, strlen(cases[i].in), cases[i].bad, ROOMY);
}
END_TEST

START_TEST(bounded_by_max)
{
    const char in[] = "*1\r\n$5\r\nhello\r\n"; /* 15 bytes */
    const char big[] = "*1\r\n$100\r\n";

    expect_complete(in, sizeof in - 1, 15, 15); /* exactly max: fine */
    expect_bad(in, sizeof in - 1, 7, 14);       /* "$5\r\n" announces an end at 15 > 14 */
    expect_bad(big, sizeof big - 1, 9, 50);     /* refused before any of its data */
    expect_bad("*1\r\n$1", 6, 5, 5);            /* six bytes and no end, max 5 */
    ck_assert_int_eq(frame_length("*1\r\n$1", 5, 5), 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = test_case(s, "frame");

    tcase_add_test(tc, complete_requests);
    tcase_add_test(tc, binary_data_is_counted_not_searched);
    tcase_add_test(tc, bad_bytes_at_once);
    tcase_add_test(tc, bounded_by_max);
    return s;
}
