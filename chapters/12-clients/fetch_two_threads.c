/*
 * fetch_two_threads.c: the same two posts fetched at once, a thread each, blocking: one delay.
 *
 * Chapter 12. Article 002 shows this example with asyncio only; the threading version is what
 * requests.get() in two threading.Thread would be. Each thread calls common/http.c's http_get,
 * which blocks that thread in poll() and recv() until its answer comes; the kernel runs neither
 * while they wait, and both wait in the same second. Compare with fetch_two_loop.c: the lines and
 * the time are the same; here each request has a thread (and a stack) of its own.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "http.h"
#include "local_servers.h"
#include "timeline.h"

#define NO_TIMEOUT 0

struct fetch {
    int n;
    char name[16];
    struct http_url url;
    bool failed;
};

/* def fetch_data_from_api(n): response = requests.get(url); print(...) */
static void *fetch_post(void *arg)
{
    struct fetch *f = arg;
    struct http_parser response;
    char why[128];

    say(f->name, "GET %s", f->url.target);
    if (http_get(&f->url, NO_TIMEOUT, &response) == -1) {
        http_describe(why, sizeof why, errno, &response);
        say(f->name, "API %d failed: %s", f->n, why);
        f->failed = true;
    } else {
        say(f->name, "Data from API %d: %.*s", f->n, body_shown(&response), response.body);
    }
    http_parser_free(&response);
    return NULL;
}

int main(int argc, char **argv)
{
    int first = urls_start(argc, argv);
    struct demo demo;
    struct local_server server = {0};
    struct fetch fetches[POSTS] = {{0}};
    pthread_t threads[POSTS];
    struct http_url urls[POSTS];
    double start;
    bool failed = false;

    demo_init(&demo, first, argv,
              "The same two posts fetched at once, a blocking thread each.\n"
              "Give two http:// URLs after the options, or it starts http_server on loopback.");
    post_urls(&demo, argc, argv, first, &server, urls);
    for (int i = 0; i < POSTS; i++)
        fetches[i].url = urls[i];
    start = clock_now();
    for (int i = 0; i < POSTS; i++) {
        fetches[i].n = i + 1;
        snprintf(fetches[i].name, sizeof fetches[i].name, "fetch %d", i + 1);
        PCHECK(pthread_create(&threads[i], NULL, fetch_post, &fetches[i]));
    }
    for (int i = 0; i < POSTS; i++) {
        PCHECK(pthread_join(threads[i], NULL));
        failed = failed || fetches[i].failed;
    }
    say("main", "fetched %d posts in %.2f s; the server waits %.2f s before each answer", POSTS,
        clock_now() - start, demo_seconds(&demo, POST_DELAY));
    local_server_stop(&server);
    demo_finish(&demo);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
