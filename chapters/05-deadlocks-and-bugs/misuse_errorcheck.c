/*
 * misuse_errorcheck.c: BUG DEMONSTRATION: relock, foreign unlock: an error-checking mutex says so.
 *
 * Chapter 5. Two misuses of a mutex, on purpose: locking it again from the thread that holds it,
 * and unlocking it from a thread that does not. With a default mutex the first hangs for ever (a
 * thread waiting for itself) and the second is undefined behaviour. A mutex made with the type
 * PTHREAD_MUTEX_ERRORCHECK checks who owns it, and returns EDEADLK and EPERM instead. Like every
 * pthread function, it *returns* the error number and leaves errno alone: the program prints both.
 * Python's threading.Lock has no owner (any thread may release it) and a relock waits for ever;
 * threading.RLock has one. ThreadSanitizer rightly reports the foreign unlock, so this program is
 * not built under sanitizers. Correct use, one owner locking once: transfer_ordered.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;
static pthread_mutex_t checked; /* made with the type PTHREAD_MUTEX_ERRORCHECK */

/* The symbolic name of the error numbers this program can meet. */
static const char *error_name(int err)
{
    switch (err) {
    case 0:
        return "0";
    case EDEADLK:
        return "EDEADLK";
    case EPERM:
        return "EPERM";
    case EBUSY:
        return "EBUSY";
    default:
        return "another error";
    }
}

/* Print what a pthread call returned, and that errno did not change. */
static void show(const char *who, const char *call, int err)
{
    if (err == 0)
        say(who, "%s: %s returned 0", who, call);
    else
        say(who, "%s: %s returned %d (%s: %s); errno is still %d", who, call, err, error_name(err),
            strerror(err), errno);
}

static void *stranger(void *arg)
{
    (void)arg;
    errno = 0;
    show("thread 2", "pthread_mutex_unlock (main holds it)", pthread_mutex_unlock(&checked));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_mutexattr_t attr;
    pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
    pthread_t thread;

    demo_init(
        &demo, argc, argv,
        "BUG DEMONSTRATION: relocking a mutex and unlocking another thread's, caught by\n"
        "PTHREAD_MUTEX_ERRORCHECK (EDEADLK, EPERM) instead of a hang or undefined behaviour.");
    PCHECK(pthread_mutexattr_init(&attr));
    PCHECK(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
    PCHECK(pthread_mutex_init(&checked, &attr));
    PCHECK(pthread_mutexattr_destroy(&attr));

    errno = 0;
    show("main", "pthread_mutex_lock", pthread_mutex_lock(&checked));
    show("main", "pthread_mutex_lock again", pthread_mutex_lock(&checked)); /* waits for itself */
    PCHECK(pthread_create(&thread, NULL, stranger, NULL)); /* unlocks what it does not hold */
    PCHECK(pthread_join(thread, NULL));
    show("main", "pthread_mutex_unlock", pthread_mutex_unlock(&checked));
    show("main", "pthread_mutex_unlock again", pthread_mutex_unlock(&checked)); /* not locked */

    /* A default mutex cannot tell: pthread_mutex_lock here would wait for ever. trylock only
     * says the lock is taken, not that the caller is the one holding it. */
    PCHECK(pthread_mutex_lock(&plain));
    show("main", "pthread_mutex_trylock of a default mutex it holds",
         pthread_mutex_trylock(&plain));
    PCHECK(pthread_mutex_unlock(&plain));
    PCHECK(pthread_mutex_destroy(&checked));
    demo_finish(&demo);
    return 0;
}
