/*
 * check_multiplex.c: tests of multiplex.c: never more than `limit` threads inside, and no fewer.
 *
 * Chapter 4, exercise multiplex.c. Holder threads come in and wait inside, at a gate the test
 * opens; so the test knows exactly who is inside. Then the test thread itself knocks: a correct
 * mp_enter blocks until a helper, some time later, lets one holder out; a wrong one returns at
 * once, before anybody left, and that is checked with no timing luck needed. A lost wake-up is
 * caught by a watchdog within WAKE_LIMIT seconds. Compare with semaphore_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"
#include "waiting.h"

#define LIMIT 3

static void init(struct multiplex *m, unsigned limit)
{
    int err = mp_init(m, limit);

    ck_assert_msg(err == 0, "mp_init returned %d (%s), expected 0", err, strerror(err));
}

/*
 * A crowd of holder threads: each comes in, says so, waits inside at a gate, goes out, and says
 * so. Each opening of the gate lets one holder out, in the order they came in.
 */
struct crowd;

struct holder {
    pthread_t thread;
    struct crowd *c;
    int rc_enter, rc_leave;
};

struct crowd {
    struct multiplex m;
    struct count entered, gate, left;
    atomic_int tickets; /* holders that have come in so far */
    struct holder holders[2 * LIMIT];
    int n;
};

static void *hold(void *arg)
{
    struct holder *h = arg;
    int mine;

    h->rc_enter = mp_enter(&h->c->m);
    count_up(&h->c->entered);
    mine = atomic_fetch_add(&h->c->tickets, 1) + 1;
    count_wait(&h->c->gate, mine, TEST_TIMEOUT);
    h->rc_leave = mp_leave(&h->c->m);
    count_up(&h->c->left);
    return NULL;
}

static void crowd_start(struct crowd *c, int n)
{
    count_init(&c->entered);
    count_init(&c->gate);
    count_init(&c->left);
    atomic_init(&c->tickets, 0);
    c->n = n;
    for (int i = 0; i < n; i++) {
        c->holders[i] = (struct holder){.c = c};
        PCHECK(pthread_create(&c->holders[i].thread, NULL, hold, &c->holders[i]));
    }
}

/* Open the gate for everyone and wait for all to leave. */
static void crowd_finish(struct crowd *c)
{
    for (int i = 0; i < c->n; i++)
        count_up(&c->gate);
    ck_assert_msg(count_wait(&c->left, c->n, WAKE_LIMIT) == c->n,
                  "%d of %d threads never got in and out: a lost wake-up in mp_leave?",
                  c->n - count_wait(&c->left, c->n, 0), c->n);
    for (int i = 0; i < c->n; i++) {
        PCHECK(pthread_join(c->holders[i].thread, NULL));
        ck_assert_msg(c->holders[i].rc_enter == 0 && c->holders[i].rc_leave == 0,
                      "mp_enter returned %d, mp_leave %d", c->holders[i].rc_enter,
                      c->holders[i].rc_leave);
    }
}

static unsigned inside_of(struct multiplex *m)
{
    unsigned n;

    PCHECK(pthread_mutex_lock(&m->lock));
    n = m->inside;
    PCHECK(pthread_mutex_unlock(&m->lock));
    return n;
}

START_TEST(init_checks_the_limit)
{
    struct multiplex m;
    int err = mp_init(&m, 0);

    ck_assert_msg(err == EINVAL, "mp_init with limit 0 returned %d, expected EINVAL", err);
    init(&m, LIMIT);
    ck_assert_msg(m.limit == LIMIT && m.inside == 0, "a new multiplex: limit %u, inside %u",
                  m.limit, m.inside);
    mp_destroy(&m);
}
END_TEST

START_TEST(one_thread_enters_up_to_the_limit)
{
    struct multiplex m;
    struct watchdog w;

    init(&m, LIMIT);
    watchdog_start(&w, WAKE_LIMIT, "one thread entering a multiplex of 3 three times blocked");
    for (unsigned i = 1; i <= LIMIT; i++) {
        ck_assert_int_eq(mp_enter(&m), 0);
        ck_assert_msg(inside_of(&m) == i, "after %u entries, inside is %u", i, inside_of(&m));
    }
    watchdog_stop(&w);
    for (unsigned i = LIMIT; i > 0; i--)
        ck_assert_int_eq(mp_leave(&m), 0);
    ck_assert_msg(mp_leave(&m) == EPERM, "a leave with nobody inside must return EPERM");
    ck_assert_msg(inside_of(&m) == 0, "a refused leave changed inside to %u", inside_of(&m));
    mp_destroy(&m);
}
END_TEST

START_TEST(admits_limit_threads_at_once)
{
    static struct crowd c;
    int n;

    init(&c.m, LIMIT);
    crowd_start(&c, LIMIT);
    n = count_wait(&c.entered, LIMIT, WAKE_LIMIT);
    ck_assert_msg(n == LIMIT, "only %d of %d threads got in at once: the multiplex must admit %d",
                  n, LIMIT, LIMIT);
    ck_assert_uint_eq(inside_of(&c.m), LIMIT);
    crowd_finish(&c);
    mp_destroy(&c.m);
}
END_TEST

/* Lets one holder out after `after` seconds, saying first that it did; then watches the knocker. */
struct doorman {
    pthread_t thread;
    struct crowd *c;
    double after;
    bool wake_first; /* before that, broadcast `room` with nothing changed */
    struct count opened, knocker_in;
};

static void *open_later(void *arg)
{
    struct doorman *d = arg;

    if (d->wake_first) {
        pause_for(d->after / 4);
        PCHECK(pthread_mutex_lock(&d->c->m.lock));
        PCHECK(pthread_cond_broadcast(&d->c->m.room)); /* a spurious wake-up */
        PCHECK(pthread_mutex_unlock(&d->c->m.lock));
    }
    pause_for(d->after);
    count_up(&d->opened);
    count_up(&d->c->gate);
    if (count_wait(&d->knocker_in, 1, WAKE_LIMIT) < 1)
        ck_abort_msg("lost wake-up: %.0f s after a thread left, the thread waiting in mp_enter "
                     "still waits (does mp_leave wake it?)",
                     WAKE_LIMIT);
    return NULL;
}

/* With LIMIT holders inside, the test thread knocks; it must get in only after one leaves. */
static void knock(bool wake_first)
{
    static struct crowd c;
    static struct doorman d;
    int opened, rc;

    init(&c.m, LIMIT);
    crowd_start(&c, LIMIT);
    ck_assert_msg(count_wait(&c.entered, LIMIT, WAKE_LIMIT) == LIMIT, "the first %d did not get in",
                  LIMIT);
    d = (struct doorman){.c = &c, .after = MUST_WAIT, .wake_first = wake_first};
    count_init(&d.opened);
    count_init(&d.knocker_in);
    PCHECK(pthread_create(&d.thread, NULL, open_later, &d));

    rc = mp_enter(&c.m);
    opened = count_wait(&d.opened, 1, 0);
    count_up(&d.knocker_in);
    ck_assert_msg(rc == 0, "mp_enter returned %d", rc);
    ck_assert_msg(opened == 1,
                  wake_first ? "mp_enter let a thread in after a wake-up with %d still inside: "
                               "wait in a while loop, not under an if"
                             : "mp_enter let a thread in while %d were inside",
                  LIMIT);
    ck_assert_msg(count_wait(&c.left, 1, WAKE_LIMIT) == 1, "the holder let out never left");
    ck_assert_msg(inside_of(&c.m) == LIMIT, "%u inside, expected %d", inside_of(&c.m), LIMIT);
    PCHECK(pthread_join(d.thread, NULL));
    ck_assert_int_eq(mp_leave(&c.m), 0);
    crowd_finish(&c);
    mp_destroy(&c.m);
}

START_TEST(the_next_thread_waits_for_a_leave)
{
    knock(false);
}
END_TEST

START_TEST(a_wakeup_with_no_room_lets_nobody_in)
{
    knock(true);
}
END_TEST

START_TEST(waiting_uses_no_cpu)
{
    static struct crowd c;
    double before, used;

    init(&c.m, 1);
    crowd_start(&c, 2); /* one gets in; the other waits at the door */
    ck_assert_msg(count_wait(&c.entered, 1, WAKE_LIMIT) == 1, "nobody got in");
    pause_for(SETTLE);
    before = cpu_seconds();
    pause_for(2 * MUST_WAIT);
    used = cpu_seconds() - before;
    ck_assert_msg(count_wait(&c.entered, 2, 0) == 1, "2 threads got into a multiplex of 1");
    ck_assert_msg(used < 0.05 * 2 * MUST_WAIT,
                  "the process used %.0f ms of CPU in %.0f ms while one thread waited in "
                  "mp_enter: wait on the condition variable, not in a loop",
                  used * 1e3, 2 * MUST_WAIT * 1e3);
    crowd_finish(&c);
    mp_destroy(&c.m);
}
END_TEST

/* ---- many threads, many rounds ---- */

enum { THREADS = 8, ROUNDS = 2000 };
#define BUSY_SECONDS                                                                               \
    2.0 /* the threads stop early after this long: a slow run checks fewer rounds */

struct race {
    struct multiplex m;
    struct gate start;
    atomic_int inside, most;
    atomic_long rounds; /* rounds done by all threads, for the watch on progress */
    atomic_bool stop;
    struct count done;
    int bad_rc;
};

static void *race_in_and_out(void *arg)
{
    struct race *r = arg;

    gate_pass(&r->start);
    for (int i = 0; i < ROUNDS && !atomic_load(&r->stop); i++) {
        int now, most, rc;

        if ((rc = mp_enter(&r->m)) != 0) {
            r->bad_rc = rc;
            break;
        }
        now = atomic_fetch_add(&r->inside, 1) + 1;
        most = atomic_load(&r->most);
        while (now > most && !atomic_compare_exchange_weak(&r->most, &most, now))
            ;
        sched_yield(); /* stay inside a moment, so that others pile up */
        atomic_fetch_sub(&r->inside, 1);
        if ((rc = mp_leave(&r->m)) != 0) {
            r->bad_rc = rc;
            break;
        }
        atomic_fetch_add(&r->rounds, 1);
    }
    count_up(&r->done);
    return NULL;
}

START_TEST(many_threads_never_more_than_the_limit)
{
    static struct race r;
    pthread_t threads[THREADS];
    long rounds = 0;

    init(&r.m, LIMIT);
    count_init(&r.done);
    gate_init(&r.start);
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_create(&threads[i], NULL, race_in_and_out, &r));
    gate_open(&r.start, THREADS);
    if (count_wait(&r.done, THREADS, BUSY_SECONDS) < THREADS)
        atomic_store(&r.stop, true);
    while (count_wait(&r.done, THREADS, WAKE_LIMIT) < THREADS) {
        long now = atomic_load(&r.rounds);

        ck_assert_msg(now != rounds,
                      "nobody got in or out for %.0f s, after %ld of %d rounds: a lost wake-up (a "
                      "thread waiting in mp_enter that nobody woke), or a deadlock",
                      WAKE_LIMIT, now, THREADS * ROUNDS);
        rounds = now;
    }
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    ck_assert_msg(r.bad_rc == 0, "mp_enter or mp_leave returned %d", r.bad_rc);
    ck_assert_msg(atomic_load(&r.most) <= LIMIT, "%d threads were inside at once; the limit is %d",
                  atomic_load(&r.most), LIMIT);
    ck_assert_msg(inside_of(&r.m) == 0, "everybody left, but inside is %u", inside_of(&r.m));
    gate_destroy(&r.start);
    mp_destroy(&r.m);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 4 exercises");
    TCase *tc = test_case(s, "multiplex");

    tcase_add_test(tc, init_checks_the_limit);
    tcase_add_test(tc, one_thread_enters_up_to_the_limit);
    tcase_add_test(tc, admits_limit_threads_at_once);
    tcase_add_test(tc, the_next_thread_waits_for_a_leave);
    tcase_add_test(tc, a_wakeup_with_no_room_lets_nobody_in);
    tcase_add_test(tc, waiting_uses_no_cpu);
    tcase_add_test(tc, many_threads_never_more_than_the_limit);
    return s;
}
