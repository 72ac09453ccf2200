/*
 * sigpipe_socket.c: a write to a closed socket: SIGPIPE kills the writer; MSG_NOSIGNAL gives EPIPE.
 *
 * Chapter 10. A socketpair, its other end closed. 1. A child process writes to it, as any program
 * would by default: the kernel sends it SIGPIPE, whose default action ends the process (it prints
 * nothing: it is dead). The parent sees how it ended with waitpid. 2. send() with MSG_NOSIGNAL:
 * no signal, the call returns -1 with errno EPIPE, an error like any other. 3. SIGPIPE ignored for
 * the whole process (what Python does at startup, which is why Python raises BrokenPipeError):
 * write() returns EPIPE too. A server must do 2 or 3, or one client hanging up kills it.
 * Compare with eintr_read.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;

static const char *outcome(ssize_t n)
{
    return n == -1 && errno == EPIPE ? "-1, errno EPIPE (Broken pipe)" : "something else?";
}

int main(int argc, char **argv)
{
    int sv[2], status;
    pid_t child;
    ssize_t n;

    demo_init(&demo, argc, argv,
              "A write to a socket whose peer closed: SIGPIPE kills the writer by default;\n"
              "MSG_NOSIGNAL or an ignored SIGPIPE turn it into the error EPIPE.");
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
        die_errno("socketpair");
    if (close(sv[1]) == -1)
        die_errno("close");
    say("main", "main: the peer has closed its end");

    say("main", "main: 1. a child writes with the default SIGPIPE action");
    if ((child = fork()) == -1)
        die_errno("fork");
    if (child == 0) {
        n = write(sv[0], "hello\n", 6); /* SIGPIPE: the child dies in here */
        _exit(n == -1 ? 1 : 0);         /* reached only if SIGPIPE was not fatal */
    }
    if (waitpid(child, &status, 0) == -1)
        die_errno("waitpid");
    if (WIFSIGNALED(status))
        say("main", "main: the child was killed by signal %s",
            WTERMSIG(status) == SIGPIPE ? "SIGPIPE" : strsignal(WTERMSIG(status)));
    else
        say("main", "main: the child exited with status %d", WEXITSTATUS(status));

    say("main", "main: 2. send(..., MSG_NOSIGNAL)");
    n = send(sv[0], "hello\n", 6, MSG_NOSIGNAL);
    say("main", "main: send returned %s", outcome(n));

    say("main", "main: 3. SIGPIPE ignored, then write()");
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        die_errno("signal");
    n = write(sv[0], "hello\n", 6);
    say("main", "main: write returned %s", outcome(n));
    demo_finish(&demo);
    return 0;
}
