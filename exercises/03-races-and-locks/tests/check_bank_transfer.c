/*
 * check_bank_transfer.c: tests of run_transfers(): transfers that wait in the middle, on a fake
 * clock.
 *
 * Chapter 3, exercise bank_transfer.c. The tests choose every interleaving through the waits: equal
 * waits (the transfers go on in the order they started), reversed ones (the last to start goes on
 * first), waits of 0 (still a wait: the others run), and random ones. Whatever the schedule, the
 * outcome must be one that some serial order of the transfers gives: the tests try every order of
 * the small scenarios, and for the large ones check that no money was created or lost, that no
 * balance went below 0, and that the balances match the transfers marked applied. On the loop all
 * of this is deterministic: a test that passes once passes every time. Compare with
 * chapters/03-races-and-locks/bank_race_loop.c and bank_lock_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 1000 /* the fake clock's reading when a test starts */
#define MAX_ACCOUNTS 8
#define MAX_SMALL 6 /* transfers in a scenario whose every serial order is tried (720 orders) */
#define MAX_TRANSFERS 400
#define SMALL_SCENARIOS 200

static const char *const names[MAX_ACCOUNTS] = {"alice", "bob",  "carol", "dave",
                                                "erin",  "fred", "gina",  "hugo"};

/* One scenario: opening balances, transfers, and what run_transfers left behind. */
struct scenario {
    size_t naccounts, n;
    long opening[MAX_ACCOUNTS];
    long balances[MAX_ACCOUNTS];
    struct transfer transfers[MAX_TRANSFERS];
    double elapsed;
};

static char text[4096];

/* The scenario as text, for failure messages: the transfers, then the balances before and after. */
static const char *describe(const struct scenario *sc)
{
    size_t used = 0;

    used += (size_t)snprintf(text + used, sizeof text - used, "\n    transfers:");
    for (size_t i = 0; i < sc->n && i < MAX_SMALL && used < sizeof text; i++) {
        const struct transfer *tr = &sc->transfers[i];

        used += (size_t)snprintf(text + used, sizeof text - used, " [%s -> %s %ld, wait %g s: %s]",
                                 names[tr->from], names[tr->to], tr->amount, tr->io_seconds,
                                 tr->applied ? "applied" : "refused");
    }
    if (sc->n > MAX_SMALL && used < sizeof text)
        used += (size_t)snprintf(text + used, sizeof text - used, " ... (%zu in all)", sc->n);
    for (size_t a = 0; a < sc->naccounts && used < sizeof text; a++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s %s %ld -> %ld",
                                 a == 0 ? "\n    balances:" : ",", names[a], sc->opening[a],
                                 sc->balances[a]);
    return text;
}

/* Run the scenario's transfers on a new loop with a fake clock; check what every run must do. */
static void run(struct scenario *sc)
{
    struct fake_clock clock = {.now_ns = START_SECONDS * NSEC_PER_SEC};
    struct loop *loop = loop_new();
    struct bank bank = {.balances = sc->balances, .naccounts = sc->naccounts};
    double longest = 0; /* the longest wait of a transfer that moved money */
    int rc;

    ck_assert_msg(loop != NULL, "loop_new: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock);
    memcpy(sc->balances, sc->opening, sizeof sc->balances);
    for (size_t i = 0; i < sc->n; i++) {
        sc->transfers[i].applied = !(i % 2); /* garbage: run_transfers must set every one */
    }
    errno = 0;
    rc = run_transfers(loop, &bank, sc->transfers, sc->n);
    ck_assert_msg(rc == 0,
                  "run_transfers returned %d (errno %d: %s), expected 0; EDEADLK means tasks were "
                  "still waiting when nothing could wake them: a lock never released?%s",
                  rc, errno, strerror(errno), describe(sc));
    sc->elapsed = loop_time(loop) - START_SECONDS;
    ck_assert_msg(!async_lock_locked(&bank.lock), "bank->lock is still held after run_transfers%s",
                  describe(sc));
    ck_assert_msg(loop_poll_timeout_ns(loop) == -1,
                  "run_transfers left a callback or a timer on the loop%s", describe(sc));
    for (size_t i = 0; i < sc->n; i++) {
        if (sc->transfers[i].applied && sc->transfers[i].io_seconds > longest)
            longest = sc->transfers[i].io_seconds;
    }
    ck_assert_msg(sc->elapsed >= longest - 1e-6,
                  "the clock moved %.3f s, but a transfer that moved money waits %.3f s: each "
                  "waits its io_seconds before its money moves%s",
                  sc->elapsed, longest, describe(sc));
    loop_free(loop);
}

/* No money created or lost, none below 0, and the balances are what the applied transfers give. */
static void expect_consistent(const struct scenario *sc)
{
    long before = 0, after = 0, expected[MAX_ACCOUNTS];

    memcpy(expected, sc->opening, sizeof expected);
    for (size_t i = 0; i < sc->n; i++) {
        if (sc->transfers[i].applied) {
            expected[sc->transfers[i].from] -= sc->transfers[i].amount;
            expected[sc->transfers[i].to] += sc->transfers[i].amount;
        }
    }
    for (size_t a = 0; a < sc->naccounts; a++) {
        before += sc->opening[a];
        after += sc->balances[a];
    }
    ck_assert_msg(after == before, "the bank held %ld and now holds %ld: %ld %s%s", before, after,
                  after < before ? before - after : after - before,
                  after < before ? "lost" : "created", describe(sc));
    for (size_t a = 0; a < sc->naccounts; a++) {
        ck_assert_msg(sc->balances[a] >= 0, "%s's balance is %ld, below 0: a check went stale%s",
                      names[a], sc->balances[a], describe(sc));
        ck_assert_msg(sc->balances[a] == expected[a],
                      "%s holds %ld, but the transfers marked applied leave %ld: a write was "
                      "based on a balance read before another transfer changed it%s",
                      names[a], sc->balances[a], expected[a], describe(sc));
    }
}

/* Do the transfers one at a time in `order`; true if that gives sc's balances and applied flags. */
static bool serial_order_gives(const struct scenario *sc, const size_t order[])
{
    long b[MAX_ACCOUNTS];

    memcpy(b, sc->opening, sizeof b);
    for (size_t k = 0; k < sc->n; k++) {
        const struct transfer *tr = &sc->transfers[order[k]];
        bool enough = b[tr->from] >= tr->amount;

        if (enough != tr->applied)
            return false;
        if (enough) {
            b[tr->from] -= tr->amount;
            b[tr->to] += tr->amount;
        }
    }
    return memcmp(b, sc->balances, sc->naccounts * sizeof b[0]) == 0;
}

/* Try every order of the first k places onwards (Heap's algorithm, recursive). */
static bool some_order_gives(const struct scenario *sc, size_t order[], size_t k)
{
    if (k == sc->n)
        return serial_order_gives(sc, order);
    for (size_t i = k; i < sc->n; i++) {
        size_t tmp = order[k];
        bool found;

        order[k] = order[i];
        order[i] = tmp;
        found = some_order_gives(sc, order, k + 1);
        order[i] = order[k];
        order[k] = tmp;
        if (found)
            return true;
    }
    return false;
}

/* The outcome is one that doing the transfers one at a time, in some order, gives. */
static void expect_serializable(const struct scenario *sc)
{
    size_t order[MAX_SMALL];

    expect_consistent(sc);
    ck_assert_int_le(sc->n, MAX_SMALL);
    for (size_t i = 0; i < sc->n; i++)
        order[i] = i;
    ck_assert_msg(some_order_gives(sc, order, 0),
                  "no order of doing these transfers one at a time gives this outcome: a "
                  "transfer was applied (or refused) on a balance that had changed%s",
                  describe(sc));
}

static void add(struct scenario *sc, size_t from, size_t to, long amount, double io_seconds)
{
    ck_assert_uint_lt(sc->n, MAX_TRANSFERS);
    sc->transfers[sc->n++] =
        (struct transfer){.from = from, .to = to, .amount = amount, .io_seconds = io_seconds};
}

static void open_accounts(struct scenario *sc, size_t naccounts, long balance)
{
    memset(sc, 0, sizeof *sc);
    sc->naccounts = naccounts;
    for (size_t a = 0; a < naccounts; a++)
        sc->opening[a] = balance;
}

static void expect_all_applied(const struct scenario *sc)
{
    for (size_t i = 0; i < sc->n; i++)
        ck_assert_msg(sc->transfers[i].applied,
                      "transfer %zu (%s -> %s %ld) was refused, but every account could afford "
                      "every transfer in any order%s",
                      i, names[sc->transfers[i].from], names[sc->transfers[i].to],
                      sc->transfers[i].amount, describe(sc));
}

static struct scenario sc; /* large: static, not on the test's stack */

/* ---- three friends pass 50 around a circle: everyone ends where they began ---- */

static void circle(double wait1, double wait2, double wait3)
{
    open_accounts(&sc, 3, 100);
    add(&sc, 0, 1, 50, wait1);
    add(&sc, 1, 2, 50, wait2);
    add(&sc, 2, 0, 50, wait3);
    run(&sc);
    expect_all_applied(&sc);
    expect_serializable(&sc);
    for (size_t a = 0; a < 3; a++)
        ck_assert_msg(sc.balances[a] == 100, "%s holds %ld, expected 100%s", names[a],
                      sc.balances[a], describe(&sc));
}

START_TEST(circle_with_equal_waits)
{
    circle(1, 1, 1); /* they go on in the order they started */
}
END_TEST

START_TEST(circle_with_reversed_waits)
{
    circle(3, 2, 1); /* the last to start goes on first */
}
END_TEST

START_TEST(circle_with_zero_waits)
{
    circle(0, 0, 0); /* a wait of 0 s is still a wait: the others run in the middle */
}
END_TEST

START_TEST(circle_with_mixed_waits)
{
    circle(2, 0, 1);
    circle(0.5, 1.5, 0);
}
END_TEST

/* ---- one balance, more spending than it holds ---- */

START_TEST(double_spend_is_refused)
{
    /* alice holds 100 and sends 80 twice: exactly one must go through. */
    open_accounts(&sc, 3, 100);
    add(&sc, 0, 1, 80, 1);
    add(&sc, 0, 2, 80, 1);
    run(&sc);
    expect_serializable(&sc);
    ck_assert_msg(sc.transfers[0].applied != sc.transfers[1].applied,
                  "exactly one of alice's two transfers of 80 fits in her 100%s", describe(&sc));
    ck_assert_msg(sc.balances[0] == 20, "alice holds %ld, expected 20%s", sc.balances[0],
                  describe(&sc));
}
END_TEST

START_TEST(triple_spend_in_every_order_of_waits)
{
    static const double waits[][3] = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3},
                                      {2, 3, 1}, {3, 1, 2}, {3, 2, 1}};

    for (size_t w = 0; w < sizeof waits / sizeof waits[0]; w++) {
        size_t applied = 0;

        /* alice holds 100 and sends 40 three times: two fit, one does not. */
        open_accounts(&sc, 4, 100);
        for (size_t k = 0; k < 3; k++)
            add(&sc, 0, k + 1, 40, waits[w][k]);
        run(&sc);
        expect_serializable(&sc);
        for (size_t k = 0; k < 3; k++)
            applied += sc.transfers[k].applied;
        ck_assert_msg(applied == 2, "%zu of alice's three transfers of 40 applied, expected 2%s",
                      applied, describe(&sc));
    }
}
END_TEST

START_TEST(money_arriving_during_a_wait)
{
    /* bob holds 0; alice pays him 50, and he pays carol 50: in start order, both fit. */
    open_accounts(&sc, 3, 0);
    sc.opening[0] = 50;
    add(&sc, 0, 1, 50, 2);
    add(&sc, 1, 2, 50, 1);
    run(&sc);
    expect_serializable(&sc);
    /* bob pays alice 30 while alice pays bob 30, again and again. */
    open_accounts(&sc, 2, 30);
    for (int i = 0; i < MAX_SMALL; i++)
        add(&sc, (size_t)i % 2, (size_t)(i + 1) % 2, 30, (i % 3) * 0.5);
    run(&sc);
    expect_all_applied(&sc);
    expect_serializable(&sc);
}
END_TEST

/* ---- many transfers, and random ones ---- */

static unsigned long seed;

/* A small generator of our own, so that every machine runs the same scenarios. */
static unsigned long lcg(unsigned long bound)
{
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return (seed >> 33) % bound;
}

static void add_random(struct scenario *sc, long max_amount)
{
    static const double waits[] = {0, 0.25, 0.5, 1, 2};
    size_t from = lcg(sc->naccounts), to = (from + 1 + lcg(sc->naccounts - 1)) % sc->naccounts;

    add(sc, from, to, 1 + (long)lcg((unsigned long)max_amount),
        waits[lcg(sizeof waits / sizeof waits[0])]);
}

START_TEST(many_transfers_with_money_to_spare)
{
    seed = 1;
    open_accounts(&sc, MAX_ACCOUNTS, 1000000);
    for (int i = 0; i < MAX_TRANSFERS; i++)
        add_random(&sc, 1000);
    run(&sc);
    expect_all_applied(&sc);
    expect_consistent(&sc);
}
END_TEST

START_TEST(many_transfers_short_of_money)
{
    size_t refused = 0;

    seed = 2;
    open_accounts(&sc, 5, 100);
    for (int i = 0; i < MAX_TRANSFERS; i++)
        add_random(&sc, 60);
    run(&sc);
    expect_consistent(&sc);
    for (size_t i = 0; i < sc.n; i++)
        refused += !sc.transfers[i].applied;
    ck_assert_msg(refused > 0 && refused < sc.n, "%zu of %zu transfers refused%s", refused, sc.n,
                  describe(&sc));
}
END_TEST

START_TEST(random_small_scenarios_are_serializable)
{
    for (unsigned long k = 0; k < SMALL_SCENARIOS; k++) {
        size_t naccounts, n;

        seed = 1000 + k;
        naccounts = 2 + lcg(3);
        n = 2 + lcg(MAX_SMALL - 1);

        open_accounts(&sc, naccounts, 0);
        for (size_t a = 0; a < naccounts; a++)
            sc.opening[a] = (long)lcg(120);
        for (size_t i = 0; i < n; i++)
            add_random(&sc, 80);
        run(&sc);
        expect_serializable(&sc);
    }
}
END_TEST

START_TEST(no_transfers)
{
    open_accounts(&sc, 2, 7);
    run(&sc);
    ck_assert_msg(sc.balances[0] == 7 && sc.balances[1] == 7, "no transfer, yet balances changed%s",
                  describe(&sc));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 3 exercises");
    TCase *tc = test_case(s, "bank_transfer");

    tcase_add_test(tc, circle_with_equal_waits);
    tcase_add_test(tc, circle_with_reversed_waits);
    tcase_add_test(tc, circle_with_zero_waits);
    tcase_add_test(tc, circle_with_mixed_waits);
    tcase_add_test(tc, double_spend_is_refused);
    tcase_add_test(tc, triple_spend_in_every_order_of_waits);
    tcase_add_test(tc, money_arriving_during_a_wait);
    tcase_add_test(tc, many_transfers_with_money_to_spare);
    tcase_add_test(tc, many_transfers_short_of_money);
    tcase_add_test(tc, random_small_scenarios_are_serializable);
    tcase_add_test(tc, no_transfers);
    return s;
}
