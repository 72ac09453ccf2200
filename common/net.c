/*
 * net.c: the servers' command line, listening, stopping, and a client's connect. Read net.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errors.h"

#define LISTEN_BACKLOG 1024 /* the kernel caps it at somaxconn */
#define MAX_CLIENTS_LIMIT 1000000
#define MAX_REQUEST_LIMIT (512.0 * 1024 * 1024) /* Redis's own limit for one bulk string */
#define PORT_MAX 65535
#define HOST_TEXT_MAX 64 /* an IPv6 address with a scope: NI_MAXHOST is not POSIX */
#define PORT_TEXT_MAX 16

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS has none: SIGPIPE is ignored by server_catch_stop instead */
#endif

static void usage(FILE *out, const char *prog, const char *about, const struct server_option *extra)
{
    fprintf(out,
            "usage: %s [-p PORT] [-H HOST] [--max-clients N] [--max-request BYTES]%s [-h]\n"
            "%s\n"
            "  -p PORT              port to listen on; 0 picks a free one\n"
            "  -H HOST              address to listen on (default 127.0.0.1)\n"
            "  --max-clients N      connections served at once (default %d)\n"
            "  --max-request BYTES  the longest request a client may send (default %d)\n",
            prog, extra != NULL && extra[0].name != NULL ? " [options]" : "", about,
            SERVER_MAX_CLIENTS_DEFAULT, SERVER_MAX_REQUEST_DEFAULT);
    for (const struct server_option *o = extra; o != NULL && o->name != NULL; o++)
        fprintf(out, "  --%s %-*s%s (default %g)\n", o->name, (int)(18 - strlen(o->name)),
                o->metavar, o->help, *o->value);
    fprintf(out, "  -h                   show this help (--help too)\n");
}

/* Parse a number in [min, max], whole if `integer`; exits 2 with a message if it is not one. */
static double number(const char *prog, const char *option, const char *text, double min, double max,
                     bool integer)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(v >= min && v <= max) ||
        (integer && v != floor(v))) {
        fprintf(stderr, "%s: %s wants %s from %g to %g, not '%s'\n", prog, option,
                integer ? "a whole number" : "a number", min, max, text);
        exit(2);
    }
    return v;
}

/* The option `arg` names, up to an '=' in a long option: does it equal `name`? */
static bool is_option(const char *arg, size_t len, const char *name)
{
    return strlen(name) == len && strncmp(arg, name, len) == 0;
}

void server_init(struct server_config *config, int argc, char **argv, const char *about,
                 const struct server_option *extra)
{
    const char *prog = argv[0];

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value, *eq = NULL;
        const struct server_option *own = NULL;
        size_t len;

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout, prog, about, extra);
            exit(0);
        }
        if (strncmp(arg, "--", 2) == 0)
            eq = strchr(arg, '='); /* --name=value */
        len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        for (const struct server_option *o = extra; o != NULL && o->name != NULL; o++) {
            if (len > 2 && strncmp(arg, "--", 2) == 0 && is_option(arg + 2, len - 2, o->name))
                own = o;
        }
        if (own == NULL && !is_option(arg, len, "-p") && !is_option(arg, len, "-H") &&
            !is_option(arg, len, "--max-clients") && !is_option(arg, len, "--max-request")) {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, arg);
            usage(stderr, prog, about, extra);
            exit(2);
        }
        if (eq != NULL) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            fprintf(stderr, "%s: %s wants a value\n", prog, arg);
            exit(2);
        }
        if (own != NULL)
            *own->value = number(prog, own->name, value, own->min, own->max, own->integer);
        else if (is_option(arg, len, "-p"))
            config->port = (int)number(prog, "-p", value, 0, PORT_MAX, true);
        else if (is_option(arg, len, "-H"))
            config->host = value;
        else if (is_option(arg, len, "--max-clients"))
            config->max_clients =
                (int)number(prog, "--max-clients", value, 1, MAX_CLIENTS_LIMIT, true);
        else
            config->max_request =
                (size_t)number(prog, "--max-request", value, 1, MAX_REQUEST_LIMIT, true);
    }
}

int server_listen(struct server_config *config)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *list, *ai;
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    char port[PORT_TEXT_MAX], host[HOST_TEXT_MAX], serv[PORT_TEXT_MAX];
    int fd = -1, err, saved = 0;
    const int on = 1;

    snprintf(port, sizeof port, "%d", config->port);
    err = getaddrinfo(config->host, port, &hints, &list);
    if (err != 0)
        die_msg("cannot listen on %s:%s: %s\n", config->host, port, gai_strerror(err));
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        /* A server restarted at once can bind the port its predecessor left in TIME_WAIT. */
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
            bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, LISTEN_BACKLOG) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    if (fd == -1)
        die_msg("cannot listen on %s:%s: %s\n", config->host, port, strerror(saved));
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == -1)
        die_errno("getsockname");
    err = getnameinfo((struct sockaddr *)&bound, blen, host, sizeof host, serv, sizeof serv,
                      NI_NUMERICHOST | NI_NUMERICSERV);
    if (err != 0)
        die_msg("getnameinfo: %s\n", gai_strerror(err));
    config->port = atoi(serv);
    /* An IPv6 address is written in brackets, so that the port is always after the last colon. */
    printf(strchr(host, ':') != NULL ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host,
           serv);
    if (fflush(stdout) == EOF)
        die_errno("stdout");
    return fd;
}

static int stop_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_flag;

static void on_stop_signal(int sig)
{
    int saved = errno;
    const char byte = 1;

    (void)sig;
    stop_flag = 1;
    /* Non-blocking: once a byte is waiting, further signals have nothing more to say. */
    if (write(stop_pipe[1], &byte, 1) == -1) {
        /* EAGAIN: the pipe already says "stop". */
    }
    errno = saved;
}

static int set_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int server_catch_stop(void)
{
    struct sigaction sa;

    if (stop_pipe[0] >= 0)
        return stop_pipe[0];
    if (pipe(stop_pipe) == -1 || set_flags(stop_pipe[0]) == -1 || set_flags(stop_pipe[1]) == -1)
        die_errno("stop pipe");
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        die_errno("sigaction SIGPIPE");
    /* No SA_RESTART: a blocking call interrupted by the signal returns EINTR and looks again. */
    sa.sa_handler = on_stop_signal;
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        die_errno("sigaction");
    return stop_pipe[0];
}

bool server_stop_requested(void)
{
    return stop_flag != 0;
}

void server_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    struct timespec deadline;
    int err;

    /* A condition variable waits on CLOCK_REALTIME unless told otherwise: fine for a bound. */
    if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
        die_errno("clock_gettime");
    deadline.tv_nsec += NSEC_PER_SEC / 10;
    if (deadline.tv_nsec >= NSEC_PER_SEC) {
        deadline.tv_sec++;
        deadline.tv_nsec -= NSEC_PER_SEC;
    }
    err = pthread_cond_timedwait(cond, mutex, &deadline);
    if (err != 0 && err != ETIMEDOUT)
        die_errnum(err, "pthread_cond_timedwait");
}

int server_accept(int listen_fd, int stop_fd)
{
    for (;;) {
        fd_set rd;
        int fd, maxfd = listen_fd > stop_fd ? listen_fd : stop_fd;

        FD_ZERO(&rd);
        FD_SET(listen_fd, &rd);
        FD_SET(stop_fd, &rd);
        if (select(maxfd + 1, &rd, NULL, NULL, NULL) == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (FD_ISSET(stop_fd, &rd) || server_stop_requested()) {
            errno = ECANCELED;
            return -1;
        }
        fd = accept(listen_fd, NULL, NULL);
        if (fd == -1) {
            /* The client gave up between select() and accept(), or a signal came: look again. */
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EAGAIN ||
                errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
            int saved = errno;

            close(fd);
            errno = saved;
            return -1;
        }
        return fd;
    }
}

int net_set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl == -1)
        return -1;
    return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * connect(), and on a blocking socket interrupted by a signal, wait for the connection that the
 * kernel goes on making (calling connect() again would fail with EALREADY). Returns 0 or -1.
 */
static int connected(int fd, const struct addrinfo *ai, bool nonblocking)
{
    fd_set wr;
    int err;

    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return 0;
    if (nonblocking)
        return errno == EINPROGRESS || errno == EINTR ? 0 : -1;
    if (errno != EINTR)
        return -1;
    do {
        FD_ZERO(&wr);
        FD_SET(fd, &wr);
    } while (select(fd + 1, NULL, &wr, NULL, NULL) == -1 && errno == EINTR);
    err = net_connect_result(fd);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

int net_connect(const char *host, int port, bool nonblocking)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *list, *ai;
    char serv[16];
    int fd = -1, saved = EHOSTUNREACH;

    snprintf(serv, sizeof serv, "%d", port);
    if (getaddrinfo(host, serv, &hints, &list) != 0) {
        errno = EHOSTUNREACH;
        return -1;
    }
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && (!nonblocking || net_set_nonblocking(fd) == 0) &&
            connected(fd, ai, nonblocking) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    if (fd == -1)
        errno = saved;
    return fd;
}

int net_connect_result(int fd)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
        return errno;
    return err;
}

int net_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
