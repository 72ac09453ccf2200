/*
 * idle_client.c: one client that connects and says nothing: what it does to each server.
 *
 * Chapter 11. Client A connects and stays idle; client B then sends PING and waits a second for
 * the answer. The sequential server is busy with A (blocked in recv() on A's socket) and B hears
 * nothing until A hangs up. A thread per connection, a pool with a free worker, or the loop answer
 * B at once: A holds one thread, one worker, or only a slot in the loop's table. (A pool whose
 * workers are all held by idle clients is as stuck as the sequential server: server_pool.c.)
 * Compare with servers_tour.c. Python: socketserver.TCPServer against ThreadingTCPServer.
 */
#include "servers.h"

#define PATIENCE 1.0 /* seconds B waits for PONG (scaled by -s) */
#define LATER 10.0   /* seconds it waits once A has gone (a bound, not a wait) */

int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv, "An idle client against each server: is the next one served?");
    for (int i = 0; i < NSERVERS; i++) {
        struct proc_server s;
        char buf[64];
        int a, b, status;
        const char *name = server_names[i];

        server_start(argv[0], name, &s);
        if ((a = net_connect("127.0.0.1", s.port, false)) == -1 ||
            (b = net_connect("127.0.0.1", s.port, false)) == -1)
            die_errno("net_connect");
        if (net_send_all(b, "PING\r\n", 6) == -1)
            die_errno("send");
        if (read_lines(b, buf, sizeof buf, 1, demo_seconds(&demo, PATIENCE)) > 0) {
            say("main", "%s: B got PONG while A sat idle", name);
        } else {
            say("main", "%s: B got nothing in %g s: the server is waiting for idle A", name,
                demo_seconds(&demo, PATIENCE));
            if (close(a) == -1)
                die_errno("close");
            a = -1;
            if (read_lines(b, buf, sizeof buf, 1, LATER) > 0)
                say("main", "%s: A hung up; now B got PONG", name);
        }
        if ((a != -1 && close(a) == -1) || close(b) == -1)
            die_errno("close");
        status = server_stop(&s);
        if (status != 0)
            say("main", "%s: exit status %d", name, status);
    }
    demo_finish(&demo);
    return 0;
}
