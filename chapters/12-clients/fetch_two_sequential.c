/*
 * fetch_two_sequential.c: the two posts fetched one after the other: the delays add up, 2 s.
 *
 * Chapter 12. The baseline for article 002's example: what
 *     data1 = requests.get(".../posts/1").json(); print("Data from API 1:", data1)
 *     data2 = requests.get(".../posts/2").json(); print("Data from API 2:", data2)
 * does. The second request is not even sent until the first answer has come. Compare with
 * fetch_two_loop.c and fetch_two_threads.c, which both take one delay.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "http.h"
#include "local_servers.h"
#include "timeline.h"

#define NO_TIMEOUT 0

int main(int argc, char **argv)
{
    int first = urls_start(argc, argv);
    struct demo demo;
    struct local_server server = {0};
    struct http_url urls[POSTS];
    char why[128];
    double start;
    bool failed = false;

    demo_init(&demo, first, argv,
              "The two posts fetched one after the other: the waits add up.\n"
              "Give two http:// URLs after the options, or it starts http_server on loopback.");
    post_urls(&demo, argc, argv, first, &server, urls);
    start = clock_now();
    for (int i = 0; i < POSTS; i++) {
        struct http_parser response;

        say("main", "GET %s", urls[i].target);
        if (http_get(&urls[i], NO_TIMEOUT, &response) == -1) {
            http_describe(why, sizeof why, errno, &response);
            say("main", "API %d failed: %s", i + 1, why);
            failed = true;
        } else {
            say("main", "Data from API %d: %.*s", i + 1, body_shown(&response), response.body);
        }
        http_parser_free(&response);
    }
    say("main", "fetched %d posts in %.2f s; the server waits %.2f s before each answer", POSTS,
        clock_now() - start, demo_seconds(&demo, POST_DELAY));
    local_server_stop(&server);
    demo_finish(&demo);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
