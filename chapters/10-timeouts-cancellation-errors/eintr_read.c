/*
 * eintr_read.c: a signal cuts a blocking read() short with EINTR; the retry loop; SA_RESTART.
 *
 * Chapter 10. A timer sends SIGALRM every TICK seconds; its handler counts, and on the third
 * signal writes one byte into the pipe that main is reading (write() is async-signal-safe). With
 * the handler installed without SA_RESTART, read() returns -1 with errno EINTR at the first signal:
 * nothing went wrong, the call was just cut short. The fix is to retry: `while (read() == -1 &&
 * errno == EINTR)`. With SA_RESTART the kernel retries for us, and read() returns only with the
 * byte (here a child process writes it: ThreadSanitizer runs a handler only once the call it
 * interrupts returns, and a restarted read would wait for ever for the handler's byte). Python
 * retries for you since 3.5 (PEP 475). The program never blocks for ever: a byte always comes.
 * Compare with sigpipe_socket.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define TICK 0.1          /* seconds between two signals */
#define SIGNALS_TO_BYTE 3 /* the handler writes the byte on this signal */

static struct demo demo;
static int fds[2];
static volatile sig_atomic_t signals;            /* the only kind of variable a handler may write */
static volatile sig_atomic_t byte_on_signal = 1; /* parts 1 and 2: the handler brings the byte */

static void on_alarm(int sig)
{
    int saved = errno; /* a handler must not change errno under the code it interrupts */

    (void)sig;
    if (++signals == SIGNALS_TO_BYTE && byte_on_signal)
        (void)write(fds[1], "x", 1);
    errno = saved;
}

/* Install the handler (with or without SA_RESTART) and start a timer ticking every TICK s. */
static timer_t start_ticking(int flags)
{
    struct sigaction sa;
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    struct itimerspec every;
    long ns = (long)(demo_seconds(&demo, TICK) * 1e9);
    timer_t timer;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        die_errno("sigaction");
    signals = 0;
    every.it_value = every.it_interval = (struct timespec){ns / 1000000000, ns % 1000000000};
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer) == -1 ||
        timer_settime(timer, 0, &every, NULL) == -1)
        die_errno("timer_create");
    return timer;
}

static void stop_ticking(timer_t timer)
{
    if (timer_delete(timer) == -1)
        die_errno("timer_delete");
}

int main(int argc, char **argv)
{
    timer_t timer;
    ssize_t n;
    char byte;
    int retries = 0, status;
    pid_t child;

    demo_init(&demo, argc, argv,
              "A blocking read() interrupted by a signal: EINTR when the handler is installed\n"
              "without SA_RESTART, a retry loop that reads on, and SA_RESTART doing it for us.");
    if (pipe(fds) == -1)
        die_errno("pipe");

    say("main", "main: 1. no SA_RESTART: one read()");
    timer = start_ticking(0);
    n = read(fds[0], &byte, 1);
    say("main", "main: read() returned %zd: %s", n,
        n == -1 && errno == EINTR ? "EINTR: interrupted, nothing read" : "data?");
    while (signals < SIGNALS_TO_BYTE) /* let the handler write its byte, then take it */
        pause();
    stop_ticking(timer);
    if (read(fds[0], &byte, 1) != 1)
        die_errno("read");

    say("main", "main: 2. no SA_RESTART: retry while EINTR");
    timer = start_ticking(0);
    while ((n = read(fds[0], &byte, 1)) == -1 && errno == EINTR)
        retries++;
    if (n == -1)
        die_errno("read");
    stop_ticking(timer);
    say("main", "main: read() returned %zd byte after retrying on EINTR", n);
    say("main", "main: signals: %d; read() retried on EINTR: %s", (int)signals,
        retries > 0 ? "yes" : "no");

    byte_on_signal = 0;
    say("main", "main: 3. SA_RESTART: one read(); a child process writes the byte");
    if ((child = fork()) == -1)
        die_errno("fork");
    if (child == 0) { /* the handler writes nothing now: a byte comes after the third tick */
        if (sleep_seconds(demo_seconds(&demo, (SIGNALS_TO_BYTE + 0.5) * TICK)) == -1)
            _exit(1);
        _exit(write(fds[1], "x", 1) == 1 ? 0 : 1);
    }
    timer = start_ticking(SA_RESTART);
    n = read(fds[0], &byte, 1);
    stop_ticking(timer);
    if (waitpid(child, &status, 0) == -1)
        die_errno("waitpid");
    say("main", "main: read() returned %zd byte, no EINTR seen: the kernel restarted it", n);
    demo_finish(&demo);
    return 0;
}
