/*
 * exercises.h: the contracts of chapter 11's exercises. Read it first; do not change it.
 *
 *   frame.c    where the first request in a buffer ends (RESP framing), bounded by `max`
 *   bounded.c  a fixed pool of worker threads: at most N items at once, and never fewer
 *   outbuf.c   the event-loop server's per-client output buffer: bounded, non-blocking flush
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stddef.h>

/* ---- frame.c ------------------------------------------------------------------------------- */

#define FRAME_MAX_ARGS 1024 /* the most elements an array may have here */

/*
 * Look at buf[0, len), the bytes a server has read so far, and say where the first request ends.
 * A request is a RESP array of bulk strings: "*N\r\n" then N times "$L\r\n", L bytes of data (any
 * bytes, "\r\n" and NUL included) and "\r\n". N and L are written in decimal digits only (no
 * sign), at most 9 of them; N is from 1 to FRAME_MAX_ARGS, L from 0. Returns:
 *   n > 0  the request is complete and takes the first n bytes (what follows is the next one);
 *   0      not complete yet: every byte so far could still begin a valid request of at most max
 *          bytes; the caller reads more and asks again;
 *   -1     it can never be valid: decided as soon as the bytes show it, without waiting for more:
 *          a byte that cannot come where it is (not '*' first, not a digit in a number, no '$',
 *          no "\r\n" where one is due), a count out of range once its "\r\n" arrived, or a
 *          request longer than max bytes (once more than max bytes are here without an end, or
 *          as soon as a length line announces data that would end past byte max).
 * buf need not be NUL-terminated, and is only read.
 */
long frame_length(const char *buf, size_t len, size_t max);

/* ---- bounded.c ----------------------------------------------------------------------------- */

typedef void bounded_work(int item, void *arg);

/*
 * Run work(i, arg) exactly once for every i in [0, nitems), on a fixed pool: exactly
 * min(nthreads, nitems) worker threads, started here and all joined before returning. Each
 * worker takes the lowest item nobody took yet, runs it, and takes the next, until none is
 * left: so at most nthreads items run at once, and while items are left no worker is idle (one
 * slow item holds up only its own worker). Returns 0, or the error number of pthread_create if a
 * worker could not be started (then the workers already started finish every item anyway).
 * nthreads >= 1; nitems >= 0.
 */
int run_bounded(int nitems, int nthreads, bounded_work *work, void *arg);

/* ---- outbuf.c ------------------------------------------------------------------------------ */

/*
 * Replies waiting to be written to one client: data[start, end) is still to go out. The buffer
 * never holds more than `limit` bytes of memory (cap <= limit): room is made by moving the
 * pending bytes to the front before growing. Zero-initialise it, then set limit (outbuf_init).
 */
struct outbuf {
    char *data;
    size_t start, end, cap;
    size_t limit;
};

/* An empty buffer that will hold at most `limit` bytes. Allocates nothing yet. */
void outbuf_init(struct outbuf *b, size_t limit);

/* Bytes still to be written. */
size_t outbuf_pending(const struct outbuf *b);

/*
 * Append n bytes after the pending ones. Returns 0; or -1 with errno ENOBUFS if the pending bytes
 * would then pass the limit (a client that does not read: the server drops it), or ENOMEM; in
 * both cases nothing was appended.
 */
int outbuf_append(struct outbuf *b, const void *bytes, size_t n);

/*
 * Write as much of the pending bytes to `fd` (a non-blocking socket) as it takes now, in order,
 * with send(..., MSG_NOSIGNAL). Returns 0 when it wrote all, or when the socket is full (EAGAIN
 * is "not now", not an error: the bytes stay pending); -1 with errno on a real error (EPIPE,
 * ECONNRESET). A signal (EINTR) is retried. Once all is written, start and end go back to 0.
 */
int outbuf_flush(struct outbuf *b, int fd);

/* Free the memory; the buffer is empty and usable again, with the same limit. */
void outbuf_free(struct outbuf *b);

#endif
