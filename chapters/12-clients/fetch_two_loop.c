/*
 * fetch_two_loop.c: article 002's two JSON posts fetched at once on the event loop: one delay.
 *
 * Chapter 12. Article 002's aiohttp example:
 *     async def fetch_data_from_api1(session):
 *         async with session.get(".../posts/1") as response:
 *             data = await response.json()
 *             print("Data from API 1:", data)
 *     await asyncio.gather(fetch_data_from_api1(session), fetch_data_from_api2(session))
 * Here session.get is common/http.c's struct http_get: a task that connects, sends and reads
 * without blocking, parked while the loop waits for its socket. The server (started here, on
 * loopback) waits 1 s before each answer; both requests wait in that same second, on one thread.
 * Compare with fetch_two_threads.c (a thread each) and fetch_two_sequential.c (2 s).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "http.h"
#include "local_servers.h"
#include "task.h"
#include "timeline.h"

/* async def fetch_data_from_api(n): one request, awaited, then its body printed. */
struct fetch {
    struct task task;
    int n;
    struct http_get get;
};

static int failures;

static enum task_state fetch_post(struct task *t)
{
    struct fetch *f = (struct fetch *)t;
    char why[128];

    TASK_BEGIN(t);
    say(t->name, "GET %s", f->get.url.target);
    task_start(t->loop, &f->get.task);
    TASK_AWAIT(t, &f->get.task.future); /* response = await session.get(url) */
    if (future_error(&f->get.task.future) != 0) {
        http_describe(why, sizeof why, f->get.task.error, &f->get.response);
        say(t->name, "API %d failed: %s", f->n, why);
        failures++;
    } else {
        say(t->name, "Data from API %d: %.*s", f->n, body_shown(&f->get.response),
            f->get.response.body);
    }
    TASK_END(t);
}

int main(int argc, char **argv)
{
    int first = urls_start(argc, argv);
    struct demo demo;
    struct local_server server = {0};
    struct http_url urls[POSTS];
    struct fetch fetches[POSTS];
    struct task *const both[POSTS] = {&fetches[0].task, &fetches[1].task};
    struct loop *loop;
    double start;

    demo_init(&demo, first, argv,
              "Two JSON posts fetched at once on the event loop (article 002's aiohttp example).\n"
              "Give two http:// URLs after the options, or it starts http_server on loopback.");
    post_urls(&demo, argc, argv, first, &server, urls);
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < POSTS; i++) {
        fetches[i].n = i + 1;
        task_init(&fetches[i].task, i == 0 ? "fetch 1" : "fetch 2", fetch_post);
        if (http_get_init(&fetches[i].get, "get", &urls[i]) == -1)
            die_errno("http_get_init");
    }
    start = clock_now();
    if (task_run_all(loop, both, POSTS) == -1)
        die_errno("task_run_all");
    say("main", "fetched %d posts in %.2f s; the server waits %.2f s before each answer", POSTS,
        clock_now() - start, demo_seconds(&demo, POST_DELAY));
    for (int i = 0; i < POSTS; i++)
        http_get_release(&fetches[i].get);
    loop_free(loop);
    local_server_stop(&server);
    demo_finish(&demo);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
