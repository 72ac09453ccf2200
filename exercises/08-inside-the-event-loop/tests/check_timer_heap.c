/*
 * check_timer_heap.c: tests of timer_heap.c: order, ties, removal, growth, and the heap's shape.
 *
 * Chapter 8, exercise timer_heap.c. Every test compares the heap with the simplest possible
 * model of it: the timers sorted by (deadline, order of pushing). After the operations of the
 * small tests, it also checks what exercises.h promises about items[]: a parent is never later
 * than its children, and each timer's slot says where it is.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define BIG 100000
#define SIZES_UP_TO 300

/* ck_assert_msg, for loops that check a great many things: Check's own macros report every
 * passing check to the parent process (a system call each), which would take minutes here. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

static uint32_t seed;

static uint32_t next_random(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static bool later(const struct heap_timer *a, const struct heap_timer *b)
{
    return a->deadline != b->deadline ? a->deadline > b->deadline : a->seq > b->seq;
}

/* Fail unless items[] is a binary min-heap of `count` timers whose slots are right. */
static void check_shape(const struct timer_heap *h)
{
    EXPECT(h->count <= h->capacity, "count %zu is above capacity %zu", h->count, h->capacity);
    for (size_t i = 0; i < h->count; i++) {
        EXPECT(h->items[i] != NULL, "items[%zu] is NULL, count is %zu", i, h->count);
        EXPECT(h->items[i]->slot == i + 1,
               "items[%zu] (timer %d) has slot %zu, expected %zu: a timer must know where "
               "it is",
               i, h->items[i]->id, h->items[i]->slot, i + 1);
        if (i > 0)
            EXPECT(!later(h->items[(i - 1) / 2], h->items[i]),
                   "items[%zu] (deadline %lld) is later than its child items[%zu] "
                   "(deadline %lld): not a heap",
                   (i - 1) / 2, (long long)h->items[(i - 1) / 2]->deadline, i,
                   (long long)h->items[i]->deadline);
    }
}

static void push(struct timer_heap *h, struct heap_timer *t, int64_t deadline)
{
    errno = 0;
    EXPECT(heap_push(h, t, deadline) == 0, "heap_push of timer %d failed: %s", t->id,
           strerror(errno));
    EXPECT(t->slot != 0, "timer %d was pushed but its slot is 0", t->id);
}

/* Pop everything and check that timers come out in order of (deadline, push order), and that
 * `expected` of them do. */
static void expect_sorted_pops(struct timer_heap *h, size_t expected, bool check_each)
{
    struct heap_timer *prev = NULL, *t;
    size_t popped = 0;

    while ((t = heap_pop(h)) != NULL) {
        EXPECT(t->slot == 0, "timer %d popped, but its slot is still %zu", t->id, t->slot);
        if (prev != NULL)
            EXPECT(!later(prev, t),
                   "pop %zu: timer %d (deadline %lld, pushed %llu) came after timer %d "
                   "(deadline %lld, pushed %llu)",
                   popped + 1, t->id, (long long)t->deadline, (unsigned long long)t->seq, prev->id,
                   (long long)prev->deadline, (unsigned long long)prev->seq);
        prev = t;
        popped++;
        EXPECT(popped <= expected, "more timers popped than were in the heap");
        if (check_each)
            check_shape(h);
    }
    EXPECT(popped == expected, "%zu timers popped, %zu were in the heap", popped, expected);
    EXPECT(h->count == 0, "the heap is empty but count is %zu", h->count);
}

START_TEST(empty_heap_has_nothing)
{
    struct timer_heap h = TIMER_HEAP_INIT;
    struct heap_timer t = {.id = 1};

    ck_assert_ptr_null(heap_peek(&h));
    ck_assert_ptr_null(heap_pop(&h));
    ck_assert(!heap_remove(&h, &t));
    push(&h, &t, 5);
    ck_assert_ptr_eq(heap_peek(&h), &t);
    ck_assert_int_eq(h.count, 1); /* peek leaves it there */
    ck_assert_ptr_eq(heap_pop(&h), &t);
    ck_assert_ptr_null(heap_pop(&h));
    heap_free(&h);
    ck_assert_int_eq(h.count, 0);
}
END_TEST

START_TEST(pops_come_out_sorted_for_every_size)
{
    static struct heap_timer timers[SIZES_UP_TO];

    seed = 1;
    for (size_t n = 1; n <= SIZES_UP_TO; n += (n < 40 ? 1 : 37)) {
        for (int order = 0; order < 3; order++) { /* rising, falling, random deadlines */
            struct timer_heap h = TIMER_HEAP_INIT;

            memset(timers, 0, sizeof timers);
            for (size_t i = 0; i < n; i++) {
                int64_t d = order == 0   ? (int64_t)i
                            : order == 1 ? (int64_t)(n - i)
                                         : next_random() % 1000;

                timers[i].id = (int)i;
                push(&h, &timers[i], d);
                check_shape(&h);
            }
            ck_assert_ptr_eq(heap_peek(&h), h.items[0]);
            expect_sorted_pops(&h, n, true);
            heap_free(&h);
        }
    }
}
END_TEST

START_TEST(equal_deadlines_come_out_in_push_order)
{
    struct timer_heap h = TIMER_HEAP_INIT;
    struct heap_timer t[40] = {{0}};

    /* 40 timers on 4 deadlines, pushed in a scrambled order of deadlines: within each deadline
     * they must come out in the order they went in. */
    for (int i = 0; i < 40; i++) {
        t[i].id = i;
        push(&h, &t[i], (i * 7) % 4);
    }
    for (int d = 0; d < 4; d++) {
        for (int i = 0; i < 40; i++) {
            struct heap_timer *got;

            if ((i * 7) % 4 != d)
                continue;
            got = heap_pop(&h);
            ck_assert_msg(got == &t[i], "deadline %d: expected timer %d, got timer %d", d, i,
                          got ? got->id : -1);
        }
    }
    heap_free(&h);
}
END_TEST

START_TEST(a_timer_pushed_again_goes_after_its_equals)
{
    struct timer_heap h = TIMER_HEAP_INIT;
    struct heap_timer a = {.id = 1}, b = {.id = 2}, c = {.id = 3};

    push(&h, &a, 10);
    push(&h, &b, 10);
    push(&h, &c, 10);
    ck_assert(heap_remove(&h, &a));
    push(&h, &a, 10); /* pushed last now: it comes out last */
    ck_assert_ptr_eq(heap_pop(&h), &b);
    ck_assert_ptr_eq(heap_pop(&h), &c);
    ck_assert_ptr_eq(heap_pop(&h), &a);
    heap_free(&h);
}
END_TEST

START_TEST(pushing_a_timer_twice_is_refused)
{
    struct timer_heap h = TIMER_HEAP_INIT;
    struct heap_timer a = {.id = 1};

    push(&h, &a, 10);
    errno = 0;
    ck_assert_int_eq(heap_push(&h, &a, 20), -1);
    ck_assert_int_eq(errno, EBUSY);
    ck_assert_int_eq(h.count, 1);
    ck_assert_int_eq(a.deadline, 10);
    ck_assert_ptr_eq(heap_pop(&h), &a);
    ck_assert(!heap_remove(&h, &a)); /* popped: in no heap */
    push(&h, &a, 30);                /* and free to go in again */
    ck_assert_ptr_eq(heap_pop(&h), &a);
    heap_free(&h);
}
END_TEST

START_TEST(removing_from_anywhere_keeps_the_order)
{
    static struct heap_timer timers[SIZES_UP_TO];

    seed = 7;
    for (size_t n = 1; n <= SIZES_UP_TO; n += (n < 20 ? 1 : 23)) {
        struct timer_heap h = TIMER_HEAP_INIT;
        size_t left = n;

        memset(timers, 0, sizeof timers);
        for (size_t i = 0; i < n; i++) {
            timers[i].id = (int)i;
            push(&h, &timers[i], next_random() % 50);
        }
        /* Remove the root, the last entry, and random ones: each removal fills its hole with the
         * last entry, which must then go down or up. */
        for (size_t k = 0; k < n / 2; k++) {
            struct heap_timer *victim = k % 3 == 0   ? h.items[0]
                                        : k % 3 == 1 ? h.items[h.count - 1]
                                                     : h.items[next_random() % h.count];

            ck_assert_msg(heap_remove(&h, victim), "removing timer %d: false", victim->id);
            ck_assert_msg(victim->slot == 0, "timer %d removed but its slot is %zu", victim->id,
                          victim->slot);
            ck_assert_msg(!heap_remove(&h, victim), "timer %d removed twice", victim->id);
            left--;
            check_shape(&h);
        }
        expect_sorted_pops(&h, left, false);
        heap_free(&h);
    }
}
END_TEST

START_TEST(a_hundred_thousand_timers_with_removals)
{
    struct heap_timer *timers = calloc(BIG, sizeof *timers);
    struct timer_heap h = TIMER_HEAP_INIT;
    size_t left = 0;

    ck_assert_ptr_nonnull(timers);
    seed = 99;
    for (int i = 0; i < BIG; i++) {
        timers[i].id = i;
        push(&h, &timers[i], next_random() % 100000);
        left++;
        if (i % 3 == 2) { /* remove one pushed earlier, if it is still there */
            struct heap_timer *victim = &timers[next_random() % (uint32_t)i];

            if (victim->slot != 0) {
                ck_assert(heap_remove(&h, victim));
                left--;
            }
        }
    }
    ck_assert_int_eq(h.count, left);
    check_shape(&h);
    expect_sorted_pops(&h, left, false);
    heap_free(&h);
    free(timers);
}
END_TEST

START_TEST(free_leaves_an_empty_heap_ready_for_more)
{
    struct timer_heap h = TIMER_HEAP_INIT;
    struct heap_timer a = {.id = 1}, b = {.id = 2};

    push(&h, &a, 1);
    heap_free(&h);
    ck_assert_int_eq(h.count, 0);
    ck_assert_ptr_null(heap_peek(&h));
    push(&h, &b, 2); /* a is the caller's: still slot 1 as far as it knows, and untouched */
    ck_assert_ptr_eq(heap_pop(&h), &b);
    heap_free(&h);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 8 exercises");
    TCase *tc = test_case(s, "timer_heap");

    tcase_add_test(tc, empty_heap_has_nothing);
    tcase_add_test(tc, pops_come_out_sorted_for_every_size);
    tcase_add_test(tc, equal_deadlines_come_out_in_push_order);
    tcase_add_test(tc, a_timer_pushed_again_goes_after_its_equals);
    tcase_add_test(tc, pushing_a_timer_twice_is_refused);
    tcase_add_test(tc, removing_from_anywhere_keeps_the_order);
    tcase_add_test(tc, a_hundred_thousand_timers_with_removals);
    tcase_add_test(tc, free_leaves_an_empty_heap_ready_for_more);
    return s;
}
