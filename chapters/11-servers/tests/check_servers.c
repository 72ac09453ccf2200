/*
 * check_servers.c: chapter 11's four servers, black box, over real sockets on loopback.
 *
 * One suite, run against each server (one test case per server): the server is started with
 * -p 0 and the port read from its "listening on" line (proc_server_start), talked to with plain
 * sockets, and stopped with SIGTERM, which must end it with status 0 and nothing on stderr (under
 * AddressSanitizer, that is also its leak check). After every bad-input case, the server's open
 * descriptors must come back to what they were, and it must still answer. No test sleeps: every
 * read has a time limit (SO_RCVTIMEO), and settling is polled round trip by round trip.
 *
 * The sequential server serves one client at a time by design: the cases that need two clients
 * at once (an idle client beside a busy one, --max-clients) are not run against it; idle_client.c
 * shows what they do to it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net.h"
#include "resp.h"
#include "testing.h"

#define START_TIMEOUT 5.0 /* seconds for a server to say "listening on" */
#define STOP_TIMEOUT 5.0  /* and to exit after SIGTERM */
#define READ_TIMEOUT 3    /* seconds any one read may wait: a hang fails, it does not block */
/* Round trips to wait for the descriptors to come back. A thread woken by a client's reset can
 * take a few hundred milliseconds to close here (about 2,000 round trips): ten times that. */
#define SETTLE_TRIES 20000
#define MAX_REQUEST 1024 /* --max-request in the bad-input cases */
#define BIG_VALUE 60000  /* a value well inside the default --max-request (64 KiB) */
#define MANY_GETS 400    /* GETs of it that are never read: 24 MB of replies */
#define REDIS_CLI "/usr/bin/redis-cli"

static const char *server; /* the program under test: set by each test case's tests */
static struct proc_server srv;
static int baseline; /* the server's descriptors before any client */

/* ---- Helpers ----------------------------------------------------------------------------------
 */

static void start(const char *name, const char *const extra[])
{
    char path[512];
    char *argv[16] = {path, "-p", "0"};
    struct proc_result r;
    int argc = 3;

    server = name;
    snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, name);
    for (int i = 0; extra != NULL && extra[i] != NULL && argc < 15; i++)
        argv[argc++] = (char *)extra[i];
    argv[argc] = NULL;
    ck_assert_msg(proc_server_start(argv, START_TIMEOUT, &srv, &r) == 0,
                  "%s did not start: first line '%s', stderr: %s", name, r.lines[0], r.err);
    baseline = proc_count_fds(srv.pid);
    ck_assert_msg(baseline > 0, "cannot count the descriptors of %s", name);
}

/* SIGTERM: the server must exit 0 at once, with an empty stderr (no leak report either). */
static void stop(void)
{
    struct proc_result r;

    /* Under ThreadSanitizer, proc_server_stop wakes the server after the signal (proc.h says
     * why); without it, this checks that SIGTERM alone stops every server. */
    ck_assert(proc_server_stop(&srv, SIGTERM, STOP_TIMEOUT, &r) == 0);
    ck_assert_msg(!r.timed_out, "%s did not stop within %g s of SIGTERM (%g s; %s)", server,
                  STOP_TIMEOUT, r.elapsed, r.err);
    ck_assert_msg(r.signal == 0, "%s was killed by signal %d", server, r.signal);
    ck_assert_msg(r.exit_code == 0, "%s exited %d; stderr: %s", server, r.exit_code, r.err);
    ck_assert_msg(r.err[0] == '\0', "%s wrote on stderr: %s", server, r.err);
}

/* A blocking connection whose reads give up after READ_TIMEOUT seconds. */
static int connect_client(void)
{
    struct timeval tv = {.tv_sec = READ_TIMEOUT};
    int fd = net_connect("127.0.0.1", srv.port, false);

    ck_assert_msg(fd >= 0, "connect to %s: %s", server, strerror(errno));
    ck_assert(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    return fd;
}

static void send_bytes(int fd, const void *p, size_t n)
{
    ck_assert_msg(net_send_all(fd, p, n) == 0, "send to %s: %s", server, strerror(errno));
}

static void send_str(int fd, const char *s)
{
    send_bytes(fd, s, strlen(s));
}

/* Read exactly n bytes; false on EOF, a reset or the time limit. */
static bool read_exact(int fd, void *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t k = recv(fd, (char *)buf + got, n - got, 0);

        if (k == -1 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    return true;
}

/* The next bytes must be exactly `want` (binary: its length is given). */
static void expect_bytes(int fd, const char *want, size_t n, const char *what)
{
    char *got = malloc(n + 1);

    ck_assert(got != NULL);
    ck_assert_msg(read_exact(fd, got, n), "%s: no complete reply to %s (wanted %zu bytes)", server,
                  what, n);
    got[n] = '\0';
    ck_assert_msg(memcmp(got, want, n) == 0, "%s: %s answered '%s', wanted '%s'", server, what, got,
                  want);
    free(got);
}

#define EXPECT(fd, want, what) expect_bytes((fd), (want), strlen(want), (what))

/* Send `request`, expect `reply`. */
static void ask(int fd, const char *request, const char *reply)
{
    send_str(fd, request);
    EXPECT(fd, reply, request);
}

/* The server must have closed the connection: EOF (or a reset) within READ_TIMEOUT. */
static void expect_closed(int fd, const char *what)
{
    char c;
    ssize_t k;

    do
        k = recv(fd, &c, 1, 0);
    while (k == -1 && errno == EINTR);
    ck_assert_msg(k == 0 || (k == -1 && (errno == ECONNRESET || errno == EPIPE)),
                  "%s kept the connection open after %s (recv: %zd, %s)", server, what, k,
                  k == -1 ? strerror(errno) : "a byte");
    close(fd);
}

/*
 * Wait until the server holds exactly `extra` descriptors more than at the start, besides the
 * one of a fresh client that it is answering: one PING round trip per try, a bounded number of
 * tries (what the server still has to close, it closes on another thread, or on a later turn of
 * its loop). So it still answers, too.
 */
static void settle(int extra, const char *after)
{
    int n = -1, fd = -1;

    for (int i = 0; i < SETTLE_TRIES; i++) {
        char reply[sizeof "+PONG\r\n" - 1];

        if (fd == -1)
            fd = connect_client();
        send_str(fd, "PING\r\n");
        if (!read_exact(fd, reply, sizeof reply) || memcmp(reply, "+PONG\r\n", sizeof reply) != 0) {
            /* Refused: the server has not yet seen that the last --max-clients hung up. */
            close(fd);
            fd = -1;
            continue;
        }
        n = proc_count_fds(srv.pid);
        if (n == baseline + extra + 1) {
            close(fd);
            return;
        }
    }
    if (fd != -1)
        close(fd);
    ck_abort_msg("%s: after %s it holds %d descriptors, not %d", server, after, n,
                 baseline + extra + 1);
}

static char *big_value(void)
{
    char *v = malloc(BIG_VALUE);

    ck_assert(v != NULL);
    for (size_t i = 0; i < BIG_VALUE; i++)
        v[i] = (char)('a' + i % 26);
    return v;
}

/* SET key to a BIG_VALUE-byte value over fd. */
static void set_big(int fd, const char *key)
{
    char head[128];
    char *v = big_value();

    snprintf(head, sizeof head, "*3\r\n$3\r\nSET\r\n$%zu\r\n%s\r\n$%d\r\n", strlen(key), key,
             BIG_VALUE);
    send_str(fd, head);
    send_bytes(fd, v, BIG_VALUE);
    ask(fd, "\r\n", "+OK\r\n");
    free(v);
}

/* Send `count` GETs of key in one write, and read none of the replies. */
static void send_gets(int fd, const char *key, int count)
{
    char one[64];
    size_t len = (size_t)snprintf(one, sizeof one, "GET %s\r\n", key);
    char *all = malloc(len * (size_t)count);

    ck_assert(all != NULL);
    for (int i = 0; i < count; i++)
        memcpy(all + len * (size_t)i, one, len);
    send_bytes(fd, all, len * (size_t)count);
    free(all);
}

static bool is_sequential(void)
{
    return strcmp(server, "server_sequential") == 0;
}

/* ---- The cases, each a function of the server's name ------------------------------------------
 */

/* Every command, with Redis's replies and Redis's error wording. */
static void t_commands(const char *name)
{
    int fd;

    start(name, NULL);
    fd = connect_client();
    ask(fd, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
    ask(fd, "PING hello\r\n", "$5\r\nhello\r\n");
    ask(fd, "*2\r\n$4\r\nECHO\r\n$3\r\nhey\r\n", "$3\r\nhey\r\n");
    ask(fd, "GET nothing\r\n", "$-1\r\n");
    ask(fd, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n", "+OK\r\n");
    ask(fd, "get k\r\n", "$5\r\nhello\r\n");
    ask(fd, "INCR k\r\n", "-ERR value is not an integer or out of range\r\n");
    ask(fd, "INCR n\r\n", ":1\r\n");
    ask(fd, "INCR n\r\n", ":2\r\n");
    ask(fd, "SET big 9223372036854775807\r\n", "+OK\r\n");
    ask(fd, "INCR big\r\n", "-ERR increment or decrement would overflow\r\n");
    ask(fd, "SET z 007\r\n", "+OK\r\n");
    ask(fd, "INCR z\r\n", "-ERR value is not an integer or out of range\r\n");
    ask(fd, "DEL k n nope\r\n", ":2\r\n");
    ask(fd, "GET k\r\n", "$-1\r\n");
    ask(fd, "SET k v EX 10\r\n", "-ERR syntax error\r\n");
    ask(fd, "GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n");
    ask(fd, "ECHO a b\r\n", "-ERR wrong number of arguments for 'echo' command\r\n");
    ask(fd, "FLY to the moon\r\n",
        "-ERR unknown command 'FLY', with args beginning with: 'to' 'the' 'moon' \r\n");
    ask(fd, "CONFIG GET save appendonly\r\n",
        "*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
    ask(fd, "COMMAND DOCS\r\n", "*0\r\n");
    ask(fd, "\r\n*0\r\nPING\r\n", "+PONG\r\n"); /* empty requests get no reply */
    ask(fd, "QUIT\r\n", "+OK\r\n");
    expect_closed(fd, "QUIT");
    settle(0, "QUIT");
    stop();
}

/* Many requests in one write, answered in order; and a request sent one byte at a time. */
static void t_pipelining(const char *name)
{
    enum { N = 200 };
    char request[N * 16], reply[N * 16];
    const char *slow = "*3\r\n$3\r\nSET\r\n$4\r\nslow\r\n$3\r\nb\ny\r\n";
    size_t rlen = 0, plen = 0;
    int fd;

    start(name, NULL);
    fd = connect_client();
    for (int i = 0; i < N; i++) {
        rlen += (size_t)sprintf(request + rlen, "INCR p\r\n");
        plen += (size_t)sprintf(reply + plen, ":%d\r\n", i + 1);
    }
    send_bytes(fd, request, rlen);
    expect_bytes(fd, reply, plen, "200 pipelined INCRs");
    for (size_t i = 0; slow[i] != '\0'; i++)
        send_bytes(fd, &slow[i], 1);
    EXPECT(fd, "+OK\r\n", "a SET sent byte by byte");
    ask(fd, "*2\r\n$3\r\nGET\r\n$4\r\nslow\r\n", "$3\r\nb\ny\r\n");
    close(fd);
    settle(0, "pipelining");
    stop();
}

/* Values with every byte, CR, LF and NUL among them, come back intact; keys too. */
static void t_binary(const char *name)
{
    char value[256], head[64], key[] = {'k', '\0', '\r', '\n'};
    int fd;

    for (int i = 0; i < 256; i++)
        value[i] = (char)i;
    start(name, NULL);
    fd = connect_client();
    snprintf(head, sizeof head, "*3\r\n$3\r\nSET\r\n$%zu\r\n", sizeof key);
    send_str(fd, head);
    send_bytes(fd, key, sizeof key);
    send_str(fd, "\r\n$256\r\n");
    send_bytes(fd, value, sizeof value);
    ask(fd, "\r\n", "+OK\r\n");
    snprintf(head, sizeof head, "*2\r\n$3\r\nGET\r\n$%zu\r\n", sizeof key);
    send_str(fd, head);
    send_bytes(fd, key, sizeof key);
    send_str(fd, "\r\n");
    EXPECT(fd, "$256\r\n", "GET of a binary value");
    expect_bytes(fd, value, sizeof value, "GET of a binary value");
    EXPECT(fd, "\r\n", "GET of a binary value");
    close(fd);
    stop();
}

/* Requests over --max-request: an error, that client closed, another one unaffected. */
static void t_too_big(const char *name)
{
    const char *args[] = {"--max-request", "1024", NULL};
    char inline_request[MAX_REQUEST + 1];
    int fd, other = -1;

    start(name, args);
    if (!is_sequential()) { /* a second client, connected throughout */
        other = connect_client();
        ask(other, "SET mine 1\r\n", "+OK\r\n");
    }
    fd = connect_client();
    /* The length says it all: refused before its bytes come. */
    ask(fd, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n",
        "-ERR Protocol error: too big request (over --max-request)\r\n");
    expect_closed(fd, "a bulk string over --max-request");
    /* An inline line one byte too long: refused at that byte, with nothing left unread. */
    memset(inline_request, 'x', sizeof inline_request);
    fd = connect_client();
    send_bytes(fd, inline_request, sizeof inline_request);
    EXPECT(fd, "-ERR Protocol error: too big inline request\r\n", "a long inline line");
    expect_closed(fd, "an inline request over --max-request");
    if (other >= 0) {
        ask(other, "GET mine\r\n", "$1\r\n1\r\n");
        close(other);
    }
    settle(0, "requests over --max-request");
    stop();
}

/* Malformed lengths and counts: each gets Redis's error, and its connection is closed. */
static void t_malformed(const char *name)
{
    static const char *const cases[][2] = {
        {"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        {"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        {"*1\r\n$99999999999999999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        {"*99999999999\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
        {"*1048577\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
        {"*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
        {"*2\r\n:", "-ERR Protocol error: expected '$', got ':'\r\n"},
        {"*1\r\n$4\r\nPINGx", "-ERR Protocol error: expected '\\r\\n' after a bulk string\r\n"},
    };

    start(name, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int fd = connect_client();

        /* Sent one byte at a time; the error comes at the last byte (its line's '\n', or the byte
         * that cannot be), so nothing is left unread when the server closes. */
        for (size_t k = 0; cases[i][0][k] != '\0'; k++)
            send_bytes(fd, &cases[i][0][k], 1);
        EXPECT(fd, cases[i][1], cases[i][0]);
        expect_closed(fd, cases[i][0]);
    }
    settle(0, "malformed requests");
    stop();
}

/* Clients that hang up halfway through a request, and halfway through a long reply. */
static void t_disconnect(const char *name)
{
    int fd;

    start(name, NULL);
    fd = connect_client();
    send_str(fd, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nhal");
    close(fd);
    fd = connect_client();
    set_big(fd, "big");
    send_gets(fd, "big", MANY_GETS / 4);
    EXPECT(fd, "$60000\r\nabc", "the start of a long reply");
    close(fd); /* with megabytes of replies unread: the server's send fails (no SIGPIPE death) */
    settle(0, "clients hung up mid-request and mid-reply");
    fd = connect_client();
    ask(fd, "GET k\r\n", "$-1\r\n"); /* the half SET did nothing */
    close(fd);
    stop();
}

/* A client that sends and never reads. On the loop it is dropped once its replies pass
 * --max-output; on the threaded servers it holds only its own thread; meanwhile others are served.
 */
static void t_never_reads(const char *name)
{
    const char *args[] = {"--max-output", "100000", NULL};
    bool loop = strcmp(name, "server_loop") == 0;
    int bad, good;

    start(name, loop ? args : NULL);
    bad = connect_client();
    set_big(bad, "big");
    send_gets(bad, "big", MANY_GETS);
    if (loop) /* dropped while still connected: the descriptors come back without its close */
        settle(0, "a client that never reads passed --max-output");
    if (!is_sequential()) {
        good = connect_client();
        ask(good, "PING\r\n", "+PONG\r\n");
        close(good);
    }
    close(bad);
    settle(0, "a client that never read hung up");
    stop();
}

/* --max-clients connections (idle but one) are served; one more is refused, cleanly. */
static void t_max_clients(const char *name)
{
    enum { MAX = 8 };
    const char *args[] = {"--max-clients", "8", "--threads", "2", NULL};
    const char *plain[] = {"--max-clients", "8", NULL};
    int fds[MAX], extra;

    if (strcmp(name, "server_sequential") == 0) {
        test_skip("the sequential server holds one client at a time: see idle_client.c");
        return;
    }
    start(name, strcmp(name, "server_pool") == 0 ? args : plain);
    fds[0] = connect_client(); /* the busy one, first: in the pool it has a worker */
    ask(fds[0], "PING\r\n", "+PONG\r\n");
    for (int i = 1; i < MAX; i++)
        fds[i] = connect_client();
    /* Wait until all MAX are accepted: the server then holds MAX client descriptors. */
    for (int i = 0; i < SETTLE_TRIES && proc_count_fds(srv.pid) != baseline + MAX; i++)
        ask(fds[0], "PING\r\n", "+PONG\r\n");
    ck_assert_int_eq(proc_count_fds(srv.pid), baseline + MAX);
    extra = connect_client();
    EXPECT(extra, RESP_TOO_MANY_CLIENTS, "one connection beyond --max-clients");
    expect_closed(extra, "refusing a connection beyond --max-clients");
    ask(fds[0], "SET still 1\r\n", "+OK\r\n");
    for (int i = 0; i < MAX; i++)
        close(fds[i]);
    settle(0, "idle clients up to --max-clients");
    stop();
}

/*
 * Out of descriptors: with --max-clients above the process's descriptor limit, a connection that
 * comes when every descriptor is taken waits in the listen backlog, without the server spinning on
 * accept() (a spin would fill stderr with EMFILE lines), and is served when a client leaves. A stop
 * asked for while the server waits so ends it at once.
 */
static void t_out_of_descriptors(const char *name)
{
    enum { LIMIT = 24 }; /* RLIMIT_NOFILE of the server */
    const char *args[] = {"--max-clients", "100", "--threads", "32", NULL};
    const char *plain[] = {"--max-clients", "100", NULL};
    struct timeval brief = {.tv_usec = 200000};
    struct rlimit rl, low;
    struct proc_result r;
    int fds[LIMIT], n, held, extra, late, lines = 0;
    char reply[7];

    if (strcmp(name, "server_sequential") == 0) {
        test_skip("the sequential server holds one client at a time");
        return;
    }
    ck_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    low = rl;
    low.rlim_cur = LIMIT;
    ck_assert(setrlimit(RLIMIT_NOFILE, &low) == 0); /* the server inherits it */
    start(name, strcmp(name, "server_pool") == 0 ? args : plain);
    ck_assert(setrlimit(RLIMIT_NOFILE, &rl) == 0); /* and we take ours back */
    held = proc_count_fds_below(srv.pid, LIMIT);   /* some it inherited may be numbered above */
    ck_assert_msg(held >= 0 && held < LIMIT - 2, "%s holds %d descriptors below %d", server, held,
                  LIMIT);
    /* Every descriptor number the server may still use, each a client it answers. */
    for (n = 0; n < LIMIT - held; n++) {
        fds[n] = connect_client();
        ask(fds[n], "PING\r\n", "+PONG\r\n");
    }
    extra = connect_client(); /* connected by the kernel, not accepted by the server */
    send_str(extra, "PING\r\n");
    ck_assert(setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof brief) == 0);
    ck_assert_msg(!read_exact(extra, reply, sizeof reply),
                  "%s answered beyond its descriptor limit of %d", server, LIMIT);
    close(fds[--n]); /* one leaves: the waiting connection is accepted and answered */
    brief.tv_sec = READ_TIMEOUT, brief.tv_usec = 0;
    ck_assert(setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof brief) == 0);
    EXPECT(extra, "+PONG\r\n", "a connection that waited for a descriptor");
    ask(fds[0], "PING\r\n", "+PONG\r\n");
    /* Full again, with one more waiting, unanswered for a fifth of a second (time for the server
     * to meet EMFILE and start waiting): SIGTERM must end the wait, and the server. */
    late = connect_client();
    send_str(late, "PING\r\n");
    brief.tv_sec = 0, brief.tv_usec = 200000;
    ck_assert(setsockopt(late, SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof brief) == 0);
    ck_assert_msg(!read_exact(late, reply, sizeof reply),
                  "%s answered beyond its descriptor limit of %d", server, LIMIT);
    if (test_sanitized("thread")) {
        /* ThreadSanitizer holds SIGTERM back from a thread asleep in select() (see stop()), and
         * the loop, out of descriptors, no longer watches the port that proc_server_stop knocks
         * on: a client that hangs up wakes it instead. The plain run tests the signal alone. */
        ck_assert(kill(srv.pid, SIGTERM) == 0);
        close(fds[--n]);
        ck_assert(proc_server_stop(&srv, 0, STOP_TIMEOUT, &r) == 0);
    } else {
        ck_assert(proc_server_stop(&srv, SIGTERM, STOP_TIMEOUT, &r) == 0);
    }
    ck_assert_msg(!r.timed_out, "%s out of descriptors did not stop within %g s of SIGTERM", server,
                  STOP_TIMEOUT);
    ck_assert_msg(r.signal == 0 && r.exit_code == 0, "%s ended with status %d, signal %d: %s",
                  server, r.exit_code, r.signal, r.err);
    for (const char *p = r.err; (p = strstr(p, "Too many open files")) != NULL; p++)
        lines++;
    ck_assert_msg(lines <= 4, "%s spun on accept(): %d EMFILE errors on stderr", server, lines);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    close(extra);
    close(late);
}

/* The loop: a descriptor at FD_SETSIZE or above cannot go into select()'s sets: refused. */
static void t_fd_setsize(const char *name)
{
    enum { CLIENTS = FD_SETSIZE + 8 };
    const char *args[] = {"--max-clients", "5000", NULL};
    struct rlimit rl;
    int *fds = malloc(CLIENTS * sizeof *fds), refused = 0;

    ck_assert(fds != NULL);
    if (strcmp(name, "server_loop") != 0) {
        test_skip("only select() has a limit on descriptor values");
        free(fds);
        return;
    }
    /* Room for CLIENTS descriptors here and in the server (which inherits the limit). */
    ck_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur < 2 * CLIENTS + 64) {
        ck_assert_msg(rl.rlim_max >= 2 * CLIENTS + 64, "RLIMIT_NOFILE's hard limit is too low");
        rl.rlim_cur = 2 * CLIENTS + 64;
        ck_assert(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    }
    start(name, args);
    for (int i = 0; i < CLIENTS; i++)
        fds[i] = connect_client();
    /* Each connection either answers or was refused with the error line and closed. */
    for (int i = 0; i < CLIENTS; i++) {
        char reply[sizeof RESP_TOO_MANY_CLIENTS];

        /* A refused one may already have been reset by the time we ask: that counts too. */
        send_str(fds[i], "PING\r\n");
        if (read_exact(fds[i], reply, 7) && memcmp(reply, "+PONG\r\n", 7) == 0)
            continue;
        ck_assert_msg(errno == ECONNRESET || memcmp(reply, RESP_TOO_MANY_CLIENTS, 7) == 0,
                      "connection %d: neither answered nor refused", i);
        refused++;
    }
    ck_assert_msg(refused >= CLIENTS - FD_SETSIZE + baseline - 1,
                  "only %d of %d connections refused", refused, CLIENTS);
    ck_assert_msg(refused < CLIENTS - FD_SETSIZE + baseline + 8, "%d connections refused", refused);
    ask(fds[0], "PING\r\n", "+PONG\r\n");
    for (int i = 0; i < CLIENTS; i++)
        close(fds[i]);
    free(fds);
    settle(0, "connections beyond FD_SETSIZE");
    stop();
}

/* Several clients INCR one counter at once: with the lock (or the loop) no update is lost. */
static void t_shared_counter(const char *name)
{
    enum { CLIENTS = 4, ROUNDS = 500 };
    int fds[CLIENTS], fd;
    char expect[32];

    if (strcmp(name, "server_sequential") == 0) {
        test_skip("one client at a time: nothing shared at once");
        return;
    }
    start(name, NULL);
    for (int i = 0; i < CLIENTS; i++)
        fds[i] = connect_client();
    /* Every client's INCRs go out in one write, so that the servers run them side by side. */
    for (int i = 0; i < CLIENTS; i++) {
        char buf[ROUNDS * 8 + 1];
        size_t len = 0;

        for (int k = 0; k < ROUNDS; k++)
            len += (size_t)sprintf(buf + len, "INCR c\r\n");
        send_bytes(fds[i], buf, len);
    }
    for (int i = 0; i < CLIENTS; i++) {
        for (int k = 0; k < ROUNDS; k++) {
            char line[32];
            size_t n = 0;

            while (n < sizeof line - 1 && read_exact(fds[i], &line[n], 1) && line[n] != '\n')
                n++;
            ck_assert_msg(n > 0 && line[0] == ':', "client %d: reply %d is not a number", i, k);
        }
        close(fds[i]);
    }
    fd = connect_client();
    snprintf(expect, sizeof expect, "$%d\r\n%d\r\n", 4, CLIENTS * ROUNDS);
    ask(fd, "GET c\r\n", expect);
    close(fd);
    stop();
}

/* SIGTERM while a client is connected and idle (its server thread blocked in recv). */
static void t_stop_with_client(const char *name)
{
    int fd;

    start(name, NULL);
    fd = connect_client();
    ask(fd, "SET a b\r\n", "+OK\r\n");
    if (test_sanitized(
            "thread")) { /* a sequential server waits in poll() on this client, not in accept */
        char reply[16];

        ck_assert(kill(srv.pid, SIGTERM) == 0);
        send_str(fd, "PING\r\n");
        if (read_exact(fd, reply, 7)) { /* +PONG, if it read the PING before the stop */
        }
    }
    stop(); /* exits 0, at once, nothing leaked */
    expect_closed(fd, "the server stopped");
}

/* redis-cli, the real client, when it is installed. */
static void t_redis_cli(const char *name)
{
    char path[512], port[16];
    struct proc_result r;

    if (access(REDIS_CLI, X_OK) != 0) {
        test_skip("redis-cli is not installed (Debian package redis-tools)");
        return;
    }
    start(name, NULL);
    snprintf(port, sizeof port, "%d", srv.port);
    snprintf(path, sizeof path, "%s", REDIS_CLI);
    {
        char *set[] = {path, "-p", port, "SET", "greeting", "hello world", NULL};
        char *get[] = {path, "-p", port, "GET", "greeting", NULL};
        char *incr[] = {path, "-p", port, "INCR", "greeting", NULL};

        ck_assert(proc_run(set, READ_TIMEOUT, true, &r) == 0 && r.exit_code == 0);
        ck_assert_str_eq(r.lines[0], "OK");
        ck_assert(proc_run(get, READ_TIMEOUT, true, &r) == 0 && r.exit_code == 0);
        ck_assert_str_eq(r.lines[0], "hello world");
        ck_assert(proc_run(incr, READ_TIMEOUT, true, &r) == 0 && r.exit_code == 0);
        ck_assert_str_eq(r.lines[0], "ERR value is not an integer or out of range");
    }
    settle(0, "redis-cli");
    stop();
}

/* -h says what the server is; a bad option is refused with status 2. */
static void t_options(const char *name)
{
    char path[512];
    struct proc_result r;
    char *help[] = {path, "-h", NULL};
    char *bad[] = {path, "--bogus", NULL};
    char *bad_port[] = {path, "-p", "99999", NULL};

    snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, name);
    ck_assert(proc_run(help, READ_TIMEOUT, true, &r) == 0);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(r.nlines > 2 && strncmp(r.lines[0], "usage:", 6) == 0, "-h: %s", r.lines[0]);
    ck_assert(proc_run(bad, READ_TIMEOUT, true, &r) == 0);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert(proc_run(bad_port, READ_TIMEOUT, true, &r) == 0);
    ck_assert_int_eq(r.exit_code, 2);
}

/* ---- One test case per server -----------------------------------------------------------------
 */

#define SERVER_TESTS(NAME)                                                                         \
    START_TEST(NAME##_commands)                                                                    \
    {                                                                                              \
        t_commands("server_" #NAME);                                                               \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_pipelining)                                                                  \
    {                                                                                              \
        t_pipelining("server_" #NAME);                                                             \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_binary)                                                                      \
    {                                                                                              \
        t_binary("server_" #NAME);                                                                 \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_too_big)                                                                     \
    {                                                                                              \
        t_too_big("server_" #NAME);                                                                \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_malformed)                                                                   \
    {                                                                                              \
        t_malformed("server_" #NAME);                                                              \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_disconnect)                                                                  \
    {                                                                                              \
        t_disconnect("server_" #NAME);                                                             \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_never_reads)                                                                 \
    {                                                                                              \
        t_never_reads("server_" #NAME);                                                            \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_max_clients)                                                                 \
    {                                                                                              \
        t_max_clients("server_" #NAME);                                                            \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_out_of_descriptors)                                                          \
    {                                                                                              \
        t_out_of_descriptors("server_" #NAME);                                                     \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_fd_setsize)                                                                  \
    {                                                                                              \
        t_fd_setsize("server_" #NAME);                                                             \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_shared_counter)                                                              \
    {                                                                                              \
        t_shared_counter("server_" #NAME);                                                         \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_stop_with_client)                                                            \
    {                                                                                              \
        t_stop_with_client("server_" #NAME);                                                       \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_redis_cli)                                                                   \
    {                                                                                              \
        t_redis_cli("server_" #NAME);                                                              \
    }                                                                                              \
    END_TEST                                                                                       \
    START_TEST(NAME##_options)                                                                     \
    {                                                                                              \
        t_options("server_" #NAME);                                                                \
    }                                                                                              \
    END_TEST                                                                                       \
    static void add_##NAME(Suite *s)                                                               \
    {                                                                                              \
        TCase *tc = test_case(s, "server_" #NAME);                                                 \
        tcase_add_test(tc, NAME##_commands);                                                       \
        tcase_add_test(tc, NAME##_pipelining);                                                     \
        tcase_add_test(tc, NAME##_binary);                                                         \
        tcase_add_test(tc, NAME##_too_big);                                                        \
        tcase_add_test(tc, NAME##_malformed);                                                      \
        tcase_add_test(tc, NAME##_disconnect);                                                     \
        tcase_add_test(tc, NAME##_never_reads);                                                    \
        tcase_add_test(tc, NAME##_max_clients);                                                    \
        tcase_add_test(tc, NAME##_out_of_descriptors);                                             \
        tcase_add_test(tc, NAME##_fd_setsize);                                                     \
        tcase_add_test(tc, NAME##_shared_counter);                                                 \
        tcase_add_test(tc, NAME##_stop_with_client);                                               \
        tcase_add_test(tc, NAME##_redis_cli);                                                      \
        tcase_add_test(tc, NAME##_options);                                                        \
    }

SERVER_TESTS(sequential)
SERVER_TESTS(threads)
SERVER_TESTS(pool)
SERVER_TESTS(loop)

Suite *test_suite(void)
{
    Suite *s = suite_create("servers");

    add_sequential(s);
    add_threads(s);
    add_pool(s);
    add_loop(s);
    return s;
}
