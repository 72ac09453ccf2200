/*
 * errors.h: dying with a clear message when a call fails.
 *
 * Two kinds of calls fail in two ways (as in TLPI's error_functions.c):
 *   - system calls and most of libc return -1 (or NULL) and set errno:
 *         if (close(fd) == -1) die_errno("close");
 *   - every pthread function *returns* an error number and leaves errno alone:
 *         PCHECK(pthread_create(&t, NULL, work, arg));
 * Both report file, line and strerror() on stderr, then exit(EXIT_FAILURE).
 * Only programs die: code in common/ returns errors to its caller instead.
 */
#ifndef ERRORS_H
#define ERRORS_H

#include <errno.h> /* die_errno reads errno */

/* Report `what` with strerror(errno) at the caller's file and line, then exit. */
#define die_errno(what) die_at(__FILE__, __LINE__, errno, (what))

/* Report `what` with strerror(err) for an error number a function returned, then exit. */
#define die_errnum(err, what) die_at(__FILE__, __LINE__, (err), (what))

/*
 * Run a call that returns 0 or an error number (every pthread_* function) and die if it fails.
 * The call is evaluated exactly once, whatever NDEBUG says: never put such a call inside assert().
 */
#define PCHECK(call)                                                                               \
    do {                                                                                           \
        int pcheck_err_ = (call);                                                                  \
        if (pcheck_err_ != 0)                                                                      \
            die_at(__FILE__, __LINE__, pcheck_err_, #call);                                        \
    } while (0)

/* Print "file:line: what: strerror(err)" on stderr and exit(EXIT_FAILURE). */
_Noreturn void die_at(const char *file, int line, int err, const char *what);

/* Print a printf-style message on stderr and exit(EXIT_FAILURE): for bad input, not for bugs. */
_Noreturn void die_msg(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
