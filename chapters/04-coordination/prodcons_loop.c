/*
 * prodcons_loop.c: producers and consumers as tasks, through asyncio's Queue of 4 items.
 *
 * Chapter 4. The Python it follows:
 *     q = asyncio.Queue(maxsize=4)
 *     async def producer(p): for i in range(10): await q.put((p, i))
 *     async def consumer(): while (item := await q.get()) is not STOP: await asyncio.sleep(0.1)
 * ASYNC_QUEUE_PUT parks a producer while the queue is full, ASYNC_QUEUE_GET a consumer while it is
 * empty; each wake-up hands over an item or a free slot. The queue moves pointers: the items are
 * ints in an array that main owns, and the slots are an array main gives the queue. Compare with
 * prodcons_threads.c: a mutex and two condition variables, and the same lines printed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define CAPACITY 4
#define PRODUCERS 2
#define CONSUMERS 2
#define ITEMS_EACH 10
#define ITEMS (PRODUCERS * ITEMS_EACH)
#define SECONDS_PER_ITEM 0.1 /* a consumer's work on one item */

static struct demo demo;
static struct async_queue queue;
static void *slots[CAPACITY];
static int items[ITEMS]; /* the things the queue's pointers point to: items[i] == i */
static int stop;         /* a pointer to this tells a consumer to stop */
static size_t most;      /* a probe: the most items in the queue at once */
static int times_consumed[ITEMS];
static bool out_of_order;

struct producer {
    struct task task;
    int first, i;
    void *item; /* kept in the struct: ASYNC_QUEUE_PUT may wait */
};

static enum task_state produce(struct task *t)
{
    struct producer *p = (struct producer *)t;

    TASK_BEGIN(t);
    for (p->i = 0; p->i < ITEMS_EACH; p->i++) {
        p->item = &items[p->first + p->i];
        ASYNC_QUEUE_PUT(t, &queue, p->item);
        if (async_queue_size(&queue) > most)
            most = async_queue_size(&queue);
    }
    TASK_END(t);
}

struct consumer {
    struct task task;
    void *item;
    int last_seen[PRODUCERS]; /* per producer: the last item this consumer got from it */
};

static void check(struct consumer *c, int item)
{
    int p = item / ITEMS_EACH;

    times_consumed[item]++;
    if (item < c->last_seen[p])
        out_of_order = true;
    c->last_seen[p] = item;
}

static enum task_state consume(struct task *t)
{
    struct consumer *c = (struct consumer *)t;

    TASK_BEGIN(t);
    for (;;) {
        ASYNC_QUEUE_GET(t, &queue, &c->item);
        if (c->item == &stop)
            break;
        check(c, *(int *)c->item);
        TASK_SLEEP(t, demo_seconds(&demo, SECONDS_PER_ITEM));
    }
    TASK_END(t);
}

/* main's task: run the producers to the end, then put one stop per consumer. */
struct closer {
    struct task task;
    struct task **producers;
    int stops;
};

static enum task_state close_down(struct task *t)
{
    struct closer *c = (struct closer *)t;

    TASK_BEGIN(t);
    TASK_GATHER(t, c->producers, PRODUCERS);
    for (c->stops = 0; c->stops < CONSUMERS; c->stops++)
        ASYNC_QUEUE_PUT(t, &queue, &stop);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct producer producers[PRODUCERS];
    struct consumer consumers[CONSUMERS];
    struct task *producer_tasks[PRODUCERS], *all[CONSUMERS + 1];
    struct closer closer = {.producers = producer_tasks};
    int once = 0;

    demo_init(&demo, argc, argv, "2 producer and 2 consumer tasks, a queue of 4 (asyncio.Queue).");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    if (async_queue_init(&queue, slots, CAPACITY) == -1)
        die_errno("async_queue_init");
    for (int i = 0; i < ITEMS; i++)
        items[i] = i;
    say("main", "%d producers put %d items each into a queue of %d; %d consumers take them",
        PRODUCERS, ITEMS_EACH, CAPACITY, CONSUMERS);
    for (int c = 0; c < CONSUMERS; c++) {
        consumers[c] = (struct consumer){.last_seen = {-1, -1}};
        task_init(&consumers[c].task, "consumer", consume);
        all[c] = &consumers[c].task;
    }
    for (int p = 0; p < PRODUCERS; p++) {
        producers[p] = (struct producer){.first = p * ITEMS_EACH};
        task_init(&producers[p].task, "producer", produce);
        producer_tasks[p] = &producers[p].task;
    }
    task_init(&closer.task, "main", close_down);
    all[CONSUMERS] = &closer.task;
    if (task_run_all(loop, all, CONSUMERS + 1) == -1)
        die_errno("task_run_all");
    loop_free(loop);

    for (int i = 0; i < ITEMS; i++)
        once += times_consumed[i] == 1;
    say("main", "items consumed exactly once: %d of %d", once, ITEMS);
    say("main", "each producer's items reached each consumer in the order put: %s",
        out_of_order ? "no" : "yes");
    say("main", "most items in the queue at once: %zu (capacity %d)", most, CAPACITY);
    demo_finish(&demo);
    return 0;
}
