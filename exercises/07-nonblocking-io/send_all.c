/*
 * send_all.c: exercise: write everything to a non-blocking socket that takes only what fits.
 *
 * Chapter 7. chapters/07-nonblocking-io/partial_writes.c shows the problem: write() takes part
 * of what it is given, or nothing (EAGAIN) while the buffer is full. echo_threads.c's
 * write_all() handles the first on a blocking socket. Here the socket is non-blocking, so you
 * handle the second too: wait until select() says the socket is writable, then go on. Python:
 * sock.sendall().
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/select.h>
#include <unistd.h>

#include "exercises.h"

int send_all(int fd, const void *buf, size_t len)
{
    /*
     * TODO: loop until every byte is written. After a partial write, go on with the rest;
     * after EAGAIN, sleep in select() (or poll()) until fd is writable; after EINTR (from write()
     * or from select()), try again; after any other error, return -1 with errno as it is.
     */
    (void)fd;
    (void)buf;
    (void)len;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
