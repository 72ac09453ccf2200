/*
 * check_sync.c: sync.h's primitives on a fake clock: who holds what, who waits, in which order.
 * Each test counts and orders what the tasks did, and checks it after the loop has returned, as
 * libuv's tests do. Where a hand-over matters, the test steps the loop itself (loop_run_once) and
 * plays the newcomer that must not get in first.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "loop.h"
#include "sync.h"
#include "task.h"
#include "testing.h"

#define WORKERS 4
#define MAX_LOG 256

/* What the tasks did, in order: who, and the loop's time then. */
static int order[MAX_LOG], norder;
static double order_at[MAX_LOG];

static void note(struct task *t, int who)
{
    ck_assert_int_lt(norder, MAX_LOG);
    order_at[norder] = loop_time(t->loop);
    order[norder++] = who;
}

static struct loop *fake_loop(struct fake_clock *fake)
{
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new: %s", strerror(errno));
    loop_use_fake_clock(loop, fake);
    norder = 0;
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
    note(t, l->id);
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

/* Two lockers that park on a lock the test holds: `first` in line, then `second`. */
static void park_two_lockers(struct loop *loop, struct async_lock *lock, struct locker *first,
                             struct locker *second, int *inside, int *most)
{
    *first = (struct locker){.id = 1, .lock = lock, .inside = inside, .most_inside = most};
    *second = (struct locker){.id = 2, .lock = lock, .inside = inside, .most_inside = most};
    ck_assert(async_lock_try(lock));
    task_init(&first->task, NULL, locker);
    task_init(&second->task, NULL, locker);
    task_start(loop, &first->task);
    task_start(loop, &second->task);
    ck_assert_int_eq(loop_run_once(loop), 0); /* both parked */
}

START_TEST(a_lock_handed_to_a_task_cancelled_before_it_runs_goes_to_the_next)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_lock lock = ASYNC_LOCK_INIT;
    struct locker first, second;
    int inside = 0, most = 0;

    park_two_lockers(loop, &lock, &first, &second, &inside, &most);
    async_lock_release(&lock);           /* handed to the first, which has not run yet ... */
    ck_assert(task_cancel(&first.task)); /* ... and never will: a wait_for timing out, say */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(norder == 1 && order[0] == 2,
                  "the lock went to %d task(s), first %d: expected the second waiter only", norder,
                  norder > 0 ? order[0] : -1);
    ck_assert_int_eq(first.task.error, ECANCELED);
    ck_assert(task_done(&second.task));
    ck_assert_msg(!async_lock_locked(&lock), "the lock stayed locked after everybody left");
    loop_free(loop);
}
END_TEST

START_TEST(a_cancelled_waiter_leaves_the_line)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_lock lock = ASYNC_LOCK_INIT;
    struct locker first, second;
    int inside = 0, most = 0;

    park_two_lockers(loop, &lock, &first, &second, &inside, &most);
    ck_assert(task_cancel(&first.task)); /* while parked: it holds nothing */
    async_lock_release(&lock);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(norder == 1 && order[0] == 2, "the lock went to %d task(s)", norder);
    ck_assert(!async_lock_locked(&lock));
    loop_free(loop);
}
END_TEST

START_TEST(a_cancelled_heir_with_nobody_behind_leaves_the_lock_free)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_lock lock = ASYNC_LOCK_INIT;
    struct locker first, second;
    int inside = 0, most = 0;

    park_two_lockers(loop, &lock, &first, &second, &inside, &most);
    ck_assert(task_cancel(&second.task));
    async_lock_release(&lock);
    ck_assert(task_cancel(&first.task));
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(norder, 0);
    ck_assert_msg(!async_lock_locked(&lock), "a lock handed to a cancelled task stayed locked");
    ck_assert(async_lock_try(&lock));
    loop_free(loop);
}
END_TEST

/* ---- async_event ----------------------------------------------------------------------------- */

#define SETTER 100 /* the setter's id in order[] */

struct event_user {
    struct task task;
    int id;
    double delay; /* the setter sets the event after this long */
    struct async_event *event;
};

static enum task_state event_waiter(struct task *t)
{
    struct event_user *u = (struct event_user *)t;

    TASK_BEGIN(t);
    ASYNC_EVENT_WAIT(t, u->event);
    note(t, u->id);
    TASK_END(t);
}

static enum task_state event_setter(struct task *t)
{
    struct event_user *u = (struct event_user *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, u->delay);
    note(t, u->id);
    async_event_set(u->event);
    TASK_END(t);
}

START_TEST(event_set_wakes_every_waiter_in_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_event event = ASYNC_EVENT_INIT;
    struct event_user users[WORKERS + 1];
    struct task *all[WORKERS + 1];

    for (int i = 0; i < WORKERS; i++) {
        users[i] = (struct event_user){.id = i, .event = &event};
        task_init(&users[i].task, NULL, event_waiter);
        all[i] = &users[i].task;
    }
    users[WORKERS] = (struct event_user){.id = SETTER, .delay = 1, .event = &event};
    task_init(&users[WORKERS].task, NULL, event_setter);
    all[WORKERS] = &users[WORKERS].task;
    ck_assert_int_eq(task_run_all(loop, all, WORKERS + 1), 0);

    ck_assert_msg(norder == WORKERS + 1, "%d tasks went on, expected %d", norder, WORKERS + 1);
    ck_assert_msg(order[0] == SETTER, "task %d went on before the event was set", order[0]);
    for (int i = 0; i < WORKERS; i++) {
        ck_assert_msg(order[i + 1] == i, "waiter %d woke in place %d: set wakes in arrival order",
                      order[i + 1], i);
        ck_assert_msg(order_at[i + 1] == 1, "waiter %d woke at %.3f s, expected 1 s", i,
                      order_at[i + 1]);
    }
    ck_assert(async_event_is_set(&event));
    ck_assert(task_waitlist_empty(&event.waiters));
    loop_free(loop);
}
END_TEST

START_TEST(waiting_on_a_set_event_goes_straight_on)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_event event = ASYNC_EVENT_INIT;
    struct event_user waiter = {.id = 1, .event = &event};

    async_event_set(&event);
    task_init(&waiter.task, NULL, event_waiter);
    task_start(loop, &waiter.task);
    /* One iteration runs its first step, which passes the wait without parking. */
    ck_assert_int_eq(loop_run_once(loop), 0);
    ck_assert_int_eq(norder, 1);
    ck_assert(task_done(&waiter.task));
    ck_assert(task_waitlist_empty(&event.waiters));
    loop_free(loop);
}
END_TEST

START_TEST(clear_makes_later_waits_wait)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_event event = ASYNC_EVENT_INIT;
    struct event_user waiter = {.id = 1, .event = &event};

    async_event_set(&event);
    async_event_clear(&event);
    ck_assert(!async_event_is_set(&event));
    task_init(&waiter.task, NULL, event_waiter);
    task_start(loop, &waiter.task);
    ck_assert_int_eq(loop_run(loop), 0); /* nothing left but a parked task */
    ck_assert_msg(norder == 0 && !task_done(&waiter.task), "a cleared event let a waiter through");
    ck_assert(!task_waitlist_empty(&event.waiters));
    async_event_set(&event);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert(task_done(&waiter.task));
    loop_free(loop);
}
END_TEST

START_TEST(tasks_woken_by_set_go_on_even_if_cleared_at_once)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_event event = ASYNC_EVENT_INIT;
    struct event_user waiters[WORKERS];

    for (int i = 0; i < WORKERS; i++) {
        waiters[i] = (struct event_user){.id = i, .event = &event};
        task_init(&waiters[i].task, NULL, event_waiter);
        task_start(loop, &waiters[i].task);
    }
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(norder, 0);
    /* As in asyncio: set() wakes them; a clear() before they run does not put them back. */
    async_event_set(&event);
    async_event_clear(&event);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(norder == WORKERS, "%d of %d woken waiters went on", norder, WORKERS);
    ck_assert(!async_event_is_set(&event));
    loop_free(loop);
}
END_TEST

/* ---- async_sem ------------------------------------------------------------------------------- */

struct sem_user {
    struct task task;
    int id;
    double hold; /* seconds a worker holds its permit; the delay before a releaser releases */
    struct async_sem *sem;
    int *inside, *most_inside;
};

static enum task_state sem_worker(struct task *t)
{
    struct sem_user *u = (struct sem_user *)t;

    TASK_BEGIN(t);
    ASYNC_SEM_ACQUIRE(t, u->sem);
    note(t, u->id);
    if (++*u->inside > *u->most_inside)
        *u->most_inside = *u->inside;
    TASK_SLEEP(t, u->hold);
    --*u->inside;
    ck_assert_int_eq(async_sem_release(u->sem), 0);
    TASK_END(t);
}

START_TEST(semaphore_admits_at_most_n_in_arrival_order)
{
    enum { N = 2, USERS = 6 };
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = ASYNC_SEM_INIT(N);
    struct sem_user users[USERS];
    struct task *all[USERS];
    int inside = 0, most_inside = 0;

    for (int i = 0; i < USERS; i++) {
        users[i] = (struct sem_user){
            .id = i, .hold = 1, .sem = &sem, .inside = &inside, .most_inside = &most_inside};
        task_init(&users[i].task, NULL, sem_worker);
        all[i] = &users[i].task;
    }
    ck_assert_int_eq(task_run_all(loop, all, USERS), 0);
    ck_assert_msg(most_inside == N, "%d tasks held a permit at once, expected %d", most_inside, N);
    ck_assert_int_eq(norder, USERS);
    for (int i = 0; i < USERS; i++) {
        ck_assert_msg(order[i] == i, "permit %d went to task %d: the semaphore must be FIFO", i,
                      order[i]);
        ck_assert_msg(order_at[i] == i / N, "task %d got its permit at %.3f s, expected %d s", i,
                      order_at[i], i / N);
    }
    ck_assert_msg(loop_time(loop) == USERS / N, "took %.3f s, expected %d s", loop_time(loop),
                  USERS / N);
    ck_assert_uint_eq(async_sem_value(&sem), N);
    loop_free(loop);
}
END_TEST

START_TEST(release_hands_the_permit_to_the_longest_waiter)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = ASYNC_SEM_INIT(1);
    struct sem_user first = {.id = 1, .hold = 1, .sem = &sem};
    struct sem_user second = {.id = 2, .hold = 1, .sem = &sem};
    int inside = 0, most = 0;

    first.inside = second.inside = &inside;
    first.most_inside = second.most_inside = &most;
    ck_assert(async_sem_try(&sem));
    task_init(&first.task, NULL, sem_worker);
    task_init(&second.task, NULL, sem_worker);
    task_start(loop, &first.task);
    task_start(loop, &second.task);
    ck_assert_int_eq(loop_run_once(loop), 0); /* both parked */
    ck_assert_int_eq(norder, 0);
    ck_assert_int_eq(async_sem_release(&sem), 0);
    /* Handed over: the value stays 0, and a newcomer cannot take the permit. */
    ck_assert_uint_eq(async_sem_value(&sem), 0);
    ck_assert(!async_sem_try(&sem));
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(norder, 2);
    ck_assert_msg(order[0] == 1 && order[1] == 2, "served %d then %d, expected 1 then 2", order[0],
                  order[1]);
    ck_assert_msg(most == 1, "%d tasks held the only permit at once", most);
    ck_assert_uint_eq(async_sem_value(&sem), 1);
    loop_free(loop);
}
END_TEST

static enum task_state sem_releaser(struct task *t)
{
    struct sem_user *u = (struct sem_user *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, u->hold);
    note(t, u->id);
    ck_assert_int_eq(async_sem_release(u->sem), 0);
    TASK_END(t);
}

START_TEST(semaphore_at_zero_waits_for_a_release)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = {0}; /* zeroed: no permit */
    struct sem_user worker = {.id = 1, .hold = 0, .sem = &sem};
    struct sem_user releaser = {.id = SETTER, .hold = 2, .sem = &sem};
    struct task *both[] = {&worker.task, &releaser.task};
    int inside = 0, most = 0;

    worker.inside = &inside;
    worker.most_inside = &most;
    task_init(&worker.task, NULL, sem_worker);
    task_init(&releaser.task, NULL, sem_releaser);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    ck_assert_int_eq(norder, 2);
    ck_assert_msg(order[0] == SETTER && order[1] == 1 && order_at[1] == 2,
                  "the worker got in at %.3f s, before the release at 2 s", order_at[1]);
    ck_assert_uint_eq(async_sem_value(&sem), 1); /* the worker released what it was given */
    loop_free(loop);
}
END_TEST

START_TEST(bounded_semaphore_refuses_a_release_too_many)
{
    struct async_sem bounded = ASYNC_BOUNDED_SEM_INIT(2);
    struct async_sem plain = ASYNC_SEM_INIT(2);
    struct async_sem full = ASYNC_SEM_INIT(UINT_MAX);

    ck_assert(async_sem_try(&bounded));
    ck_assert_int_eq(async_sem_release(&bounded), 0);
    errno = 0;
    ck_assert_int_eq(async_sem_release(&bounded), -1);
    ck_assert_int_eq(errno, EOVERFLOW);
    ck_assert_uint_eq(async_sem_value(&bounded), 2);

    /* asyncio.Semaphore (unbounded) lets the value grow past where it started. */
    ck_assert_int_eq(async_sem_release(&plain), 0);
    ck_assert_uint_eq(async_sem_value(&plain), 3);

    errno = 0;
    ck_assert_int_eq(async_sem_release(&full), -1);
    ck_assert_int_eq(errno, EOVERFLOW);
    ck_assert_uint_eq(async_sem_value(&full), UINT_MAX);
}
END_TEST

/* `n` workers parked on `sem`, which has no free permit: users[0] first in line. */
static void park_sem_workers(struct loop *loop, struct async_sem *sem, struct sem_user users[],
                             int n, int *inside, int *most)
{
    for (int i = 0; i < n; i++) {
        users[i] = (struct sem_user){
            .id = i + 1, .hold = 1, .sem = sem, .inside = inside, .most_inside = most};
        task_init(&users[i].task, NULL, sem_worker);
        task_start(loop, &users[i].task);
    }
    ck_assert_int_eq(loop_run_once(loop), 0); /* all parked */
}

START_TEST(releases_before_the_woken_task_runs_wake_one_at_a_time_in_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = {0};
    struct sem_user users[3];
    int inside = 0, most = 0;

    park_sem_workers(loop, &sem, users, 3, &inside, &most);
    ck_assert_int_eq(async_sem_release(&sem), 0); /* handed to users[0] */
    ck_assert_int_eq(async_sem_release(&sem), 0); /* free, but users[1] waits for it */
    ck_assert_uint_eq(async_sem_value(&sem), 1);
    ck_assert_msg(!async_sem_try(&sem), "a newcomer took a permit ahead of waiting tasks");
    ck_assert_int_eq(loop_run_once(loop), 1); /* users[0] goes on, and wakes users[1] */
    ck_assert_int_eq(loop_run_once(loop), 1); /* users[1] goes on */
    ck_assert_msg(norder == 2 && order[0] == 1 && order[1] == 2, "served %d task(s): %d, %d",
                  norder, order[0], order[1]);
    ck_assert_int_eq(loop_run(loop), 0); /* both release after 1 s: users[2] gets one */
    ck_assert_msg(norder == 3 && order[2] == 3 && order_at[2] == 1,
                  "the third waiter was served at %.3f s", order_at[2]);
    ck_assert_msg(most == 2, "%d tasks held the 2 permits at once", most);
    ck_assert_uint_eq(async_sem_value(&sem), 2);
    loop_free(loop);
}
END_TEST

START_TEST(a_permit_handed_to_a_cancelled_task_goes_to_the_next)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = {0};
    struct sem_user users[2];
    int inside = 0, most = 0;

    park_sem_workers(loop, &sem, users, 2, &inside, &most);
    ck_assert_int_eq(async_sem_release(&sem), 0); /* handed to users[0] ... */
    ck_assert(task_cancel(&users[0].task));       /* ... which never goes on */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(norder == 1 && order[0] == 2, "the permit went to %d task(s)", norder);
    ck_assert_int_eq(users[0].task.error, ECANCELED);
    ck_assert_msg(async_sem_value(&sem) == 1, "value %u at the end: a permit was lost or made",
                  async_sem_value(&sem));
    loop_free(loop);
}
END_TEST

START_TEST(a_permit_handed_to_a_cancelled_task_comes_back)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_sem sem = ASYNC_BOUNDED_SEM_INIT(1);
    struct sem_user users[1];
    int inside = 0, most = 0;

    ck_assert(async_sem_try(&sem));
    park_sem_workers(loop, &sem, users, 1, &inside, &most);
    ck_assert_int_eq(async_sem_release(&sem), 0);
    ck_assert(task_cancel(&users[0].task));
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_int_eq(norder, 0);
    ck_assert_msg(async_sem_value(&sem) == 1, "value %u: the cancelled task's permit is lost",
                  async_sem_value(&sem));
    loop_free(loop);
}
END_TEST

/* ---- async_queue ----------------------------------------------------------------------------- */

#define CAPACITY 3
#define NUMBERS 64

/* Items are pointers to these; an item's value is its index. */
static int numbers[NUMBERS];

static void *item_of(int n)
{
    ck_assert(n >= 0 && n < NUMBERS);
    numbers[n] = n;
    return &numbers[n];
}

static int value_of(const void *item)
{
    return *(const int *)item;
}

START_TEST(queue_init_wants_storage)
{
    struct async_queue queue;
    void *slots[1];

    errno = 0;
    ck_assert_int_eq(async_queue_init(&queue, slots, 0), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(async_queue_init(&queue, NULL, 1), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(async_queue_init(&queue, slots, 1), 0);
    ck_assert_uint_eq(async_queue_size(&queue), 0);
}
END_TEST

START_TEST(queue_is_fifo_bounded_and_wraps_around)
{
    struct async_queue queue;
    void *slots[CAPACITY], *item = NULL;
    int next_in = 0, next_out = 0;

    ck_assert_int_eq(async_queue_init(&queue, slots, CAPACITY), 0);
    ck_assert(!async_queue_try_get(&queue, &item));
    ck_assert_ptr_null(item);
    /* Round and round the ring several times, at every fill level. */
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < CAPACITY; i++)
            ck_assert(async_queue_try_put(&queue, item_of(next_in++)));
        ck_assert_msg(!async_queue_try_put(&queue, item_of(next_in)), "a full queue took more");
        ck_assert_uint_eq(async_queue_size(&queue), CAPACITY);
        for (int i = 0; i <= round % CAPACITY; i++) {
            ck_assert(async_queue_try_get(&queue, &item));
            ck_assert_int_eq(value_of(item), next_out++);
        }
        while (async_queue_try_get(&queue, &item))
            ck_assert_int_eq(value_of(item), next_out++);
        ck_assert_uint_eq(async_queue_size(&queue), 0);
    }
    ck_assert_int_eq(next_out, next_in);
}
END_TEST

/* A task that puts `n` items, from `first` on, sleeping `pause` before each; or gets `n`. */
struct queue_user {
    struct task task;
    int id, first, n, done;
    double pause;
    struct async_queue *queue;
    void *item; /* the item being put or got: kept across waits, in the struct */
};

/* order[] gets id * NUMBERS + value for every item a putter put or a getter got. */
static enum task_state putter(struct task *t)
{
    struct queue_user *u = (struct queue_user *)t;

    TASK_BEGIN(t);
    for (u->done = 0; u->done < u->n; u->done++) {
        TASK_SLEEP(t, u->pause);
        u->item = item_of(u->first + u->done);
        ASYNC_QUEUE_PUT(t, u->queue, u->item);
        note(t, u->id * NUMBERS + value_of(u->item));
    }
    TASK_END(t);
}

static enum task_state getter(struct task *t)
{
    struct queue_user *u = (struct queue_user *)t;

    TASK_BEGIN(t);
    for (u->done = 0; u->done < u->n; u->done++) {
        TASK_SLEEP(t, u->pause);
        ASYNC_QUEUE_GET(t, u->queue, &u->item);
        note(t, u->id * NUMBERS + value_of(u->item));
    }
    TASK_END(t);
}

/* The entry of order[] for `who` moving item `value`, and its time. */
static int find_note(int who, int value)
{
    for (int i = 0; i < norder; i++) {
        if (order[i] == who * NUMBERS + value)
            return i;
    }
    ck_abort_msg("task %d never moved item %d", who, value);
    return -1;
}

START_TEST(getter_on_an_empty_queue_is_woken_by_put)
{
    enum { GETTER = 1, PUTTER = 2 };
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[CAPACITY];
    struct queue_user get = {.id = GETTER, .n = 1, .queue = &queue};
    struct queue_user put = {.id = PUTTER, .first = 5, .n = 1, .pause = 1, .queue = &queue};
    struct task *both[] = {&get.task, &put.task};

    ck_assert_int_eq(async_queue_init(&queue, slots, CAPACITY), 0);
    task_init(&get.task, NULL, getter);
    task_init(&put.task, NULL, putter);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    ck_assert_int_eq(norder, 2);
    ck_assert_msg(order_at[find_note(GETTER, 5)] == 1,
                  "the getter got its item at %.3f s, expected 1 s, when it was put",
                  order_at[find_note(GETTER, 5)]);
    ck_assert_msg(find_note(PUTTER, 5) < find_note(GETTER, 5), "got before it was put");
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    loop_free(loop);
}
END_TEST

START_TEST(putter_on_a_full_queue_is_woken_by_get)
{
    enum { PUTTER = 1, GETTER = 2, ITEMS = 3 };
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[1];
    struct queue_user put = {.id = PUTTER, .first = 0, .n = ITEMS, .queue = &queue};
    struct queue_user get = {.id = GETTER, .n = ITEMS, .pause = 1, .queue = &queue};
    struct task *both[] = {&put.task, &get.task};

    ck_assert_int_eq(async_queue_init(&queue, slots, 1), 0);
    task_init(&put.task, NULL, putter);
    task_init(&get.task, NULL, getter);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    ck_assert_int_eq(norder, 2 * ITEMS);
    for (int i = 0; i < ITEMS; i++) {
        /* Item 0 goes in at 0 s; item i > 0 waits for the room the get at i s makes. */
        ck_assert_msg(order_at[find_note(PUTTER, i)] == i, "item %d went in at %.3f s, not %d s", i,
                      order_at[find_note(PUTTER, i)], i);
        ck_assert_msg(order_at[find_note(GETTER, i)] == i + 1, "item %d came out at %.3f s", i,
                      order_at[find_note(GETTER, i)]);
    }
    loop_free(loop);
}
END_TEST

START_TEST(waiting_getters_receive_items_in_order)
{
    enum { PUTTER = WORKERS };
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[1]; /* one slot: the putter waits after each item, the getters take turns */
    struct queue_user users[WORKERS + 1];
    struct task *all[WORKERS + 1];

    ck_assert_int_eq(async_queue_init(&queue, slots, 1), 0);
    for (int i = 0; i < WORKERS; i++) {
        users[i] = (struct queue_user){.id = i, .n = 1, .queue = &queue};
        task_init(&users[i].task, NULL, getter);
        all[i] = &users[i].task;
    }
    users[PUTTER] = (struct queue_user){.id = PUTTER, .first = 10, .n = WORKERS, .queue = &queue};
    task_init(&users[PUTTER].task, NULL, putter);
    all[PUTTER] = &users[PUTTER].task;
    ck_assert_int_eq(task_run_all(loop, all, WORKERS + 1), 0);
    /* The getters parked in order 0, 1, 2, 3; items 10, 11, 12, 13 were put in that order. */
    for (int i = 0; i < WORKERS; i++)
        ck_assert_msg(value_of(users[i].item) == 10 + i,
                      "getter %d (the %d-th to wait) got item %d, expected %d", i, i + 1,
                      value_of(users[i].item), 10 + i);
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    loop_free(loop);
}
END_TEST

/* Put or get one item, with no sleep first: the very first step tries the queue. */
static enum task_state put_at_once(struct task *t)
{
    struct queue_user *u = (struct queue_user *)t;

    TASK_BEGIN(t);
    u->item = item_of(u->first);
    ASYNC_QUEUE_PUT(t, u->queue, u->item);
    note(t, u->id * NUMBERS + u->first);
    TASK_END(t);
}

static enum task_state get_at_once(struct task *t)
{
    struct queue_user *u = (struct queue_user *)t;

    TASK_BEGIN(t);
    ASYNC_QUEUE_GET(t, u->queue, &u->item);
    note(t, u->id * NUMBERS + value_of(u->item));
    TASK_END(t);
}

START_TEST(a_newcomer_cannot_take_an_item_owed_to_a_woken_getter)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[CAPACITY], *item = NULL;
    struct queue_user first = {.id = 1, .queue = &queue};
    struct queue_user second = {.id = 2, .queue = &queue};

    ck_assert_int_eq(async_queue_init(&queue, slots, CAPACITY), 0);
    task_init(&first.task, NULL, get_at_once);
    task_start(loop, &first.task);
    ck_assert_int_eq(loop_run_once(loop), 0); /* parked on the empty queue */
    /* The newcomer's first step is queued now, ahead of the wake-up that the put below queues. */
    task_init(&second.task, NULL, get_at_once);
    task_start(loop, &second.task);
    ck_assert(async_queue_try_put(&queue, item_of(1))); /* wakes the first, and owes it item 1 */
    ck_assert(async_queue_try_put(&queue, item_of(2)));
    ck_assert_msg(!async_queue_try_get(&queue, &item), "a newcomer took item %d, owed to a waiter",
                  item ? value_of(item) : -1);
    /* The newcomer runs first, finds item 1 owed, parks behind although item 2 is there, and is
     * woken by the first getter once that one has taken its item. */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(task_done(&first.task) && task_done(&second.task),
                  "a getter was left parked with an item in the queue");
    ck_assert_int_eq(value_of(first.item), 1);
    ck_assert_int_eq(value_of(second.item), 2);
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    ck_assert(task_waitlist_empty(&queue.getters));
    loop_free(loop);
}
END_TEST

START_TEST(a_newcomer_cannot_take_a_slot_owed_to_a_woken_putter)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[2], *item = NULL;
    struct queue_user first = {.id = 1, .first = 3, .queue = &queue};
    struct queue_user second = {.id = 2, .first = 4, .queue = &queue};

    ck_assert_int_eq(async_queue_init(&queue, slots, 2), 0);
    ck_assert(async_queue_try_put(&queue, item_of(1)));
    ck_assert(async_queue_try_put(&queue, item_of(2)));
    task_init(&first.task, NULL, put_at_once);
    task_start(loop, &first.task);
    ck_assert_int_eq(loop_run(loop), 0); /* it parks, with item 3, on the full queue */
    ck_assert_int_eq(norder, 0);
    task_init(&second.task, NULL, put_at_once);
    task_start(loop, &second.task);
    ck_assert(async_queue_try_get(&queue, &item)); /* makes room, promised to the first putter */
    ck_assert_int_eq(value_of(item), 1);
    ck_assert(async_queue_try_get(&queue, &item));
    ck_assert_int_eq(value_of(item), 2);
    ck_assert_msg(!async_queue_try_put(&queue, item_of(5)),
                  "a newcomer's item took the slot owed to a waiting putter");
    /* The second putter runs first and parks behind; the first puts item 3, then wakes it. */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(task_done(&first.task) && task_done(&second.task),
                  "a putter was left parked with room in the queue");
    ck_assert(async_queue_try_get(&queue, &item));
    ck_assert_int_eq(value_of(item), 3);
    ck_assert(async_queue_try_get(&queue, &item));
    ck_assert_int_eq(value_of(item), 4);
    ck_assert(task_waitlist_empty(&queue.putters));
    loop_free(loop);
}
END_TEST

START_TEST(an_item_owed_to_a_cancelled_getter_goes_to_the_next)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[CAPACITY];
    struct queue_user first = {.id = 1, .queue = &queue}, second = {.id = 2, .queue = &queue};

    ck_assert_int_eq(async_queue_init(&queue, slots, CAPACITY), 0);
    task_init(&first.task, NULL, get_at_once);
    task_init(&second.task, NULL, get_at_once);
    task_start(loop, &first.task);
    task_start(loop, &second.task);
    ck_assert_int_eq(loop_run_once(loop), 0);           /* both parked */
    ck_assert(async_queue_try_put(&queue, item_of(7))); /* owed to the first ... */
    ck_assert(task_cancel(&first.task));                /* ... which never goes on */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(task_done(&second.task) && value_of(second.item) == 7,
                  "the item owed to a cancelled getter did not go to the next one");
    ck_assert_int_eq(norder, 1);
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    loop_free(loop);
}
END_TEST

START_TEST(a_slot_owed_to_a_cancelled_putter_goes_to_the_next)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[1], *item;
    struct queue_user first = {.id = 1, .first = 2, .queue = &queue};
    struct queue_user second = {.id = 2, .first = 3, .queue = &queue};

    ck_assert_int_eq(async_queue_init(&queue, slots, 1), 0);
    ck_assert(async_queue_try_put(&queue, item_of(1)));
    task_init(&first.task, NULL, put_at_once);
    task_init(&second.task, NULL, put_at_once);
    task_start(loop, &first.task);
    task_start(loop, &second.task);
    ck_assert_int_eq(loop_run_once(loop), 0);      /* both parked on the full queue */
    ck_assert(async_queue_try_get(&queue, &item)); /* the slot is owed to the first ... */
    ck_assert(task_cancel(&first.task));           /* ... which never puts item 2 */
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert(task_done(&second.task));
    ck_assert_msg(async_queue_try_get(&queue, &item) && value_of(item) == 3,
                  "expected the second putter's item 3 in the queue");
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    loop_free(loop);
}
END_TEST

/* ---- many producers and consumers ---- */

enum { PRODUCERS = 3, CONSUMERS = 2, PER_PRODUCER = 12, TOTAL = PRODUCERS * PER_PRODUCER };

struct consumer {
    struct task task;
    struct async_queue *queue;
    void *item;
    int got;
    double pause;
};

static int stop_pill; /* a consumer that gets a pointer to this stops */
static int times_consumed[TOTAL];
static size_t most_in_queue;

static enum task_state consumer(struct task *t)
{
    struct consumer *c = (struct consumer *)t;

    TASK_BEGIN(t);
    for (;;) {
        ASYNC_QUEUE_GET(t, c->queue, &c->item);
        if (c->item == &stop_pill)
            break;
        times_consumed[value_of(c->item)]++;
        note(t, value_of(c->item));
        c->got++;
        TASK_SLEEP(t, c->pause);
    }
    TASK_END(t);
}

struct producer {
    struct task task;
    struct async_queue *queue;
    int first, i;
    double pause;
    void *item;
};

static enum task_state producer(struct task *t)
{
    struct producer *p = (struct producer *)t;

    TASK_BEGIN(t);
    for (p->i = 0; p->i < PER_PRODUCER; p->i++) {
        p->item = item_of(p->first + p->i);
        ASYNC_QUEUE_PUT(t, p->queue, p->item);
        if (async_queue_size(p->queue) > most_in_queue)
            most_in_queue = async_queue_size(p->queue);
        TASK_SLEEP(t, p->pause);
    }
    TASK_END(t);
}

/* Gathers the producers, then puts one stop pill per consumer: the consumers end after the rest. */
struct coordinator {
    struct task task;
    struct async_queue *queue;
    struct task **producers;
    int pills;
};

static enum task_state coordinator(struct task *t)
{
    struct coordinator *c = (struct coordinator *)t;

    TASK_BEGIN(t);
    TASK_GATHER(t, c->producers, PRODUCERS);
    for (c->pills = 0; c->pills < CONSUMERS; c->pills++)
        ASYNC_QUEUE_PUT(t, c->queue, &stop_pill);
    TASK_END(t);
}

START_TEST(every_item_is_consumed_exactly_once_in_order)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[2];
    struct producer producers[PRODUCERS];
    struct consumer consumers[CONSUMERS];
    struct task *producer_tasks[PRODUCERS], *all[CONSUMERS + 1];
    struct coordinator coord = {.queue = &queue, .producers = producer_tasks};
    int last_seen[PRODUCERS];

    ck_assert_int_eq(async_queue_init(&queue, slots, 2), 0);
    memset(times_consumed, 0, sizeof times_consumed);
    most_in_queue = 0;
    for (int p = 0; p < PRODUCERS; p++) {
        /* Producer 0 never pauses: it keeps the queue full. The others put now and then. */
        producers[p] = (struct producer){.queue = &queue, .first = p * PER_PRODUCER, .pause = p};
        task_init(&producers[p].task, NULL, producer);
        producer_tasks[p] = &producers[p].task;
        last_seen[p] = -1;
    }
    for (int c = 0; c < CONSUMERS; c++) {
        consumers[c] = (struct consumer){.queue = &queue, .pause = 0.5 + c};
        task_init(&consumers[c].task, NULL, consumer);
        all[c] = &consumers[c].task;
    }
    task_init(&coord.task, NULL, coordinator);
    all[CONSUMERS] = &coord.task;
    ck_assert_int_eq(task_run_all(loop, all, CONSUMERS + 1), 0);

    ck_assert_msg(norder == TOTAL, "%d items consumed, expected %d", norder, TOTAL);
    for (int i = 0; i < TOTAL; i++)
        ck_assert_msg(times_consumed[i] == 1, "item %d consumed %d times", i, times_consumed[i]);
    /* FIFO: each producer's items come out in the order it put them. */
    for (int i = 0; i < norder; i++) {
        int p = order[i] / PER_PRODUCER;

        ck_assert_msg(order[i] > last_seen[p],
                      "item %d came out after item %d of the same producer", order[i],
                      last_seen[p]);
        last_seen[p] = order[i];
    }
    ck_assert_msg(consumers[0].got > 0 && consumers[1].got > 0, "a consumer got nothing: %d, %d",
                  consumers[0].got, consumers[1].got);
    ck_assert_msg(most_in_queue == 2, "the queue held at most %zu items (capacity 2)",
                  most_in_queue);
    ck_assert_uint_eq(async_queue_size(&queue), 0);
    ck_assert(task_waitlist_empty(&queue.getters) && task_waitlist_empty(&queue.putters));
    loop_free(loop);
}
END_TEST

START_TEST(a_getter_nobody_feeds_is_a_deadlock)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct async_queue queue;
    void *slots[1];
    struct queue_user get = {.id = 1, .n = 1, .queue = &queue};

    ck_assert_int_eq(async_queue_init(&queue, slots, 1), 0);
    task_init(&get.task, NULL, getter);
    errno = 0;
    ck_assert_int_eq(task_run(loop, &get.task), -1);
    ck_assert_int_eq(errno, EDEADLK);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("sync");
    TCase *lock = test_case(s, "async_lock");
    TCase *event = test_case(s, "async_event");
    TCase *sem = test_case(s, "async_sem");
    TCase *queue = test_case(s, "async_queue");

    tcase_add_test(lock, lock_admits_one_task_at_a_time_in_arrival_order);
    tcase_add_test(lock, release_hands_the_lock_to_the_waiter);
    tcase_add_test(lock, a_lock_handed_to_a_task_cancelled_before_it_runs_goes_to_the_next);
    tcase_add_test(lock, a_cancelled_waiter_leaves_the_line);
    tcase_add_test(lock, a_cancelled_heir_with_nobody_behind_leaves_the_lock_free);
    tcase_add_test(event, event_set_wakes_every_waiter_in_order);
    tcase_add_test(event, waiting_on_a_set_event_goes_straight_on);
    tcase_add_test(event, clear_makes_later_waits_wait);
    tcase_add_test(event, tasks_woken_by_set_go_on_even_if_cleared_at_once);
    tcase_add_test(sem, semaphore_admits_at_most_n_in_arrival_order);
    tcase_add_test(sem, release_hands_the_permit_to_the_longest_waiter);
    tcase_add_test(sem, semaphore_at_zero_waits_for_a_release);
    tcase_add_test(sem, bounded_semaphore_refuses_a_release_too_many);
    tcase_add_test(sem, releases_before_the_woken_task_runs_wake_one_at_a_time_in_order);
    tcase_add_test(sem, a_permit_handed_to_a_cancelled_task_goes_to_the_next);
    tcase_add_test(sem, a_permit_handed_to_a_cancelled_task_comes_back);
    tcase_add_test(queue, queue_init_wants_storage);
    tcase_add_test(queue, queue_is_fifo_bounded_and_wraps_around);
    tcase_add_test(queue, getter_on_an_empty_queue_is_woken_by_put);
    tcase_add_test(queue, putter_on_a_full_queue_is_woken_by_get);
    tcase_add_test(queue, waiting_getters_receive_items_in_order);
    tcase_add_test(queue, a_newcomer_cannot_take_an_item_owed_to_a_woken_getter);
    tcase_add_test(queue, a_newcomer_cannot_take_a_slot_owed_to_a_woken_putter);
    tcase_add_test(queue, an_item_owed_to_a_cancelled_getter_goes_to_the_next);
    tcase_add_test(queue, a_slot_owed_to_a_cancelled_putter_goes_to_the_next);
    tcase_add_test(queue, every_item_is_consumed_exactly_once_in_order);
    tcase_add_test(queue, a_getter_nobody_feeds_is_a_deadlock);
    return s;
}
