/*
 * check_chunked_sum.c: tests of chunked_sum_step(): a CPU-heavy task that yields every
 * per_chunk items, so that other tasks and timers wait for one chunk at most.
 *
 * Chapter 6, exercise chunked_sum.c. Everything runs on the loop's fake clock, and the item
 * function moves that clock forward by ITEM_COST_NS per item: the "CPU time" of the work is
 * exact, and so are the lateness of a ticking timer and the total time. A second task that
 * yields with TASK_SLEEP(t, 0) counts the turns it gets between chunks. Nothing is timed for real.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define MAX_ITEMS 5000
#define ITEM_COST_NS INT64_C(1000000) /* each item "computes" for 1 ms of fake time */
#define START_NS (INT64_C(50) * NSEC_PER_SEC)

static struct fake_clock clock_;

/* What the item function saw: for one job, the order of items and when each was computed. */
struct record {
    size_t n;
    size_t count;            /* items computed so far */
    size_t order[MAX_ITEMS]; /* the i of each call, in call order */
    long turn[MAX_ITEMS];    /* the turn counter's value at each call */
    bool out_of_range;
    const long *turns; /* the turn counter this record reads, if any */
};

static uint64_t value_of(size_t i)
{
    uint64_t x = (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15) + 7;

    return x ^ (x >> 29);
}

static uint64_t item(size_t i, void *arg)
{
    struct record *rec = arg;

    clock_.now_ns += ITEM_COST_NS; /* the work takes time, as real work does */
    if (i >= rec->n || rec->count >= MAX_ITEMS) {
        rec->out_of_range = true;
        return 0;
    }
    rec->turn[rec->count] = rec->turns ? *rec->turns : 0;
    rec->order[rec->count++] = i;
    return value_of(i);
}

static uint64_t expected_sum(size_t n)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += value_of(i);
    return sum;
}

static void init_job(struct chunked_sum *job, size_t n, size_t per_chunk, struct record *rec)
{
    memset(job, 0, sizeof *job);
    memset(rec, 0, sizeof *rec);
    rec->n = n;
    job->n = n;
    job->per_chunk = per_chunk;
    job->item = item;
    job->arg = rec;
    task_init(&job->task, "chunked", chunked_sum_step);
}

static struct loop *new_loop(void)
{
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    clock_.now_ns = START_NS;
    loop_use_fake_clock(loop, &clock_);
    return loop;
}

/* Every item computed once, in order, and the sum right. */
static void expect_all_items(const struct chunked_sum *job, const struct record *rec)
{
    ck_assert_msg(!rec->out_of_range, "n=%zu: item() was called with an i of n or more", job->n);
    ck_assert_msg(rec->count == job->n, "n=%zu, per_chunk=%zu: %zu items computed, expected %zu",
                  job->n, job->per_chunk, rec->count, job->n);
    for (size_t k = 0; k < rec->count; k++)
        ck_assert_msg(rec->order[k] == k, "n=%zu: call %zu computed item %zu, expected item %zu",
                      job->n, k, rec->order[k], k);
    ck_assert_msg(job->sum == expected_sum(job->n), "n=%zu: sum %016llx, expected %016llx", job->n,
                  (unsigned long long)job->sum, (unsigned long long)expected_sum(job->n));
}

/* ---- alone on the loop ---- */

static void run_alone(size_t n, size_t per_chunk)
{
    struct loop *loop = new_loop();
    struct chunked_sum job;
    struct record rec;
    int64_t took;

    init_job(&job, n, per_chunk, &rec);
    ck_assert_msg(task_run(loop, &job.task) == 0, "task_run failed: %s", strerror(errno));
    took = clock_.now_ns - START_NS;
    loop_free(loop);
    expect_all_items(&job, &rec);
    /* Only the items move the clock: a yield is TASK_SLEEP(t, 0), which takes no time. */
    ck_assert_msg(took == (int64_t)n * ITEM_COST_NS,
                  "n=%zu: the loop's clock moved %.3f s, the items cost %.3f s: the task waited "
                  "(yield with TASK_SLEEP(t, 0), not a longer sleep)",
                  n, (double)took / 1e9, (double)((int64_t)n * ITEM_COST_NS) / 1e9);
}

START_TEST(sums_every_item_in_order)
{
    run_alone(1000, 10);
    run_alone(1001, 10); /* a last, shorter chunk */
    run_alone(7, 3);
}
END_TEST

START_TEST(small_and_empty_jobs)
{
    run_alone(0, 5); /* nothing to add: the sum is 0 */
    run_alone(1, 5); /* less than one chunk */
    run_alone(5, 5); /* exactly one chunk */
    run_alone(6, 1); /* a chunk of one item */
}
END_TEST

/* ---- beside a task that counts its turns ---- */

struct counter {
    struct task task;
    long turns;
    const struct task *until_done; /* stop once this task is done */
    long max_turns;                /* and in any case after this many: never loop forever */
};

static enum task_state count_turns(struct task *t)
{
    struct counter *c = (struct counter *)t;

    TASK_BEGIN(t);
    while (!task_done(c->until_done) && c->turns < c->max_turns) {
        c->turns++;
        TASK_SLEEP(t, 0);
    }
    TASK_END(t);
}

/* Run the job beside the counter; each chunk must be exactly per_chunk items between turns. */
static void check_chunks(size_t n, size_t per_chunk)
{
    struct loop *loop = new_loop();
    struct chunked_sum job;
    struct record rec;
    struct counter counter = {.max_turns = (long)n + 10};
    struct task *both[] = {&job.task, &counter.task};
    size_t k = 0;

    init_job(&job, n, per_chunk, &rec);
    counter.until_done = &job.task;
    rec.turns = &counter.turns;
    task_init(&counter.task, "counter", count_turns);
    ck_assert_msg(task_run_all(loop, both, 2) == 0, "the loop failed: %s", strerror(errno));
    loop_free(loop);
    expect_all_items(&job, &rec);
    /* The job starts first: chunk c is computed after the counter's c-th turn, and only then. */
    for (long chunk = 0; k < n; chunk++) {
        size_t size = 0;

        while (k < n && rec.turn[k] == chunk) {
            size++;
            k++;
        }
        if (k < n)
            ck_assert_msg(size == per_chunk,
                          "n=%zu, per_chunk=%zu: between the other task's turns %ld and %ld, %zu "
                          "items were computed, expected %zu (yield once after every per_chunk "
                          "items)",
                          n, per_chunk, chunk, chunk + 1, size, per_chunk);
        else
            ck_assert_msg(size >= 1 && size <= per_chunk,
                          "n=%zu, per_chunk=%zu: after the other task's turn %ld, the last %zu "
                          "items were computed in one go, expected 1 to %zu",
                          n, per_chunk, chunk, size, per_chunk);
    }
}

START_TEST(yields_after_every_chunk)
{
    check_chunks(100, 10);
    check_chunks(101, 10);
    check_chunks(30, 7);
    check_chunks(12, 1);
    check_chunks(9, 20);
}
END_TEST

START_TEST(two_jobs_at_once_keep_their_own_progress)
{
    struct loop *loop = new_loop();
    struct chunked_sum a, b;
    struct record ra, rb;
    struct task *both[] = {&a.task, &b.task};

    init_job(&a, 300, 7, &ra);
    init_job(&b, 200, 11, &rb);
    ck_assert_msg(task_run_all(loop, both, 2) == 0, "the loop failed: %s", strerror(errno));
    loop_free(loop);
    expect_all_items(&a, &ra);
    expect_all_items(&b, &rb);
}
END_TEST

/* ---- beside a ticking timer ---- */

#define TICK_NS (10 * ITEM_COST_NS)

struct ticker {
    struct loop_timer timer;
    const struct task *until_done;
    int64_t due;
    int64_t most_late;
    int ticks;
};

static void tick(struct loop *loop, void *arg)
{
    struct ticker *t = arg;
    int64_t late = loop_now_ns(loop) - t->due;

    t->most_late = late > t->most_late ? late : t->most_late;
    t->ticks++;
    if (task_done(t->until_done))
        return;
    /* Due one period after it ran: a timer that fell behind does not pile up ticks. */
    t->due = loop_now_ns(loop) + TICK_NS;
    ck_assert(loop_call_later(loop, &t->timer, (double)TICK_NS / 1e9, tick, t) == 0);
}

START_TEST(a_timer_waits_one_chunk_at_most)
{
    static const size_t chunks[] = {1, 3, 7, 25};

    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        struct loop *loop = new_loop();
        struct chunked_sum job;
        struct record rec;
        struct ticker ticker = {.due = START_NS + TICK_NS};
        int64_t bound = (int64_t)chunks[c] * ITEM_COST_NS;

        init_job(&job, 500, chunks[c], &rec);
        ticker.until_done = &job.task;
        ck_assert(loop_call_later(loop, &ticker.timer, (double)TICK_NS / 1e9, tick, &ticker) == 0);
        ck_assert_msg(task_run(loop, &job.task) == 0, "task_run failed: %s", strerror(errno));
        loop_free(loop);
        expect_all_items(&job, &rec);
        /* A chunk costs per_chunk ms: a tick due during one runs when it ends, no later. */
        ck_assert_msg(ticker.most_late <= bound,
                      "per_chunk=%zu: a 10 ms timer ran %.3f ms late, more than one chunk "
                      "(%.3f ms)",
                      chunks[c], (double)ticker.most_late / 1e6, (double)bound / 1e6);
        /* And it kept ticking: once per period plus at most one chunk. */
        ck_assert_msg(ticker.ticks >= (int)(500 * ITEM_COST_NS / (TICK_NS + bound)),
                      "per_chunk=%zu: only %d ticks in 500 ms", chunks[c], ticker.ticks);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 6 exercises");
    TCase *tc = test_case(s, "chunked_sum");

    tcase_add_test(tc, sums_every_item_in_order);
    tcase_add_test(tc, small_and_empty_jobs);
    tcase_add_test(tc, yields_after_every_chunk);
    tcase_add_test(tc, two_jobs_at_once_keep_their_own_progress);
    tcase_add_test(tc, a_timer_waits_one_chunk_at_most);
    return s;
}
