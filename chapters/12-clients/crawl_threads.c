/*
 * crawl_threads.c: the same URLs on a pool of 3 threads, each request with a deadline.
 *
 * Chapter 12. What concurrent.futures.ThreadPoolExecutor(max_workers=3) with
 * requests.get(url, timeout=...) does: three threads, each taking the next URL from a shared
 * index (under a mutex) until none is left, so that never more than three requests run at once.
 * The timeout is a deadline that http_get checks before every wait (poll() with the time left);
 * a request that runs out of time gives up on its own thread, and the others never notice.
 * Compare with crawl_loop.c: the same results; there the limit is a semaphore and the timeout a
 * cancellation, here the limit is the number of threads and the timeout a deadline.
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

static struct demo demo;
static struct http_url urls[CRAWL_MAX_URLS];
static size_t nurls;

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER; /* guards the four below */
static size_t next_url;
static int in_flight, most_in_flight, answered;

/* Take the next URL's index, or return false when there is none left. */
static bool take(size_t *i)
{
    bool found;

    PCHECK(pthread_mutex_lock(&mutex));
    found = next_url < nurls;
    if (found) {
        *i = next_url++;
        if (++in_flight > most_in_flight)
            most_in_flight = in_flight;
    }
    PCHECK(pthread_mutex_unlock(&mutex));
    return found;
}

static void *worker(void *arg)
{
    size_t i;

    (void)arg;
    while (take(&i)) {
        struct http_parser response;
        const char *name = urls[i].target;
        char result[160];
        int err = 0;

        say(name, "GET %s", name);
        if (http_get(&urls[i], demo_seconds(&demo, CRAWL_TIMEOUT), &response) == -1)
            err = errno;
        http_describe(result, sizeof result, err, &response);
        http_parser_free(&response);
        PCHECK(pthread_mutex_lock(&mutex));
        in_flight--;
        answered += err == 0;
        PCHECK(pthread_mutex_unlock(&mutex));
        say(name, "%s: %s", name, result);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int first = urls_start(argc, argv);
    struct local_server good = {0}, bad = {0};
    pthread_t pool[CRAWL_LIMIT];
    double start;

    demo_init(&demo, first, argv,
              "The same URLs on a pool of 3 threads, each request with a deadline.\n"
              "Give http:// URLs after the options, or it starts http_server and bad_server.");
    nurls = crawl_urls(&demo, argc, argv, first, &good, &bad, urls);
    start = clock_now();
    for (int k = 0; k < CRAWL_LIMIT; k++)
        PCHECK(pthread_create(&pool[k], NULL, worker, NULL));
    for (int k = 0; k < CRAWL_LIMIT; k++)
        PCHECK(pthread_join(pool[k], NULL));
    say("main", "%zu requests, %d answered, %zu failed, at most %d at once, in %.2f s", nurls,
        answered, nurls - (size_t)answered, most_in_flight, clock_now() - start);
    local_server_stop(&good);
    local_server_stop(&bad);
    demo_finish(&demo);
    return 0;
}
