/*
 * check_line_reader.c: tests of the line reader: the same lines however the stream is cut.
 *
 * Chapter 7, exercise line_reader.c. A read() returns whatever has arrived: half a line, three
 * lines and a bit, one byte. So every input here is fed whole, one byte at a time, in every
 * possible pair of pieces, and in pseudo-random pieces, and must give the same lines each time.
 * Then the bound: an overlong line is refused on the very byte that makes it too long, not when
 * its "\n" finally comes (a reader that waits for it holds as much as the sender likes).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define MAX_LINES 16
#define SHOWN 40        /* bytes of a line shown in a message */
#define ROOMY 1000      /* a bound no line of the small inputs comes near */
#define RANDOM_CUTS 50  /* pseudo-random cuttings of each input */
#define HUGE_MAX 100000 /* the bound of the long-line tests */
#define CHUNK 4096      /* the piece size of the long-line tests */
#define FLOOD 1000000   /* bytes of a line that never ends */
#define N(array) (sizeof(array) / sizeof((array)[0]))
/* A string literal and its length, NULs included. */
#define S(literal)                                                                                 \
    {                                                                                              \
        (literal), sizeof(literal) - 1                                                             \
    }

struct bytes {
    const char *p;
    size_t len;
};

/* The lines a reader delivered, copied. */
struct lines {
    size_t n;
    char *line[MAX_LINES];
    size_t len[MAX_LINES];
    size_t too_many; /* lines delivered past MAX_LINES */
};

static void collect(const char *line, size_t len, void *arg)
{
    struct lines *got = arg;
    char *copy;

    if (got->n == MAX_LINES) {
        got->too_many++;
        return;
    }
    copy = malloc(len + 1);
    ck_assert_msg(copy != NULL, "out of memory");
    if (len > 0)
        memcpy(copy, line, len);
    got->line[got->n] = copy;
    got->len[got->n++] = len;
}

static void forget(struct lines *got)
{
    for (size_t i = 0; i < got->n; i++)
        free(got->line[i]);
    *got = (struct lines){0};
}

/* Bytes as a C string literal would write them, shortened, into buf: for messages. */
#define SHOW_SIZE (4 * SHOWN + 32)
static const char *show(char buf[SHOW_SIZE], const char *p, size_t len)
{
    size_t used = 0;

    for (size_t i = 0; i < len && i < SHOWN; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c == '\n')
            used += (size_t)snprintf(buf + used, SHOW_SIZE - used, "\\n");
        else if (c == '\r')
            used += (size_t)snprintf(buf + used, SHOW_SIZE - used, "\\r");
        else if (c < ' ' || c > '~')
            used += (size_t)snprintf(buf + used, SHOW_SIZE - used, "\\%03o", c);
        else
            buf[used++] = (char)c;
    }
    buf[used] = '\0';
    if (len > SHOWN)
        snprintf(buf + used, SHOW_SIZE - used, "...(%zu bytes)", len);
    return buf;
}

static struct line_reader *new_reader(size_t max, struct lines *got)
{
    struct line_reader *r;

    errno = 0;
    r = line_reader_new(max, collect, got);
    ck_assert_msg(r != NULL, "line_reader_new(%zu) returned NULL (errno %d: %s)", max, errno,
                  strerror(errno));
    return r;
}

/* Feed one piece and fail unless it was accepted. */
static void feed_ok(struct line_reader *r, const char *p, size_t len, const char *how)
{
    char text[SHOW_SIZE];
    int rc;

    errno = 0;
    rc = line_reader_feed(r, p, len);
    ck_assert_msg(rc == 0, "%s: line_reader_feed(\"%s\") returned %d (errno %d: %s), expected 0",
                  how, show(text, p, len), rc, errno, strerror(errno));
}

/* A small deterministic generator, so that every run cuts the same way. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Fail unless `got` holds exactly the expected lines. */
static void expect_got(const struct lines *got, const struct bytes want[], size_t nwant,
                       const struct bytes *input, const char *how)
{
    char in[SHOW_SIZE], a[SHOW_SIZE], b[SHOW_SIZE];

    show(in, input->p, input->len);
    ck_assert_msg(got->too_many == 0, "input \"%s\", %s: more than %d lines delivered", in, how,
                  MAX_LINES);
    for (size_t i = 0; i < nwant && i < got->n; i++)
        ck_assert_msg(
            got->len[i] == want[i].len && memcmp(got->line[i], want[i].p, want[i].len) == 0,
            "input \"%s\", %s: line %zu is \"%s\" (%zu bytes), expected \"%s\"", in, how, i + 1,
            show(a, got->line[i], got->len[i]), got->len[i], show(b, want[i].p, want[i].len));
    ck_assert_msg(got->n == nwant, "input \"%s\", %s: %zu lines delivered, expected %zu%s", in, how,
                  got->n, nwant,
                  got->n < nwant ? " (is a line lost, or stuck in the reader?)" : "");
}

/* Feed `input` cut at the given places (cuts[] ascending), then finish; check the lines. */
static void feed_cut(const struct bytes *input, const size_t cuts[], size_t ncuts,
                     const struct bytes want[], size_t nwant, const char *how)
{
    struct lines got = {0};
    struct line_reader *r = new_reader(ROOMY, &got);
    char in[SHOW_SIZE];
    size_t from = 0;

    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : input->len;

        feed_ok(r, input->p + from, to - from, how);
        from = to;
    }
    errno = 0;
    ck_assert_msg(line_reader_finish(r) == 0, "input \"%s\", %s: line_reader_finish failed (%s)",
                  show(in, input->p, input->len), how, strerror(errno));
    expect_got(&got, want, nwant, input, how);
    line_reader_free(r);
    forget(&got);
}

/* Every way of cutting `input` this test knows must give exactly `want`. */
static void expect_lines_from(struct bytes input, const struct bytes want[], size_t nwant)
{
    size_t cuts[4 * SHOWN] = {0};
    uint32_t seed = 7;

    ck_assert(input.len < N(cuts));
    feed_cut(&input, NULL, 0, want, nwant, "fed whole");
    for (size_t i = 0; i + 1 < input.len; i++)
        cuts[i] = i + 1;
    feed_cut(&input, cuts, input.len ? input.len - 1 : 0, want, nwant, "fed one byte at a time");
    for (size_t at = 1; at < input.len; at++) {
        char how[64];

        snprintf(how, sizeof how, "cut in two after byte %zu", at);
        feed_cut(&input, &at, 1, want, nwant, how);
    }
    for (int k = 0; k < RANDOM_CUTS; k++) {
        size_t n = 0;
        char how[64];

        for (size_t at = 1; at < input.len; at++) {
            if (next_random(&seed) % 3 == 0)
                cuts[n++] = at;
        }
        snprintf(how, sizeof how, "cut in %zu pieces (random cutting %d)", n + 1, k + 1);
        feed_cut(&input, cuts, n, want, nwant, how);
    }
}

/* ---- lines however they are cut ------------------------------------------------------------ */

START_TEST(one_line)
{
    const struct bytes want[] = {S("hello")};

    expect_lines_from((struct bytes)S("hello\n"), want, N(want));
}
END_TEST

START_TEST(several_lines_in_one_piece)
{
    const struct bytes want[] = {S("a"), S("bb"), S("ccc"), S("dddd")};

    expect_lines_from((struct bytes)S("a\nbb\nccc\ndddd\n"), want, N(want));
}
END_TEST

START_TEST(empty_lines)
{
    const struct bytes want[] = {S(""), S(""), S("x"), S("")};

    expect_lines_from((struct bytes)S("\n\nx\n\n"), want, N(want));
}
END_TEST

START_TEST(crlf_endings)
{
    const struct bytes two[] = {S("GET / HTTP/1.0"), S("Host: x")};
    const struct bytes empty[] = {S("")};

    expect_lines_from((struct bytes)S("GET / HTTP/1.0\r\nHost: x\r\n"), two, N(two));
    expect_lines_from((struct bytes)S("\r\n"), empty, N(empty));
}
END_TEST

START_TEST(a_lone_cr_is_data)
{
    const struct bytes inside[] = {S("a\rb")};
    const struct bytes cr[] = {S("\r")};
    const struct bytes cr_cr[] = {S("a\r"), S("b")};

    expect_lines_from((struct bytes)S("a\rb\n"), inside, N(inside));
    expect_lines_from((struct bytes)S("\r\r\n"), cr, N(cr));
    expect_lines_from((struct bytes)S("a\r\r\nb\n"), cr_cr, N(cr_cr));
}
END_TEST

START_TEST(nul_bytes_are_data)
{
    const struct bytes want[] = {S("a\0b"), S("\0"), S("c")};

    expect_lines_from((struct bytes)S("a\0b\n\0\nc\n"), want, N(want));
}
END_TEST

START_TEST(a_last_line_without_newline)
{
    const struct bytes two[] = {S("first"), S("last")};
    const struct bytes one[] = {S("only")};
    const struct bytes cr[] = {S("one"), S("two\r")};

    expect_lines_from((struct bytes)S("first\nlast"), two, N(two));
    expect_lines_from((struct bytes)S("only\n"), one, N(one)); /* no empty line after it */
    expect_lines_from((struct bytes)S("one\ntwo\r"), cr, N(cr));
    expect_lines_from((struct bytes)S(""), NULL, 0);
}
END_TEST

START_TEST(ready_for_a_new_stream_after_finish)
{
    struct lines got = {0};
    struct line_reader *r = new_reader(ROOMY, &got);
    const struct bytes want[] = {S("abc"), S("def")};
    const struct bytes input = S("abc|def\n");

    feed_ok(r, "abc", 3, "stream 1");
    ck_assert_int_eq(line_reader_finish(r), 0);
    feed_ok(r, "def\n", 4, "stream 2");
    ck_assert_int_eq(line_reader_finish(r), 0);
    expect_got(&got, want, N(want), &input, "two streams, finished after each");
    line_reader_free(r);
    forget(&got);
}
END_TEST

/* ---- the bound ----------------------------------------------------------------------------- */

/* Feed `input` one byte at a time with bound `max`: all must be accepted, then finished. */
static void expect_accepted(size_t max, struct bytes input, const struct bytes want[], size_t nwant)
{
    struct lines got = {0};
    struct line_reader *r = new_reader(max, &got);
    char how[64], in[SHOW_SIZE];

    snprintf(how, sizeof how, "max %zu, fed one byte at a time", max);
    for (size_t i = 0; i < input.len; i++)
        feed_ok(r, input.p + i, 1, how);
    errno = 0;
    ck_assert_msg(line_reader_finish(r) == 0, "input \"%s\", %s: finish failed (%s)",
                  show(in, input.p, input.len), how, strerror(errno));
    expect_got(&got, want, nwant, &input, how);
    line_reader_free(r);
    forget(&got);
}

/*
 * Feed `input` one byte at a time with bound `max`: every byte before byte `bad` (counted from
 * 0) is accepted, byte `bad` is refused with EMSGSIZE, and so is everything after it, finish
 * included; the lines before the long one, and only those, were delivered.
 */
static void expect_refused_at(size_t max, struct bytes input, size_t bad, const struct bytes want[],
                              size_t nwant)
{
    struct lines got = {0};
    struct line_reader *r = new_reader(max, &got);
    char in[SHOW_SIZE], how[64];
    int rc;

    show(in, input.p, input.len);
    snprintf(how, sizeof how, "max %zu, fed one byte at a time", max);
    for (size_t i = 0; i < bad; i++)
        feed_ok(r, input.p + i, 1, how);
    errno = 0;
    rc = line_reader_feed(r, input.p + bad, 1);
    ck_assert_msg(rc == -1 && errno == EMSGSIZE,
                  "input \"%s\", %s: byte %zu makes a line longer than %zu bytes, but feeding it "
                  "returned %d (errno %d: %s), expected -1 with EMSGSIZE",
                  in, how, bad + 1, max, rc, errno, strerror(errno));
    errno = 0;
    rc = line_reader_feed(r, "ok\n", 3);
    ck_assert_msg(rc == -1 && errno == EMSGSIZE,
                  "input \"%s\": after EMSGSIZE, feeding \"ok\\n\" returned %d (errno %s): every "
                  "later call must fail the same way",
                  in, rc, strerror(errno));
    errno = 0;
    rc = line_reader_finish(r);
    ck_assert_msg(rc == -1 && errno == EMSGSIZE,
                  "input \"%s\": after EMSGSIZE, line_reader_finish returned %d (errno %s)", in, rc,
                  strerror(errno));
    expect_got(&got, want, nwant, &input, how);
    line_reader_free(r);
    forget(&got);
}

START_TEST(a_line_of_exactly_max_bytes)
{
    const struct bytes eight[] = {S("12345678"), S("x")};

    expect_accepted(8, (struct bytes)S("12345678\nx\n"), eight, N(eight));
    expect_accepted(8, (struct bytes)S("12345678\r\nx\r\n"), eight, N(eight));
    expect_accepted(8, (struct bytes)S("12345678\nx"), eight, N(eight));
}
END_TEST

START_TEST(one_byte_more_is_refused_at_once)
{
    const struct bytes before[] = {S("ok")};

    expect_refused_at(8, (struct bytes)S("123456789\n"), 8, NULL, 0);
    expect_refused_at(8, (struct bytes)S("ok\n123456789xxxxxxxxxx\n"), 11, before, N(before));
}
END_TEST

START_TEST(a_cr_at_the_bound_waits_for_the_next_byte)
{
    const struct bytes seven[] = {S("1234567\r")};

    /* "12345678\r" could still end "\r\n"; the "x" after it makes the line 10 bytes long. */
    expect_refused_at(8, (struct bytes)S("12345678\rx\n"), 9, NULL, 0);
    expect_refused_at(8, (struct bytes)S("12345678\r\r\n"), 9, NULL, 0);
    /* At the end of the stream, "1234567\r" is 8 bytes, but "12345678\r" is 9. */
    expect_accepted(8, (struct bytes)S("1234567\r"), seven, N(seven));
    {
        struct lines got = {0};
        struct line_reader *r = new_reader(8, &got);
        int rc;

        feed_ok(r, "12345678\r", 9, "max 8");
        errno = 0;
        rc = line_reader_finish(r);
        ck_assert_msg(rc == -1 && errno == EMSGSIZE,
                      "\"12345678\\r\" then the end, max 8: a last line of 9 bytes, but "
                      "line_reader_finish returned %d (errno %s), expected -1 with EMSGSIZE",
                      rc, strerror(errno));
        ck_assert_msg(got.n == 0, "a line too long was delivered");
        line_reader_free(r);
    }
}
END_TEST

START_TEST(an_endless_line_is_refused_early)
{
    /* A sender that never sends "\n": refused by byte max + 1, whatever the pieces. */
    static char flood[FLOOD];
    struct lines got = {0};
    struct line_reader *r = new_reader(ROOMY, &got);
    size_t fed = 0;
    int rc = 0;

    memset(flood, 'x', sizeof flood);
    while (fed < FLOOD && (rc = line_reader_feed(r, flood + fed, CHUNK)) == 0)
        fed += CHUNK;
    ck_assert_msg(rc == -1 && errno == EMSGSIZE && fed < ROOMY,
                  "a line with no end, max %d: %zu bytes were accepted in pieces of %d before "
                  "EMSGSIZE; it must come in the piece that holds byte %d",
                  ROOMY, fed, CHUNK, ROOMY + 1);
    line_reader_free(r);
    r = new_reader(ROOMY, &got);
    for (fed = 0; fed < FLOOD && (rc = line_reader_feed(r, flood + fed, 1)) == 0;)
        fed++;
    ck_assert_msg(rc == -1 && errno == EMSGSIZE && fed == ROOMY,
                  "a line with no end, max %d, one byte at a time: %zu bytes accepted, expected "
                  "%d and EMSGSIZE on the next",
                  ROOMY, fed, ROOMY);
    ck_assert_msg(got.n == 0, "a line was delivered from a stream with no \"\\n\"");
    line_reader_free(r);
}
END_TEST

START_TEST(a_long_line_within_a_big_bound)
{
    /* The bound is the caller's: nothing smaller may be built in. */
    static char line[HUGE_MAX];
    struct lines got = {0};
    struct line_reader *r = new_reader(HUGE_MAX, &got);
    uint32_t seed = 1;

    for (size_t i = 0; i < HUGE_MAX; i++)
        line[i] = (char)('a' + next_random(&seed) % 26);
    for (size_t fed = 0; fed < HUGE_MAX; fed += CHUNK)
        feed_ok(r, line + fed, fed + CHUNK <= HUGE_MAX ? CHUNK : HUGE_MAX - fed, "a long line");
    feed_ok(r, "\r\nend", 5, "a long line");
    ck_assert_int_eq(line_reader_finish(r), 0);
    ck_assert_msg(got.n == 2,
                  "a line of %d bytes with max %d: %zu lines delivered, expected it "
                  "and \"end\"",
                  HUGE_MAX, HUGE_MAX, got.n);
    ck_assert_msg(got.len[0] == HUGE_MAX && memcmp(got.line[0], line, HUGE_MAX) == 0,
                  "a line of %d bytes with max %d came back as %zu bytes, or changed", HUGE_MAX,
                  HUGE_MAX, got.len[0]);
    line_reader_free(r);
    forget(&got);
}
END_TEST

START_TEST(max_zero_is_refused)
{
    struct lines got = {0};
    struct line_reader *r;

    errno = 0;
    r = line_reader_new(0, collect, &got);
    ck_assert_msg(r == NULL && errno == EINVAL,
                  "line_reader_new(0) returned %p (errno %s), expected NULL and EINVAL", (void *)r,
                  strerror(errno));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 7 exercises");
    TCase *tc = test_case(s, "line_reader");

    tcase_add_test(tc, one_line);
    tcase_add_test(tc, several_lines_in_one_piece);
    tcase_add_test(tc, empty_lines);
    tcase_add_test(tc, crlf_endings);
    tcase_add_test(tc, a_lone_cr_is_data);
    tcase_add_test(tc, nul_bytes_are_data);
    tcase_add_test(tc, a_last_line_without_newline);
    tcase_add_test(tc, ready_for_a_new_stream_after_finish);
    tcase_add_test(tc, a_line_of_exactly_max_bytes);
    tcase_add_test(tc, one_byte_more_is_refused_at_once);
    tcase_add_test(tc, a_cr_at_the_bound_waits_for_the_next_byte);
    tcase_add_test(tc, an_endless_line_is_refused_early);
    tcase_add_test(tc, a_long_line_within_a_big_bound);
    tcase_add_test(tc, max_zero_is_refused);
    return s;
}
