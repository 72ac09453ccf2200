/*
 * check_sync.c: sync.h's primitives on a fake clock: who holds what, who waits, in which order.
 * Each test counts and orders what the tasks did, and checks it after the loop has returned.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "loop.h"
#include "sync.h"
#include "task.h"
#include "testing.h"

#define WORKERS 4
#define MAX_LOG 64

static int order[MAX_LOG], norder;

static struct loop *fake_loop(struct fake_clock *fake)
{
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new: %s", strerror(errno));
    loop_use_fake_clock(loop, fake);
    return loop;
}

/* ---- async_lock ------------------------------------------------------------------------------ */

struct locker {
    struct task task;
    int id;
    struct async_lock *lock;
    int *inside, *most_inside;
};

/* Take the lock, hold it across a 1 s wait, release it. */
static enum task_state locker(struct task *t)
{
    struct locker *l = (struct locker *)t;

    TASK_BEGIN(t);
    ASYNC_LOCK(t, l->lock);
    ck_assert_int_lt(norder, MAX_LOG);
    order[norder++] = l->id;
    if (++*l->inside > *l->most_inside)
        *l->most_inside = *l->inside;
    TASK_SLEEP(t, 1);
    --*l->inside;
    async_lock_release(l->lock);
    TASK_END(t);
}

START_TEST(lock_admits_one_task_at_a_time_in_arrival_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_lock lock = ASYNC_LOCK_INIT;
    struct locker lockers[WORKERS];
    struct task *all[WORKERS];
    int inside = 0, most_inside = 0;

    norder = 0;
    for (int i = 0; i < WORKERS; i++) {
        lockers[i] =
            (struct locker){.id = i, .lock = &lock, .inside = &inside, .most_inside = &most_inside};
        task_init(&lockers[i].task, NULL, locker);
        all[i] = &lockers[i].task;
    }
    ck_assert_int_eq(task_run_all(loop, all, WORKERS), 0);
    ck_assert_msg(most_inside == 1, "%d tasks held the lock at once", most_inside);
    ck_assert_int_eq(norder, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        ck_assert_msg(order[i] == i, "place %d went to task %d: the lock must be FIFO", i,
                      order[i]);
    /* Each held it 1 s, one after the other. */
    ck_assert_msg(loop_time(loop) == WORKERS, "took %.3f s, expected %d s", loop_time(loop),
                  WORKERS);
    ck_assert(!async_lock_locked(&lock));
    loop_free(loop);
}
END_TEST

START_TEST(release_hands_the_lock_to_the_waiter)
{
    struct async_lock lock = ASYNC_LOCK_INIT;
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct locker waiter = {.id = 7, .lock = &lock};
    int inside = 0, most = 0;

    waiter.inside = &inside;
    waiter.most_inside = &most;
    norder = 0;
    ck_assert(async_lock_try(&lock));
    task_init(&waiter.task, NULL, locker);
    task_start(loop, &waiter.task);
    /* The waiter parks on the lock: nothing is left for the loop to wait for, until a release. */
    ck_assert_int_eq(loop_run_once(loop), 0);
    ck_assert_int_eq(norder, 0);
    async_lock_release(&lock);
    /* Handed over: a late comer cannot take it before the woken waiter runs. */
    ck_assert(async_lock_locked(&lock));
    ck_assert(!async_lock_try(&lock));
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(norder, 1);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("sync");
    TCase *lock = test_case(s, "async_lock");

    tcase_add_test(lock, lock_admits_one_task_at_a_time_in_arrival_order);
    tcase_add_test(lock, release_hands_the_lock_to_the_waiter);
    return s;
}
