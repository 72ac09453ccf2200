/*
 * servers_tour.c: the four servers answer the same pipelined requests with the same bytes.
 *
 * Chapter 11. Starts each server in turn (server_sequential, server_threads, server_pool,
 * server_loop) on a free port, sends five requests in a single write (pipelining: the client does
 * not wait for one reply before sending the next request), reads the five replies, and stops the
 * server with SIGTERM. The replies are RESP, shown with their "\r\n" written out. Every server
 * runs the same protocol code (common/resp.c), so the lines differ only in the server's name.
 * Python: redis-py's r.pipeline() sends the same way. Compare with idle_client.c.
 */
#include "servers.h"

#define REQUESTS "SET greeting hello\r\nGET greeting\r\nINCR visits\r\nINCR visits\r\nFLY away\r\n"
#define REPLY_LINES 6 /* a bulk string ($5, then hello) takes two lines, the others one each */
#define REPLY_MAX 512
#define READ_TIMEOUT 10.0

/* The reply with each "\r\n" shown as the four characters \r\n, for one line of output. */
static void show(const char *name, const char *buf, size_t len)
{
    char text[REPLY_MAX * 2];
    size_t t = 0;

    for (size_t i = 0; i < len && t < sizeof text - 5; i++) {
        if (buf[i] == '\r' || buf[i] == '\n') {
            text[t++] = '\\';
            text[t++] = buf[i] == '\r' ? 'r' : 'n';
        } else {
            text[t++] = buf[i];
        }
    }
    text[t] = '\0';
    say("main", "%s: %s", name, text);
}

int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv,
              "Start each of the four servers, send five pipelined requests, show the replies.");
    say("main", "requests, in one write: %s",
        "SET greeting hello | GET greeting | INCR visits | "
        "INCR visits | FLY away");
    for (int i = 0; i < NSERVERS; i++) {
        struct proc_server s;
        char buf[REPLY_MAX];
        size_t len;
        int fd, status;

        server_start(argv[0], server_names[i], &s);
        if ((fd = net_connect("127.0.0.1", s.port, false)) == -1)
            die_errno("net_connect");
        if (net_send_all(fd, REQUESTS, strlen(REQUESTS)) == -1)
            die_errno("send");
        len = read_lines(fd, buf, sizeof buf, REPLY_LINES, READ_TIMEOUT);
        show(server_names[i], buf, len);
        if (close(fd) == -1)
            die_errno("close");
        status = server_stop(&s);
        say("main", "%s: stopped by SIGTERM, exit status %d", server_names[i], status);
    }
    demo_finish(&demo);
    return 0;
}
