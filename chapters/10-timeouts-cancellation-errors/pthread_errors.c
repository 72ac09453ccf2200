/*
 * pthread_errors.c: pthread functions return their error number; errno stays 0, perror() lies.
 *
 * Chapter 10. Two calls that fail on purpose: pthread_join on the calling thread itself (EDEADLK:
 * it would wait for ever for itself), and an error-checking mutex unlocked by a thread that does
 * not own it (EPERM; a default mutex makes that undefined behaviour). Each returns its error;
 * errno, set to 0 before the call, is still 0 after it, so perror("pthread_join") would print
 * "Success". Use the returned value (errors.h: PCHECK, die_errnum). Python raises an exception
 * instead (RuntimeError: cannot join current thread). Compare with future_error_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;
static pthread_mutex_t mutex;

/* ThreadSanitizer rightly reports an unlock by a thread that does not own the mutex, and stops the
 * program. Here that unlock is the point, and the error-checking mutex refuses it: tell TSan not to
 * report mutex misuse in this program only (its other reports stay on). */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(UNDER_TSAN)
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "report_mutex_bugs=0";
}
#endif

static const char *err_name(int err)
{
    return err == EDEADLK ? "EDEADLK" : err == EPERM ? "EPERM" : err == 0 ? "0" : "another error";
}

static void show(const char *who, const char *call, int returned, int saved_errno)
{
    say(who, "%s: returned %s (%s)", call, err_name(returned), strerror(returned));
    say(who, "%s: errno is %d after it, so perror() would say \"%s\"", call, saved_errno,
        strerror(saved_errno));
}

/* Unlock a mutex that main holds: an error-checking mutex refuses. */
static void *intruder(void *arg)
{
    int err, saved;

    (void)arg;
    errno = 0;
    err = pthread_mutex_unlock(&mutex);
    saved = errno;
    show("intruder", "pthread_mutex_unlock (not the owner)", err, saved);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_mutexattr_t attr;
    pthread_t thread;
    int err, saved;

    demo_init(&demo, argc, argv,
              "pthread functions return an error number and leave errno alone: a failing\n"
              "pthread_join and an unlock by a thread that does not own the mutex.");
    errno = 0;
    err = pthread_join(pthread_self(), NULL);
    saved = errno;
    show("main", "pthread_join(self)", err, saved);

    PCHECK(pthread_mutexattr_init(&attr));
    PCHECK(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
    PCHECK(pthread_mutex_init(&mutex, &attr));
    PCHECK(pthread_mutexattr_destroy(&attr));
    PCHECK(pthread_mutex_lock(&mutex));
    PCHECK(pthread_create(&thread, NULL, intruder, NULL));
    PCHECK(pthread_join(thread, NULL));
    PCHECK(pthread_mutex_unlock(&mutex)); /* the owner may */
    PCHECK(pthread_mutex_destroy(&mutex));
    demo_finish(&demo);
    return 0;
}
