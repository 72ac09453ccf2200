/*
 * loop_backend.h: the seam between the loop and the system call that waits.
 *
 * loop.c knows nothing about select(); it asks a backend to remember which descriptors it wants
 * and to wait for them. loop_select.c is the backend every chapter uses. Chapter 15 adds poll() and
 * epoll backends beside it; the Makefile, not an #include, picks which one is linked.
 * This header is private to common/: programs include loop.h.
 */
#ifndef LOOP_BACKEND_H
#define LOOP_BACKEND_H

#include <stdint.h>

/* One descriptor the backend found ready, and for what (LOOP_READ | LOOP_WRITE bits). */
struct backend_event {
    int fd;
    int events;
};

struct backend;

/* The backend's name, for messages ("select"). */
const char *backend_name(void);

/* The first descriptor value the backend cannot watch (FD_SETSIZE for select). */
int backend_max_fd(void);

/* Create a backend. Returns NULL with errno set on failure. */
struct backend *backend_new(void);

void backend_free(struct backend *b);

/*
 * Set what `fd` is watched for: a mask of LOOP_READ and LOOP_WRITE, 0 to forget it. The caller has
 * checked 0 <= fd < backend_max_fd(). Returns 0, or -1 with errno set.
 */
int backend_set(struct backend *b, int fd, int events);

/*
 * Wait at most timeout_ns (-1: forever, 0: do not block) for a watched descriptor to be ready.
 * Fill `out` with up to `max` ready descriptors, reporting only those that are ready. Returns how
 * many, 0 on timeout, or -1 with errno set (EINTR included: the caller decides to retry).
 */
int backend_poll(struct backend *b, int64_t timeout_ns, struct backend_event *out, int max);

#endif
