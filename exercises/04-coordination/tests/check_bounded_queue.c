/*
 * check_bounded_queue.c: tests of bounded_queue.c: a queue for threads, one mutex, two conditions.
 *
 * Chapter 4, exercise bounded_queue.c. The small tests force one situation each: a thread blocked
 * on an empty or a full queue, a wake-up with nothing changed (the test broadcasts the condition
 * variable itself, as POSIX allows a wait to end that way), a close with several threads waiting.
 * The big one starts many producers and consumers at a barrier and checks that every item comes
 * out exactly once, in order, and that the queue never holds more than its capacity. A lost
 * wake-up fails within WAKE_LIMIT seconds (waiting.h), with a message saying who still waits.
 * Compare with chapters/04-coordination/prodcons_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"
#include "waiting.h"

#define CAPACITY 3
#define GUARD ((void *)&guard) /* in the cells either side of the slots the queue may use */

static int guard, values[CAPACITY + 2];

/* The caller's storage: CAPACITY slots with a guard cell either side. */
struct storage {
    void *cells[CAPACITY + 2];
};

static void **slots_of(struct storage *s)
{
    s->cells[0] = s->cells[CAPACITY + 1] = GUARD;
    return &s->cells[1];
}

static void expect_guards(const struct storage *s)
{
    ck_assert_msg(s->cells[0] == GUARD && s->cells[CAPACITY + 1] == GUARD,
                  "the queue wrote outside the %d slots it was given", CAPACITY);
}

static void init(struct bounded_queue *q, struct storage *s)
{
    int err = bq_init(q, slots_of(s), CAPACITY);

    ck_assert_msg(err == 0, "bq_init returned %d (%s), expected 0", err, strerror(err));
}

/* q->count, read under the queue's own lock, as the contract allows. */
static size_t count_of(struct bounded_queue *q)
{
    size_t n;

    PCHECK(pthread_mutex_lock(&q->lock));
    n = q->count;
    PCHECK(pthread_mutex_unlock(&q->lock));
    return n;
}

/* Put values[0 .. CAPACITY - 1] into an empty queue: it is full after that. */
static void fill(struct bounded_queue *q)
{
    struct watchdog w;

    watchdog_start(&w, WAKE_LIMIT, "bq_put blocked on a queue that was not full yet");
    for (int i = 0; i < CAPACITY; i++)
        ck_assert_int_eq(bq_put(q, &values[i]), 0);
    watchdog_stop(&w);
}

/* A wake-up with nothing changed, which POSIX allows: a correct wait just looks again. */
static void spurious_wakeup(struct bounded_queue *q, pthread_cond_t *cond)
{
    PCHECK(pthread_mutex_lock(&q->lock));
    PCHECK(pthread_cond_broadcast(cond));
    PCHECK(pthread_mutex_unlock(&q->lock));
}

/* One bq_get or bq_put on a thread of its own; `returned` goes up when the call returns. */
struct op {
    pthread_t thread;
    struct bounded_queue *q;
    void *item; /* to put, or what was got */
    int rc;
    struct count *returned;
};

static void *do_get(void *arg)
{
    struct op *o = arg;

    o->rc = bq_get(o->q, &o->item);
    count_up(o->returned);
    return NULL;
}

static void *do_put(void *arg)
{
    struct op *o = arg;

    o->rc = bq_put(o->q, o->item);
    count_up(o->returned);
    return NULL;
}

static void start(struct op *o, void *(*fn)(void *), struct bounded_queue *q, void *item,
                  struct count *returned)
{
    *o = (struct op){.q = q, .item = item, .returned = returned};
    PCHECK(pthread_create(&o->thread, NULL, fn, o));
}

START_TEST(init_checks_its_arguments)
{
    struct bounded_queue q;
    struct storage s;
    int err;

    err = bq_init(&q, slots_of(&s), 0);
    ck_assert_msg(err == EINVAL, "bq_init with capacity 0 returned %d, expected EINVAL", err);
    err = bq_init(&q, NULL, CAPACITY);
    ck_assert_msg(err == EINVAL, "bq_init with no slots returned %d, expected EINVAL", err);
    init(&q, &s);
    ck_assert_msg(q.capacity == CAPACITY && q.count == 0 && !q.closed,
                  "a new queue: capacity %zu, count %zu, closed %d", q.capacity, q.count, q.closed);
    bq_destroy(&q);
}
END_TEST

START_TEST(one_thread_items_come_out_in_order)
{
    struct bounded_queue q;
    struct storage s;
    struct watchdog w;
    void *item;
    int in = 0, out = 0, err;

    init(&q, &s);
    watchdog_start(&w, WAKE_LIMIT,
                   "one thread alone blocked in bq_put or bq_get: on a queue "
                   "that was neither full nor empty?");
    /* Several times round the ring, at every fill level. */
    for (int round = 0; round < 2 * CAPACITY; round++) {
        while (count_of(&q) < CAPACITY)
            ck_assert_int_eq(bq_put(&q, &values[in++ % (CAPACITY + 2)]), 0);
        for (int i = 0; i <= round % CAPACITY; i++) {
            ck_assert_int_eq(bq_get(&q, &item), 0);
            ck_assert_msg(item == &values[out % (CAPACITY + 2)],
                          "got the item put in place %d, expected the one in place %d",
                          (int)((int *)item - values), out % (CAPACITY + 2));
            out++;
        }
        ck_assert_msg(count_of(&q) == (size_t)(in - out), "count is %zu with %d items in it",
                      count_of(&q), in - out);
    }
    while (out < in) {
        err = bq_get(&q, &item);
        ck_assert_int_eq(err, 0);
        ck_assert(item == &values[out++ % (CAPACITY + 2)]);
    }
    watchdog_stop(&w);
    expect_guards(&s);
    bq_destroy(&q);
}
END_TEST

START_TEST(get_waits_for_a_put)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op get;

    count_init(&returned);
    init(&q, &s);
    start(&get, do_get, &q, NULL, &returned);
    ck_assert_msg(count_wait(&returned, 1, MUST_WAIT) == 0,
                  "bq_get returned %d from an empty queue, instead of waiting", get.rc);
    ck_assert_int_eq(bq_put(&q, &values[1]), 0);
    ck_assert_msg(count_wait(&returned, 1, WAKE_LIMIT) == 1,
                  "lost wake-up: bq_get still waits %.0f s after bq_put gave it an item",
                  WAKE_LIMIT);
    ck_assert_msg(get.rc == 0 && get.item == &values[1], "bq_get returned %d and the wrong item",
                  get.rc);
    PCHECK(pthread_join(get.thread, NULL));
    ck_assert_uint_eq(count_of(&q), 0);
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

START_TEST(put_waits_for_a_get)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op put;
    void *item;

    count_init(&returned);
    init(&q, &s);
    fill(&q);
    start(&put, do_put, &q, &values[CAPACITY], &returned);
    ck_assert_msg(count_wait(&returned, 1, MUST_WAIT) == 0,
                  "bq_put returned %d on a full queue of %d, instead of waiting (count is now %zu)",
                  put.rc, CAPACITY, count_of(&q));
    ck_assert_int_eq(bq_get(&q, &item), 0);
    ck_assert(item == &values[0]);
    ck_assert_msg(count_wait(&returned, 1, WAKE_LIMIT) == 1,
                  "lost wake-up: bq_put still waits %.0f s after bq_get made room", WAKE_LIMIT);
    ck_assert_int_eq(put.rc, 0);
    PCHECK(pthread_join(put.thread, NULL));
    for (int i = 1; i <= CAPACITY; i++) {
        ck_assert_int_eq(bq_get(&q, &item), 0);
        ck_assert_msg(item == &values[i], "items out of order after a put that waited");
    }
    expect_guards(&s);
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

START_TEST(a_wakeup_with_nothing_to_get_is_not_an_item)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op get;

    count_init(&returned);
    init(&q, &s);
    start(&get, do_get, &q, NULL, &returned);
    pause_for(SETTLE);
    /* Several wake-ups, in case the thread had not reached its wait at the first. */
    for (int i = 0; i < 4; i++) {
        spurious_wakeup(&q, &q.not_empty);
        ck_assert_msg(count_wait(&returned, 1, MUST_WAIT / 4) == 0,
                      "bq_get returned %d after a wake-up with the queue still empty: wake-ups "
                      "only say 'look again', so wait in a while loop, not under an if",
                      get.rc);
    }
    ck_assert_int_eq(bq_put(&q, &values[2]), 0);
    ck_assert_msg(count_wait(&returned, 1, WAKE_LIMIT) == 1, "lost wake-up: bq_get still waits");
    ck_assert(get.rc == 0 && get.item == &values[2]);
    PCHECK(pthread_join(get.thread, NULL));
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

START_TEST(a_wakeup_with_no_room_is_not_a_slot)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op put;
    void *item;

    count_init(&returned);
    init(&q, &s);
    fill(&q);
    start(&put, do_put, &q, &values[CAPACITY], &returned);
    pause_for(SETTLE);
    for (int i = 0; i < 4; i++) {
        spurious_wakeup(&q, &q.not_full);
        ck_assert_msg(count_wait(&returned, 1, MUST_WAIT / 4) == 0,
                      "bq_put returned %d after a wake-up with the queue still full (count %zu of "
                      "%d): wait in a while loop, not under an if",
                      put.rc, count_of(&q), CAPACITY);
    }
    ck_assert_int_eq(bq_get(&q, &item), 0);
    ck_assert(item == &values[0]);
    ck_assert_msg(count_wait(&returned, 1, WAKE_LIMIT) == 1, "lost wake-up: bq_put still waits");
    PCHECK(pthread_join(put.thread, NULL));
    expect_guards(&s);
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

#define WAITERS 4

START_TEST(close_wakes_every_waiting_getter)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op gets[WAITERS];
    struct watchdog w;
    void *item = NULL;
    int n;

    count_init(&returned);
    init(&q, &s);
    for (int i = 0; i < WAITERS; i++)
        start(&gets[i], do_get, &q, NULL, &returned);
    pause_for(SETTLE);
    ck_assert_msg(count_wait(&returned, 1, 0) == 0, "bq_get returned from an empty open queue");
    bq_close(&q);
    n = count_wait(&returned, WAITERS, WAKE_LIMIT);
    ck_assert_msg(n == WAITERS,
                  "%.0f s after bq_close, %d of %d waiting getters still wait: a close changes "
                  "what every waiter waits for, so wake them all (pthread_cond_broadcast)",
                  WAKE_LIMIT, WAITERS - n, WAITERS);
    for (int i = 0; i < WAITERS; i++) {
        PCHECK(pthread_join(gets[i].thread, NULL));
        ck_assert_msg(gets[i].rc == EPIPE, "bq_get on a closed empty queue returned %d, not EPIPE",
                      gets[i].rc);
    }
    watchdog_start(&w, WAKE_LIMIT,
                   "bq_put or bq_get on a closed queue blocked: each must "
                   "return EPIPE at once");
    ck_assert_msg(bq_put(&q, &values[0]) == EPIPE, "bq_put on a closed queue must return EPIPE");
    ck_assert_msg(bq_get(&q, &item) == EPIPE && item == NULL,
                  "bq_get on a closed empty queue must return EPIPE and leave *item alone");
    watchdog_stop(&w);
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

START_TEST(close_wakes_every_waiting_putter_and_keeps_the_items)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op puts[WAITERS];
    struct watchdog w;
    void *item;
    int n;

    count_init(&returned);
    init(&q, &s);
    fill(&q);
    for (int i = 0; i < WAITERS; i++)
        start(&puts[i], do_put, &q, &values[CAPACITY + 1], &returned);
    pause_for(SETTLE);
    ck_assert_msg(count_wait(&returned, 1, 0) == 0, "bq_put returned on a full open queue");
    bq_close(&q);
    n = count_wait(&returned, WAITERS, WAKE_LIMIT);
    ck_assert_msg(n == WAITERS,
                  "%.0f s after bq_close, %d of %d waiting putters still wait: wake them all "
                  "(pthread_cond_broadcast)",
                  WAKE_LIMIT, WAITERS - n, WAITERS);
    for (int i = 0; i < WAITERS; i++) {
        PCHECK(pthread_join(puts[i].thread, NULL));
        ck_assert_msg(puts[i].rc == EPIPE, "bq_put on a closed queue returned %d, not EPIPE",
                      puts[i].rc);
    }
    /* What was put before the close still comes out, then EPIPE. */
    watchdog_start(&w, WAKE_LIMIT,
                   "bq_get on a closed queue blocked: it must hand out what is "
                   "left, then return EPIPE");
    for (int i = 0; i < CAPACITY; i++) {
        ck_assert_msg(bq_get(&q, &item) == 0, "bq_get lost an item put before the close");
        ck_assert(item == &values[i]);
    }
    ck_assert_int_eq(bq_get(&q, &item), EPIPE);
    watchdog_stop(&w);
    expect_guards(&s);
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

START_TEST(waiting_uses_no_cpu)
{
    struct bounded_queue q;
    struct storage s;
    struct count returned;
    struct op get;
    double before, used;

    count_init(&returned);
    init(&q, &s);
    start(&get, do_get, &q, NULL, &returned);
    pause_for(SETTLE);
    before = cpu_seconds();
    pause_for(2 * MUST_WAIT);
    used = cpu_seconds() - before;
    ck_assert_msg(count_wait(&returned, 1, 0) == 0, "bq_get returned from an empty queue");
    /* A blocked thread uses none; a busy wait uses all of a core it can get. */
    ck_assert_msg(used < 0.05 * 2 * MUST_WAIT,
                  "the process used %.0f ms of CPU in %.0f ms while one thread waited in bq_get: "
                  "wait on the condition variable, not in a loop",
                  used * 1e3, 2 * MUST_WAIT * 1e3);
    ck_assert_int_eq(bq_put(&q, &values[0]), 0);
    ck_assert_msg(count_wait(&returned, 1, WAKE_LIMIT) == 1, "lost wake-up: bq_get still waits");
    PCHECK(pthread_join(get.thread, NULL));
    bq_destroy(&q);
    count_destroy(&returned);
}
END_TEST

/* ---- many producers, many consumers ---- */

enum { PRODUCERS = 4, CONSUMERS = 4, PER_PRODUCER = 2000, ITEMS = PRODUCERS * PER_PRODUCER };
#define BUSY_SECONDS 2.0 /* producers stop early after this long: a slow run checks fewer items */

struct stress {
    struct bounded_queue q;
    struct storage s;
    struct gate start;
    int items[ITEMS];
    atomic_long puts, gets; /* calls that returned 0 */
    atomic_bool stop_producers, stop_probe;
    size_t most; /* the probe's: the largest count it saw */
    struct count producers_done, consumers_done;
};

struct worker {
    pthread_t thread;
    struct stress *st;
    int id, bad_rc, out_of_order;
    int done;                  /* a producer's: how many items it put */
    unsigned short got[ITEMS]; /* a consumer's: how often it got each item */
};

static void *produce(void *arg)
{
    struct worker *w = arg;
    int rc;

    gate_pass(&w->st->start);
    for (int i = 0; i < PER_PRODUCER && !atomic_load(&w->st->stop_producers); i++) {
        if ((rc = bq_put(&w->st->q, &w->st->items[w->id * PER_PRODUCER + i])) != 0) {
            w->bad_rc = rc;
            break;
        }
        atomic_fetch_add(&w->st->puts, 1);
        w->done++;
    }
    count_up(&w->st->producers_done);
    return NULL;
}

static void *consume(void *arg)
{
    struct worker *w = arg;
    int last_seen[PRODUCERS], rc;
    void *item;

    for (int p = 0; p < PRODUCERS; p++)
        last_seen[p] = -1;
    gate_pass(&w->st->start);
    while ((rc = bq_get(&w->st->q, &item)) == 0) {
        int i = (int)((int *)item - w->st->items);

        atomic_fetch_add(&w->st->gets, 1);
        if (i < 0 || i >= ITEMS) {
            w->bad_rc = -1; /* not an item anybody put */
            break;
        }
        w->got[i]++;
        if (i < last_seen[i / PER_PRODUCER])
            w->out_of_order++;
        last_seen[i / PER_PRODUCER] = i;
    }
    if (rc != EPIPE)
        w->bad_rc = rc;
    count_up(&w->st->consumers_done);
    return NULL;
}

/* Looks at the count under the queue's lock, again and again, and keeps the largest. */
static void *probe(void *arg)
{
    struct stress *st = arg;

    gate_pass(&st->start);
    while (!atomic_load(&st->stop_probe)) {
        PCHECK(pthread_mutex_lock(&st->q.lock));
        if (st->q.count > st->most)
            st->most = st->q.count;
        PCHECK(pthread_mutex_unlock(&st->q.lock));
        sched_yield();
    }
    return NULL;
}

/*
 * Wait for `n` threads to raise `done`; fail if no item moves for WAKE_LIMIT seconds meanwhile.
 * After `seconds`, tell the producers to stop (a slow machine, a busy wait): the checks hold for
 * whatever was put.
 */
static void wait_with_progress(struct stress *st, struct count *done, int n, double seconds,
                               const char *who)
{
    long moved = atomic_load(&st->puts) + atomic_load(&st->gets);

    if (count_wait(done, n, seconds) < n)
        atomic_store(&st->stop_producers, true);
    while (count_wait(done, n, WAKE_LIMIT) < n) {
        long now = atomic_load(&st->puts) + atomic_load(&st->gets);

        ck_assert_msg(now != moved,
                      "no item moved for %.0f s while %d %s were still at work: %ld puts and %ld "
                      "gets done. A lost wake-up (a waiter nobody woke), or a deadlock",
                      WAKE_LIMIT, n - count_wait(done, n, 0), who, atomic_load(&st->puts),
                      atomic_load(&st->gets));
        moved = now;
    }
}

START_TEST(many_producers_and_consumers_every_item_once)
{
    static struct stress st; /* large: not on the stack */
    static struct worker producers[PRODUCERS], consumers[CONSUMERS];
    pthread_t prober;
    int n;

    init(&st.q, &st.s);
    for (int i = 0; i < ITEMS; i++)
        st.items[i] = i;
    count_init(&st.producers_done);
    count_init(&st.consumers_done);
    gate_init(&st.start);
    for (int i = 0; i < CONSUMERS; i++) {
        consumers[i] = (struct worker){.st = &st, .id = i};
        PCHECK(pthread_create(&consumers[i].thread, NULL, consume, &consumers[i]));
    }
    for (int i = 0; i < PRODUCERS; i++) {
        producers[i] = (struct worker){.st = &st, .id = i};
        PCHECK(pthread_create(&producers[i].thread, NULL, produce, &producers[i]));
    }
    PCHECK(pthread_create(&prober, NULL, probe, &st));
    gate_open(&st.start, PRODUCERS + CONSUMERS + 1);

    wait_with_progress(&st, &st.producers_done, PRODUCERS, BUSY_SECONDS, "producers");
    bq_close(&st.q);
    wait_with_progress(&st, &st.consumers_done, CONSUMERS, 0, "consumers (the queue is closed)");
    atomic_store(&st.stop_probe, true);
    PCHECK(pthread_join(prober, NULL));
    for (int i = 0; i < PRODUCERS; i++) {
        PCHECK(pthread_join(producers[i].thread, NULL));
        ck_assert_msg(producers[i].bad_rc == 0, "bq_put returned %d", producers[i].bad_rc);
    }
    for (int i = 0; i < CONSUMERS; i++) {
        PCHECK(pthread_join(consumers[i].thread, NULL));
        ck_assert_msg(consumers[i].bad_rc != -1, "bq_get handed out something nobody put");
        ck_assert_msg(consumers[i].bad_rc == 0, "bq_get returned %d, not 0 or (at the end) EPIPE",
                      consumers[i].bad_rc);
        ck_assert_msg(consumers[i].out_of_order == 0,
                      "consumer %d got %d items before an earlier item of the same producer", i,
                      consumers[i].out_of_order);
    }
    /* Producer p put its first puts[p] items, and every one of them must come out once. */
    for (int i = 0; i < ITEMS; i++) {
        int put = i % PER_PRODUCER < producers[i / PER_PRODUCER].done;

        n = 0;
        for (int c = 0; c < CONSUMERS; c++)
            n += consumers[c].got[i];
        ck_assert_msg(n == put, "item %d (producer %d's %d-th) was %s, and consumed %d times", i,
                      i / PER_PRODUCER, i % PER_PRODUCER, put ? "put" : "never put", n);
    }
    ck_assert_msg(st.most <= CAPACITY, "the queue held %zu items at once; its capacity is %d",
                  st.most, CAPACITY);
    expect_guards(&st.s);
    gate_destroy(&st.start);
    bq_destroy(&st.q);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 4 exercises");
    TCase *tc = test_case(s, "bounded_queue");

    tcase_add_test(tc, init_checks_its_arguments);
    tcase_add_test(tc, one_thread_items_come_out_in_order);
    tcase_add_test(tc, get_waits_for_a_put);
    tcase_add_test(tc, put_waits_for_a_get);
    tcase_add_test(tc, a_wakeup_with_nothing_to_get_is_not_an_item);
    tcase_add_test(tc, a_wakeup_with_no_room_is_not_a_slot);
    tcase_add_test(tc, close_wakes_every_waiting_getter);
    tcase_add_test(tc, close_wakes_every_waiting_putter_and_keeps_the_items);
    tcase_add_test(tc, waiting_uses_no_cpu);
    tcase_add_test(tc, many_producers_and_consumers_every_item_once);
    return s;
}
