/*
 * step1_callbacks.c: the loop, step 1: a queue of callbacks, run first in, first out.
 *
 * Chapter 8. The smallest event loop there is: loop_call_soon puts a callback at the end of a
 * queue (asyncio's loop.call_soon), and each iteration runs the callbacks that were queued when
 * it began, not the ones they queue in turn: those wait for the next iteration. The API is
 * common/loop.h's, cut down to callbacks, so that scenarios.h runs on it unchanged.
 * Next: step2_timers.c adds timers; step3_descriptors.c runs the same scenarios on common/'s loop.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

struct loop;
typedef void loop_fn(struct loop *loop, void *arg);

/* A callback waiting in the queue. The caller owns it; the loop only links it in. */
struct loop_callback {
    struct loop_callback *prev, *next; /* NULL when not queued */
    loop_fn *fn;
    void *arg;
};

struct loop {
    struct loop_callback ready; /* the queue: a circular list through this sentinel */
    size_t nready;
    bool stopping;
};

static struct loop *loop_new(void)
{
    struct loop *loop = calloc(1, sizeof *loop);

    if (loop != NULL)
        loop->ready.prev = loop->ready.next = &loop->ready;
    return loop;
}

static void loop_free(struct loop *loop)
{
    free(loop);
}

static void loop_call_soon(struct loop *loop, struct loop_callback *cb, loop_fn *fn, void *arg)
{
    cb->fn = fn;
    cb->arg = arg;
    if (cb->next != NULL)
        return; /* already queued: it keeps its place */
    cb->prev = loop->ready.prev;
    cb->next = &loop->ready;
    loop->ready.prev->next = cb;
    loop->ready.prev = cb;
    loop->nready++;
}

static bool loop_cancel_soon(struct loop *loop, struct loop_callback *cb)
{
    if (cb->next == NULL)
        return false;
    cb->prev->next = cb->next;
    cb->next->prev = cb->prev;
    cb->prev = cb->next = NULL;
    loop->nready--;
    return true;
}

/* 0 ("do not wait") if a callback is ready; else -1: nothing could ever come, in this step. */
static int64_t loop_poll_timeout_ns(const struct loop *loop)
{
    return loop->nready > 0 ? 0 : -1;
}

/*
 * One iteration: run the callbacks that are queued now, and no others. Returns 1 if more are
 * queued for the next iteration, 0 if none. The snapshot moves the whole queue aside, into
 * `batch`: a callback queued meanwhile lands in the emptied queue, for the next iteration.
 * (Counting them instead, "run the first nready", goes wrong as soon as one is cancelled.)
 */
static int loop_run_once(struct loop *loop)
{
    struct loop_callback batch;

    if (loop->nready == 0)
        return 0;
    batch.next = loop->ready.next;
    batch.prev = loop->ready.prev;
    batch.next->prev = batch.prev->next = &batch;
    loop->ready.next = loop->ready.prev = &loop->ready;
    while (batch.next != &batch) {
        struct loop_callback *cb = batch.next;

        loop_cancel_soon(loop, cb); /* unlink first: the callback may queue itself again */
        cb->fn(loop, cb->arg);
    }
    return loop->nready > 0 ? 1 : 0;
}

static void loop_stop(struct loop *loop)
{
    loop->stopping = true;
}

static int loop_run(struct loop *loop)
{
    loop->stopping = false;
    while (!loop->stopping && loop_run_once(loop) == 1)
        ;
    loop->stopping = false;
    return 0;
}

#define LOOP_STEP 1
#include "scenarios.h"

int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv,
              "The loop, step 1: callbacks only, run in order, one snapshot per iteration.");
    scenario_callbacks();
    scenario_stop();
    demo_finish(&demo);
    return 0;
}
