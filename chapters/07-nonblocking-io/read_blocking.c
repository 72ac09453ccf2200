/*
 * read_blocking.c: read() on an empty pipe blocks its thread until a writer comes, 1 s later.
 *
 * Chapter 7. What every *_threads.c program relies on: a blocking call waits where it stands,
 * and the kernel wakes the thread when there is something to return. Here a writer thread puts
 * five bytes into the pipe after 1 s; main's read() returns only then, with those five bytes.
 * Compare with read_nonblocking.c, where the same read() on the same empty pipe returns at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WRITER_DELAY 1.0 /* seconds before the writer writes, before -s */
#define MESSAGE "hello"
#define BUF_SIZE 64

static struct demo demo;

static void *writer(void *arg)
{
    int fd = *(const int *)arg;
    ssize_t n;

    if (sleep_seconds(demo_seconds(&demo, WRITER_DELAY)) == -1)
        die_errno("nanosleep");
    say("writer", "writer: write() of %zu bytes", strlen(MESSAGE));
    n = write(fd, MESSAGE, strlen(MESSAGE));
    if (n == -1)
        die_errno("write");
    return NULL;
}

int main(int argc, char **argv)
{
    int fds[2];
    char buf[BUF_SIZE];
    ssize_t n;
    pthread_t thread;

    demo_init(&demo, argc, argv,
              "read() on an empty pipe waits until a writer thread writes, 1 s.");
    if (pipe(fds) == -1)
        die_errno("pipe");
    say("main", "main: read() on the empty pipe; the thread sleeps in the kernel until data comes");
    PCHECK(pthread_create(&thread, NULL, writer, &fds[1])); /* its 1 s starts after that line */
    n = read(fds[0], buf, sizeof buf);
    if (n == -1)
        die_errno("read");
    say("main", "main: read() returned %zd bytes: '%.*s'", n, (int)n, buf);
    PCHECK(pthread_join(thread, NULL));
    if (close(fds[0]) == -1 || close(fds[1]) == -1)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
