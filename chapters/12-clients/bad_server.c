/*
 * bad_server.c: an HTTP server that misbehaves on purpose, one way per path, for the clients.
 *
 * Chapter 12. A client that only ever meets a polite server has not been tested. Each path here
 * is one thing a real server (or a network) can do to a client:
 *     /truncated    promises 100 bytes of body, sends 20, and closes
 *     /huge-head  sends a header line longer than any client should keep (1 MiB)
 *     /garbage      answers with bytes that are not HTTP at all
 *     /silent       reads the request and then says nothing, holding the connection open
 *     /close        closes the connection without a word
 * anything else gets a plain 404. The crawlers meet all of them in one run, beside good URLs,
 * and must report each as a clear error while the others complete. A thread per connection
 * (chapter 11's simplest server) is enough: this server is about what it sends, not how fast.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "http.h"
#include "net.h"

#define DEFAULT_PORT 8081
#define HUGE_HEADER (1024 * 1024)
#define CHUNK 4096

static const char truncated[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 100\r\nConnection: close\r\n\r\n"
                                "{\"id\": 1, \"title\": ";
static const char garbage[] = "SSH-2.0-OpenSSH_9.2p1\r\n\x01\x02\x03\xff not HTTP at all\r\n\r\n";
static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                "Connection: close\r\n\r\n";

/* Send what we can; a client that hangs up early is what some of these paths expect. */
static void send_text(int fd, const char *text, size_t len)
{
    if (net_send_all(fd, text, len) == -1 && errno != EPIPE && errno != ECONNRESET)
        die_errno("send");
}

/* A status line, then one header that never ends: sent until the client gives up or 1 MiB. */
static void send_huge_header(int fd)
{
    static const char start[] = "HTTP/1.1 200 OK\r\nX-Padding: ";
    char chunk[CHUNK];

    memset(chunk, 'a', sizeof chunk);
    if (net_send_all(fd, start, sizeof start - 1) == -1)
        return;
    for (size_t sent = 0; sent < HUGE_HEADER; sent += sizeof chunk) {
        if (net_send_all(fd, chunk, sizeof chunk) == -1)
            return;
    }
}

/* Say nothing until the client hangs up (its timeout), reading whatever it sends. */
static void stay_silent(int fd)
{
    char buf[CHUNK];

    while (recv(fd, buf, sizeof buf, 0) > 0)
        continue;
}

static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    struct http_parser request;
    char buf[CHUNK];
    ssize_t n = 0;

    http_parser_init(&request, HTTP_REQUEST, HTTP_HEAD_MAX, 0);
    while (request.state == HTTP_HEAD && (n = recv(fd, buf, sizeof buf, 0)) > 0)
        http_parser_feed(&request, buf, (size_t)n);
    if (request.state == HTTP_DONE) { /* else not even a request: just close */
        const char *target = request.target;

        if (strcmp(target, "/truncated") == 0)
            send_text(fd, truncated, sizeof truncated - 1);
        else if (strcmp(target, "/huge-head") == 0)
            send_huge_header(fd);
        else if (strcmp(target, "/garbage") == 0)
            send_text(fd, garbage, sizeof garbage - 1);
        else if (strcmp(target, "/silent") == 0)
            stay_silent(fd);
        else if (strcmp(target, "/close") != 0)
            send_text(fd, not_found, sizeof not_found - 1);
    }
    http_parser_free(&request);
    if (close(fd) == -1)
        die_errno("close");
    return NULL;
}

int main(int argc, char **argv)
{
    struct server_config config = SERVER_CONFIG_INIT(DEFAULT_PORT);
    pthread_attr_t attr;
    int listen_fd, stop_fd, fd;

    server_init(&config, argc, argv,
                "An HTTP server that misbehaves on purpose: /truncated, /huge-head, /garbage,\n"
                "/silent and /close each break the protocol in their own way (for the clients).",
                NULL);
    stop_fd = server_catch_stop();
    listen_fd = server_listen(&config);
    PCHECK(pthread_attr_init(&attr));
    PCHECK(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED));
    while ((fd = server_accept(listen_fd, stop_fd)) != -1) {
        pthread_t thread;

        PCHECK(pthread_create(&thread, &attr, serve, (void *)(intptr_t)fd));
    }
    if (errno != ECANCELED)
        die_errno("accept");
    /* Stopped: threads still serving end with the process, as the connections do. */
    PCHECK(pthread_attr_destroy(&attr));
    return 0;
}
