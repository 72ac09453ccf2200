/*
 * exercises.h: what each exercise of chapter 7 must do. The stubs beside this file and the
 * solutions in solutions/07-nonblocking-io/ both implement it, and the same tests judge both.
 *
 * Three pieces every program that does its own I/O needs, whichever model it uses: cutting a
 * byte stream into lines however the bytes arrive, writing everything to a descriptor that takes
 * only what fits, and a select() set that refuses what it cannot hold.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/select.h>

/* ---- line_reader.c ------------------------------------------------------------------------- */

/*
 * What a line reader calls for each complete line: `len` bytes at `line`, without the "\n" or
 * "\r\n" that ended it (a line may hold any byte but "\n", NUL included, so it is not a C string).
 * The bytes are valid only during the call. `arg` is the one given to line_reader_new. The
 * callback must not call the line_reader functions on the same reader.
 */
typedef void line_fn(const char *line, size_t len, void *arg);

/* A line reader. Its fields are yours to choose: define the struct in line_reader.c. */
struct line_reader;

/*
 * A reader of lines of at most `max` bytes each (not counting the "\n" or "\r\n" that ends them),
 * calling on_line(line, len, arg) for each. Whatever arrives, it never holds more than max + 1
 * bytes of a line (a line of max bytes, and the "\r" that may begin its "\r\n"). Returns NULL with
 * errno set: EINVAL if max is 0, ENOMEM if memory runs out.
 */
struct line_reader *line_reader_new(size_t max, line_fn *on_line, void *arg);

/*
 * Feed n bytes (n may be 0): the next piece of the stream, cut anywhere, one byte or many lines
 * at a time. Calls on_line for every line these bytes complete, in order, before returning.
 * A line ends at "\n"; a "\r" just before that "\n" belongs to the ending, any other "\r" to the
 * line. Returns 0, or -1 with errno EMSGSIZE as soon as the current line is known to be longer
 * than max bytes: that line is never delivered, and from then on every call on this reader
 * fails the same way (after an overlong line the stream cannot be trusted).
 */
int line_reader_feed(struct line_reader *r, const char *data, size_t n);

/*
 * The end of the stream: if bytes after the last "\n" remain, deliver them as a last line, as they
 * are (a final "\r" included: no "\n" followed it), as Python's readline() returns a last line
 * without its "\n". The reader is then empty, ready for a new stream. Returns 0, or -1 with errno
 * EMSGSIZE if that last line is longer than max bytes or the reader had already failed.
 */
int line_reader_finish(struct line_reader *r);

/* Free the reader (NULL is fine). */
void line_reader_free(struct line_reader *r);

/* ---- send_all.c ---------------------------------------------------------------------------- */

/*
 * Write all len bytes of buf to fd, a non-blocking socket or pipe, as Python's sock.sendall()
 * does. write() may take only part of what it is given (a partial write: go on with the rest) or
 * nothing at all (-1 with EAGAIN or EWOULDBLOCK: the buffer is full; wait until select() or poll()
 * says fd is writable, then go on; never try again without waiting). A call interrupted by a
 * signal (EINTR) is tried again. fd stays non-blocking. Returns 0 once every byte is written, or
 * -1 with errno set on any other error (EPIPE when the reader has gone; the caller ignores
 * SIGPIPE). Write with write() or send(): the tests count those calls, to see how you wait.
 */
int send_all(int fd, const void *buf, size_t len);

/* ---- watch_set.c --------------------------------------------------------------------------- */

/*
 * A set of descriptors watched for reading with select(): what echo_select.c does by hand, with
 * the guard every select() user needs. The fields are part of the contract:
 */
struct watch_set {
    fd_set master; /* the descriptors watched; select() itself only ever gets a copy */
    int maxfd;     /* the highest descriptor watched, or -1 if none: select() takes maxfd + 1 */
};

/* Make the set empty. */
void watch_set_init(struct watch_set *ws);

/*
 * Watch fd for reading (watching it twice is fine). Returns 0, or -1 with errno set, leaving the
 * set exactly as it was: EINVAL if fd is negative or not below FD_SETSIZE (an fd_set has no bit
 * for it, and FD_SET would write past its end; that is checked first, open or not), EBADF if fd
 * is not an open descriptor.
 */
int watch_set_add(struct watch_set *ws, int fd);

/* Stop watching fd. A descriptor that is not watched, or out of range, is ignored. */
void watch_set_remove(struct watch_set *ws, int fd);

/*
 * Wait until some watched descriptor is readable, for at most timeout_ms milliseconds (0: do not
 * wait, just look; -1: wait as long as it takes). Store the readable ones in ready[], lowest
 * first, at most max of them. Returns how many were stored (0 if the time ran out), or -1 with
 * errno set if select() failed (EINTR after a signal, EBADF if a watched descriptor was closed).
 * The set is the same afterwards, whatever happened.
 */
int watch_set_wait(struct watch_set *ws, int timeout_ms, int ready[], int max);

#endif
