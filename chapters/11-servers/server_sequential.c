/*
 * server_sequential.c: one client at a time: accept, serve until it hangs up, accept the next.
 *
 * Chapter 11. The baseline of the four servers (compare with server_threads.c, server_pool.c and
 * server_loop.c): the same protocol (common/resp.c) and the same command line (common/net.h),
 * with no concurrency at all. It needs no lock, and it is correct; but while it serves one client,
 * every other waits in the kernel's listen queue, however little the first one is doing: an idle
 * client, or one that never reads its replies, stops everybody (idle_client.c shows it).
 * While it waits for its one client, it also watches the stop pipe, so SIGTERM still ends it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "errors.h"
#include "net.h"
#include "resp.h"

#define DEFAULT_PORT 6379

int main(int argc, char **argv)
{
    struct server_config config = SERVER_CONFIG_INIT(DEFAULT_PORT);
    struct store *store;
    int listen_fd, stop_fd;

    server_init(&config, argc, argv,
                "A RESP server that serves one client at a time (--max-clients has no effect).",
                NULL);
    stop_fd = server_catch_stop();
    if ((store = store_new()) == NULL)
        die_errno("store_new");
    listen_fd = server_listen(&config);
    for (;;) {
        int fd = server_accept(listen_fd, stop_fd);

        if (fd == -1 && errno == ECANCELED)
            break;
        if (fd == -1) { /* EMFILE cannot last: we hold one connection at most */
            perror("accept");
            continue;
        }
        /* No lock: nothing else runs. The stop pipe ends a conversation that would never end. */
        if (resp_serve_blocking(fd, stop_fd, store, NULL, config.max_request) == -1 &&
            errno != ECANCELED && errno != ECONNRESET && errno != EPIPE)
            perror("serving a client");
        if (close(fd) == -1)
            die_errno("close");
        if (server_stop_requested())
            break;
    }
    if (close(listen_fd) == -1)
        die_errno("close");
    store_free(store);
    return 0;
}
