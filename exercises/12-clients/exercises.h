/*
 * exercises.h: what each exercise of chapter 12 must do. The stubs beside this file and the
 * solutions in solutions/12-clients/ both implement it, and the same tests judge both.
 *
 * response_parser.c is plain C: framing one HTTP response in a buffer. limited_fetch.c runs on
 * the event loop, on a fake clock: the tests' "requests" are tasks that take exact times, so
 * that "at most 3 at once" and "timed out after 2 s" are exact. pool_fetch.c runs threads.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stddef.h>

#include "sync.h"
#include "task.h"

/* ---- response_parser.c --------------------------------------------------------------------- */

#define RESPONSE_HEAD_MAX 4096 /* the longest head (status line, headers, empty line) accepted */
#define RESPONSE_BODY_MAX (1024 * 1024)

struct response {
    int status;            /* the status code: 200 */
    size_t content_length; /* the Content-Length header's value */
    const char *body;      /* where the body starts, inside the caller's buffer */
};

/*
 * Frame the HTTP/1.1 response at the start of buf[0 .. len). buf is not NUL-terminated: never
 * read buf[len] or beyond. The response is:
 *     "HTTP/1.1 " or "HTTP/1.0 ", a status of exactly 3 digits (100 to 599), then either the end
 *     of the line or a space and a reason phrase; each line ends in "\r\n";
 *     header lines "Name: value" (a name of letters, digits and '-', compared in any case; spaces
 *     and tabs around the value are not part of it), then an empty line ("\r\n");
 *     then exactly Content-Length bytes of body. This exercise requires a Content-Length header:
 *     its value is digits only (no sign, no spaces inside), at most RESPONSE_BODY_MAX.
 * Returns the length of the whole response (head and body) once all of it is in buf, filling
 * *out; bytes after it belong to the next response and are left alone. Returns 0 if it is not
 * all there yet (and could still be valid), and -1 if it can never be valid: a malformed line,
 * no Content-Length, or no empty line within the first RESPONSE_HEAD_MAX bytes. *out is only
 * written when the result is positive.
 */
long response_parse(const char *buf, size_t len, struct response *out);

/* ---- limited_fetch.c ----------------------------------------------------------------------- */

/*
 * One URL of a crawler: a job that waits for a permit of `limit` (shared by all the jobs, so that
 * at most that many requests run at once), then runs its request for at most `timeout` seconds.
 */
struct fetch_job {
    struct task task;        /* first, so that a struct task * is also a struct fetch_job * */
    struct async_sem *limit; /* shared by the jobs */
    struct task *request;    /* task_init'ed, not started: the job starts it */
    double timeout;          /* seconds the request may run, counted from when it starts */
    int error;               /* the job's report: 0, the request's error, or ETIMEDOUT */
};

/*
 * Prepare `job`, named `name`. Once started, the job:
 *   1. waits for a permit of `limit` (ASYNC_SEM_ACQUIRE), its turn in line;
 *   2. starts `request` and waits for it, at most `timeout` seconds from that moment (the time
 *      spent waiting for the permit does not count): a request still running then is cancelled;
 *   3. gives the permit back, whatever happened (an error, a timeout);
 *   4. sets job->error: 0 if the request finished, its error if it failed, ETIMEDOUT if it was
 *      cancelled for taking too long; reads it with future_error(), so that nobody reports it as
 *      never retrieved; and finishes without error itself (the job reports, it does not fail).
 * A request that fails or times out never stops or delays the other jobs.
 */
void fetch_job_init(struct fetch_job *job, const char *name, struct async_sem *limit,
                    struct task *request, double timeout);

/* ---- pool_fetch.c -------------------------------------------------------------------------- */

#define POOL_MAX_THREADS 64

/* One fetch: do item i; returns 0 or an error number. Called from the pool's threads. */
typedef int fetch_fn(size_t i, void *arg);

/*
 * Call fn(i, arg) once for every i from 0 to n - 1, on a pool of `threads` threads (1 to
 * POOL_MAX_THREADS; fewer if n is smaller): each thread takes the next i not taken yet, until
 * none is left, so that at most `threads` calls run at once, and as many as that while there is
 * work for them. Store what fn returned in results[i]. Returns once every call has returned and
 * every thread has been joined: 0, or an error number if a thread could not be created (the
 * threads already started still finish the work).
 */
int pool_fetch(size_t n, size_t threads, fetch_fn *fn, void *arg, int results[]);

#endif
