/*
 * prodcons_threads.c: producers and consumers on threads, through a bounded queue of 4 items.
 *
 * Chapter 4. queue.Queue(maxsize=4) in C: a ring of 4 slots, a mutex, and two condition variables,
 * one for each thing a thread can wait for:
 *     q = queue.Queue(maxsize=4)
 *     def producer(p): for i in range(10): q.put((p, i))    # waits while full
 *     def consumer(): while (item := q.get()) is not STOP: ...  # waits while empty
 * Each wait sits in a `while` loop (cond_while.c says why). Two producers put 10 items each, as
 * fast as they can; two consumers take 0.1 s per item, so the queue fills and the producers wait on
 * not_full. Once both producers are done, main puts one STOP per consumer. Compare with
 * prodcons_loop.c: the same program with asyncio's Queue, printing the same lines.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define CAPACITY 4
#define PRODUCERS 2
#define CONSUMERS 2
#define ITEMS_EACH 10
#define ITEMS (PRODUCERS * ITEMS_EACH)
#define STOP (-1)            /* an item that tells a consumer to stop */
#define SECONDS_PER_ITEM 0.1 /* a consumer's work on one item */

static struct demo demo;

struct queue {
    int slots[CAPACITY];
    size_t head, count; /* the items: slots[head], slots[head + 1], ... (mod CAPACITY) */
    size_t most;        /* a probe: the most items there ever were */
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
};

static struct queue queue = {.lock = PTHREAD_MUTEX_INITIALIZER,
                             .not_full = PTHREAD_COND_INITIALIZER,
                             .not_empty = PTHREAD_COND_INITIALIZER};

static void put(struct queue *q, int item)
{
    PCHECK(pthread_mutex_lock(&q->lock));
    while (q->count == CAPACITY)
        PCHECK(pthread_cond_wait(&q->not_full, &q->lock));
    q->slots[(q->head + q->count) % CAPACITY] = item;
    q->count++;
    if (q->count > q->most)
        q->most = q->count;
    PCHECK(pthread_cond_signal(&q->not_empty)); /* one item: one getter can use it */
    PCHECK(pthread_mutex_unlock(&q->lock));
}

static int get(struct queue *q)
{
    int item;

    PCHECK(pthread_mutex_lock(&q->lock));
    while (q->count == 0)
        PCHECK(pthread_cond_wait(&q->not_empty, &q->lock));
    item = q->slots[q->head];
    q->head = (q->head + 1) % CAPACITY;
    q->count--;
    PCHECK(pthread_cond_signal(&q->not_full)); /* one free slot: one putter can use it */
    PCHECK(pthread_mutex_unlock(&q->lock));
    return item;
}

/* What the consumers saw, checked by main at the end. Each consumer writes only its own row. */
static int times_consumed[ITEMS]; /* guarded by results_lock */
static pthread_mutex_t results_lock = PTHREAD_MUTEX_INITIALIZER;
static bool out_of_order;

static void *produce(void *arg)
{
    int first = *(const int *)arg;

    for (int i = 0; i < ITEMS_EACH; i++)
        put(&queue, first + i);
    return NULL;
}

static void *consume(void *arg)
{
    int last_seen[PRODUCERS]; /* per producer: the last item this consumer got from it */
    int item;

    (void)arg;
    for (int p = 0; p < PRODUCERS; p++)
        last_seen[p] = -1;
    while ((item = get(&queue)) != STOP) {
        int p = item / ITEMS_EACH;

        PCHECK(pthread_mutex_lock(&results_lock));
        times_consumed[item]++;
        if (item < last_seen[p])
            out_of_order = true;
        PCHECK(pthread_mutex_unlock(&results_lock));
        last_seen[p] = item;
        if (sleep_seconds(demo_seconds(&demo, SECONDS_PER_ITEM)) == -1)
            die_errno("nanosleep");
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t producers[PRODUCERS], consumers[CONSUMERS];
    int firsts[PRODUCERS], once = 0;

    demo_init(&demo, argc, argv, "2 producer and 2 consumer threads, a queue of 4 (queue.Queue).");
    say("main", "%d producers put %d items each into a queue of %d; %d consumers take them",
        PRODUCERS, ITEMS_EACH, CAPACITY, CONSUMERS);
    for (int c = 0; c < CONSUMERS; c++)
        PCHECK(pthread_create(&consumers[c], NULL, consume, NULL));
    for (int p = 0; p < PRODUCERS; p++) {
        firsts[p] = p * ITEMS_EACH;
        PCHECK(pthread_create(&producers[p], NULL, produce, &firsts[p]));
    }
    for (int p = 0; p < PRODUCERS; p++)
        PCHECK(pthread_join(producers[p], NULL));
    for (int c = 0; c < CONSUMERS; c++)
        put(&queue, STOP);
    for (int c = 0; c < CONSUMERS; c++)
        PCHECK(pthread_join(consumers[c], NULL));

    for (int i = 0; i < ITEMS; i++)
        once += times_consumed[i] == 1;
    say("main", "items consumed exactly once: %d of %d", once, ITEMS);
    say("main", "each producer's items reached each consumer in the order put: %s",
        out_of_order ? "no" : "yes");
    say("main", "most items in the queue at once: %zu (capacity %d)", queue.most, CAPACITY);
    demo_finish(&demo);
    return 0;
}
