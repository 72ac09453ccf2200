/*
 * check_outbuf.c: tests of the output buffer (exercise outbuf.c, chapter 11).
 *
 * Over a non-blocking socketpair with a small buffer: half a megabyte appended, flushed as the
 * socket takes it (EAGAIN is "not now"), read at the other end and compared byte for byte. The
 * memory bound is tested by moving `start` as a partial write would (the struct is the
 * contract's), then appending again: the buffer must make room at its front, not grow past limit.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exercises.h"
#include "testing.h"

#define TOTAL (512 * 1024)
#define SMALL_BUFFER 4096
#define ROUNDS 1000 /* flush-and-read rounds allowed: far more than needed */

static char pattern(size_t i)
{
    return (char)(i * 7 + i / 251);
}

static void socket_pair(int sv[2])
{
    int size = SMALL_BUFFER;

    ck_assert(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    ck_assert(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == 0);
    ck_assert(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
    ck_assert(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0);
}

START_TEST(bounded_by_limit)
{
    struct outbuf b;
    char bytes[100] = {0};

    outbuf_init(&b, 100);
    ck_assert_int_eq(outbuf_append(&b, bytes, 60), 0);
    errno = 0;
    ck_assert_int_eq(outbuf_append(&b, bytes, 41), -1);
    ck_assert_int_eq(errno, ENOBUFS);
    ck_assert_uint_eq(outbuf_pending(&b), 60);
    ck_assert_int_eq(outbuf_append(&b, bytes, 40), 0);
    ck_assert_uint_eq(outbuf_pending(&b), 100);
    ck_assert_uint_le(b.cap, 100);
    outbuf_free(&b);
}
END_TEST

START_TEST(flush_what_fits_and_keep_the_rest)
{
    char *data = malloc(TOTAL), *got = malloc(TOTAL);
    size_t received = 0;
    struct outbuf b;
    int sv[2], rounds = 0;

    ck_assert(data != NULL && got != NULL);
    for (size_t i = 0; i < TOTAL; i++)
        data[i] = pattern(i);
    socket_pair(sv);
    outbuf_init(&b, TOTAL);
    for (size_t i = 0; i < TOTAL; i += TOTAL / 8)
        ck_assert_int_eq(outbuf_append(&b, data + i, TOTAL / 8), 0);
    ck_assert_msg(outbuf_flush(&b, sv[0]) == 0, "flush into a full socket: %s", strerror(errno));
    ck_assert_msg(outbuf_pending(&b) > 0, "512 KiB cannot fit in a socket of 4 KiB");
    while (received < TOTAL && rounds++ < ROUNDS * 100) {
        ssize_t n = read(sv[1], got + received, TOTAL - received);

        if (n > 0)
            received += (size_t)n;
        ck_assert_msg(outbuf_flush(&b, sv[0]) == 0, "flush: %s", strerror(errno));
    }
    ck_assert_uint_eq(received, TOTAL);
    ck_assert_uint_eq(outbuf_pending(&b), 0);
    ck_assert_msg(b.start == 0 && b.end == 0, "empty, but start %zu and end %zu", b.start, b.end);
    for (size_t i = 0; i < TOTAL; i++)
        ck_assert_msg(got[i] == data[i], "byte %zu differs: lost or reordered", i);
    outbuf_free(&b);
    close(sv[0]);
    close(sv[1]);
    free(data);
    free(got);
}
END_TEST

START_TEST(room_is_made_at_the_front)
{
    enum { LIMIT = 1000, PIECE = 300 };
    struct outbuf b;
    char piece[PIECE];
    size_t sent = 0, total = 0; /* stream positions: written so far, appended so far */

    outbuf_init(&b, LIMIT);
    for (int round = 0; round < 100; round++) {
        for (size_t i = 0; i < PIECE; i++)
            piece[i] = pattern(total + i);
        ck_assert_msg(outbuf_append(&b, piece, PIECE) == 0, "round %d: %zu pending + %d refused",
                      round, outbuf_pending(&b), PIECE);
        total += PIECE;
        ck_assert_msg(b.cap <= LIMIT, "round %d: %zu bytes held, limit %d", round, b.cap, LIMIT);
        for (size_t i = b.start; i < b.end; i++)
            ck_assert_msg(b.data[i] == pattern(sent + i - b.start), "round %d: byte %zu differs",
                          round, sent + i - b.start);
        /* As a partial write would: from the second round on, PIECE bytes went out, and PIECE
         * stay pending, ever further from the front unless the buffer moves them there. */
        if (round > 0) {
            b.start += PIECE;
            sent += PIECE;
        }
    }
    outbuf_free(&b);
}
END_TEST

START_TEST(a_closed_peer_is_an_error)
{
    struct outbuf b;
    int sv[2];

    socket_pair(sv);
    close(sv[1]);
    outbuf_init(&b, 100);
    ck_assert_int_eq(outbuf_append(&b, "hello", 5), 0);
    errno = 0;
    ck_assert_int_eq(outbuf_flush(&b, sv[0]), -1); /* and no SIGPIPE: MSG_NOSIGNAL */
    ck_assert_int_eq(errno, EPIPE);
    outbuf_free(&b);
    close(sv[0]);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("outbuf");
    TCase *tc = test_case(s, "outbuf");

    tcase_add_test(tc, bounded_by_limit);
    tcase_add_test(tc, flush_what_fits_and_keep_the_rest);
    tcase_add_test(tc, room_is_made_at_the_front);
    tcase_add_test(tc, a_closed_peer_is_an_error);
    return s;
}
