/*
 * net.h: the TCP plumbing that chapters 11 and 12 share, so that each server and client stays
 * about its model (one at a time, a thread each, a pool, the loop) and not about sockets.
 *
 * Every server takes the same command line, and starts the same way:
 *
 *     -p PORT              the port to listen on; 0 lets the kernel pick a free one
 *     -H HOST              the address to listen on (default 127.0.0.1: nothing outside this
 *                          machine can connect unless you say so)
 *     --max-clients N      connections served at once; one more is refused with an error
 *     --max-request BYTES  the longest request a client may send
 *     -h, --help           what the server shows, and these options
 *
 * plus any options of its own (struct server_option). Once listening, it prints
 * "listening on HOST:PORT" as its first line on stdout and flushes it, so that a test or a
 * script waits for that line instead of sleeping. SIGINT and SIGTERM ask it to stop (a byte on
 * the stop pipe: the loop watches it like any descriptor, a thread waits for it beside accept()),
 * and SIGPIPE is ignored, so that a client which hangs up never kills a server: write() fails
 * with EPIPE instead (chapter 10).
 */
#ifndef NET_H
#define NET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define SERVER_MAX_CLIENTS_DEFAULT 1000 /* select() watches below FD_SETSIZE (1024) */
#define SERVER_MAX_REQUEST_DEFAULT (64 * 1024)

struct server_config {
    const char *host;   /* -H */
    int port;           /* -p; after server_listen, the port actually bound */
    int max_clients;    /* --max-clients */
    size_t max_request; /* --max-request */
};

/* Defaults for a server whose usual port is `default_port`. */
#define SERVER_CONFIG_INIT(default_port)                                                           \
    {                                                                                              \
        .host = "127.0.0.1", .port = (default_port), .max_clients = SERVER_MAX_CLIENTS_DEFAULT,    \
        .max_request = SERVER_MAX_REQUEST_DEFAULT                                                  \
    }

/* One more option of a program's own, always a number: "--NAME VALUE" or "--NAME=VALUE". */
struct server_option {
    const char *name;    /* without the dashes: "threads" */
    const char *metavar; /* "N", "SECONDS" */
    const char *help;    /* one line */
    double *value;       /* holds the default; the option's value is stored here */
    double min, max;     /* the accepted range, inclusive */
    bool integer;        /* the value must be a whole number */
};

/*
 * Parse argv into `config` (which holds the defaults) and `extra` (an array ended by an entry
 * whose name is NULL, or NULL for none). `about` is one or two lines on what the program shows,
 * printed by -h. Like demo_init, this is for programs: it exits 0 after -h and 2 with a usage
 * message on a bad option or value.
 */
void server_init(struct server_config *config, int argc, char **argv, const char *about,
                 const struct server_option *extra);

/*
 * Listen on config->host and config->port, then print "listening on HOST:PORT" (the port bound,
 * which -p 0 leaves to the kernel) and flush stdout. The socket is close-on-exec and blocking.
 * Returns the listening descriptor; a server has nothing to do without it, so this ends the
 * program with a clear message if the address cannot be used.
 */
int server_listen(struct server_config *config);

/*
 * Ignore SIGPIPE, and make SIGINT and SIGTERM write a byte into a pipe. Returns the pipe's read
 * end (non-blocking, close-on-exec): it becomes readable once a stop was asked for. Call it once,
 * before starting any thread, so that every thread inherits the dispositions. Ends the program if
 * the pipe or the handlers cannot be set up.
 */
int server_catch_stop(void);

/* True once SIGINT or SIGTERM arrived (async-signal-safe flag set by the handler). */
bool server_stop_requested(void);

/*
 * pthread_cond_wait for a thread that must also notice a stop: a signal does not end a condition
 * wait, so this one returns after at most a tenth of a second even if nobody signals `cond`. Loop
 * on it, as on any condition wait: while (!predicate && !server_stop_requested()).
 */
void server_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);

/*
 * Wait until a client connects to `listen_fd` or a stop is asked for on `stop_fd`, whichever
 * comes first; the blocking servers call this instead of accept(). Returns the new connection
 * (close-on-exec, blocking), or -1 with errno set: ECANCELED when asked to stop, else what
 * accept() failed with (EMFILE when out of descriptors: the caller decides). Connections that
 * were reset before they could be accepted, and signals, are retried, not returned.
 */
int server_accept(int listen_fd, int stop_fd);

/* Set O_NONBLOCK on fd. Returns 0, or -1 with errno set. */
int net_set_nonblocking(int fd);

/*
 * Connect a TCP socket to host:port (a numeric address or a name). Blocking: returns the
 * connected descriptor. With `nonblocking`, the socket is non-blocking and the connection may
 * still be under way: wait until the descriptor is writable, then ask net_connect_result(). The
 * descriptor is close-on-exec. Returns -1 with errno set on failure (EHOSTUNREACH when the name
 * does not resolve).
 */
int net_connect(const char *host, int port, bool nonblocking);

/* How a non-blocking connect ended: 0 if connected, else the error number (ECONNREFUSED...). */
int net_connect_result(int fd);

/*
 * Write all `len` bytes to a blocking socket, with MSG_NOSIGNAL where the system has it, retrying
 * after signals and short writes. Returns 0, or -1 with errno set (EPIPE: the peer hung up).
 */
int net_send_all(int fd, const void *buf, size_t len);

#endif
