/*
 * crawl_loop.c: many URLs on the event loop, at most 3 at once (a semaphore), each timed out.
 *
 * Chapter 12. What a crawler written with asyncio does:
 *     async def fetch(session, url):
 *         async with limit:                        # asyncio.Semaphore(3)
 *             return await asyncio.wait_for(session.get(url), timeout)
 *     await asyncio.gather(*(fetch(session, url) for url in urls))
 * Every URL gets a task at once; the semaphore lets three at a time past, the others wait their
 * turn parked on it (no thread, no busy wait). The timeout starts once a request is past the
 * semaphore, and cancels only that request: its socket is closed, its permit given back, and
 * the other tasks go on. Run it with -t to see at most three requests waiting at a time.
 * Compare with crawl_threads.c: the same limit, as a pool of 3 threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "http.h"
#include "local_servers.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

struct job {
    struct task task;
    struct http_get get;
};

static struct demo demo;
static struct async_sem limit = ASYNC_SEM_INIT(CRAWL_LIMIT);
static int in_flight, most_in_flight, answered;

static enum task_state fetch(struct task *t)
{
    struct job *j = (struct job *)t;
    char result[160];
    int err;

    TASK_BEGIN(t);
    ASYNC_SEM_ACQUIRE(t, &limit);
    if (++in_flight > most_in_flight)
        most_in_flight = in_flight;
    say(t->name, "GET %s", t->name);
    TASK_WAIT_FOR(t, &j->get.task, demo_seconds(&demo, CRAWL_TIMEOUT));
    in_flight--;
    if (async_sem_release(&limit) == -1) /* on success and on failure alike */
        die_errno("async_sem_release");
    err = future_error(&j->get.task.future);
    answered += err == 0;
    http_describe(result, sizeof result, err, &j->get.response);
    say(t->name, "%s: %s", t->name, result);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    int first = urls_start(argc, argv);
    struct local_server good = {0}, bad = {0};
    struct http_url urls[CRAWL_MAX_URLS];
    static struct job jobs[CRAWL_MAX_URLS];
    struct task *tasks[CRAWL_MAX_URLS];
    struct loop *loop;
    size_t n;
    double start;

    demo_init(&demo, first, argv,
              "Many URLs on the event loop, at most 3 at once, each with a timeout.\n"
              "Give http:// URLs after the options, or it starts http_server and bad_server.");
    n = crawl_urls(&demo, argc, argv, first, &good, &bad, urls);
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (size_t i = 0; i < n; i++) {
        task_init(&jobs[i].task, urls[i].target, fetch);
        if (http_get_init(&jobs[i].get, urls[i].target, &urls[i]) == -1)
            die_errno("http_get_init");
        tasks[i] = &jobs[i].task;
    }
    start = clock_now();
    if (task_run_all(loop, tasks, n) == -1)
        die_errno("task_run_all");
    say("main", "%zu requests, %d answered, %zu failed, at most %d at once, in %.2f s", n, answered,
        n - (size_t)answered, most_in_flight, clock_now() - start);
    for (size_t i = 0; i < n; i++)
        http_get_release(&jobs[i].get);
    loop_free(loop);
    local_server_stop(&good);
    local_server_stop(&bad);
    demo_finish(&demo);
    return 0;
}
