/*
 * bank_lock_loop.c: the same transfers holding asyncio's Lock from the read to the write: no loss.
 *
 * Chapter 3. bank_race_loop.c with one change: a transfer takes the bank's async lock before it
 * reads the balances and releases it after writing them (Python: `async with lock:`). Another
 * transfer that wants the lock meanwhile waits its turn, so each one reads what the previous one
 * wrote: round 1 ends where it started, and round 2 refuses the second 80. The price: the waits no
 * longer overlap (round 1 takes 3 s, not 1). Compare with bank_race_loop.c, and with
 * counter_mutex.c, the same idea for threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define OPENING 100 /* every account's balance at the start of a round */
#define MAX_TRANSFERS 3

static struct demo demo;

enum { ALICE, BOB, CAROL, ACCOUNTS };
static const char *const names[ACCOUNTS] = {"alice", "bob", "carol"};
static long balance[ACCOUNTS];
/* Each transfer holds it from its read to its write. */
static struct async_lock bank_lock = ASYNC_LOCK_INIT;

struct transfer_task {
    struct task task; /* first, so that a struct task * is also a struct transfer_task * */
    int from, to;
    long amount;
    double log_seconds;    /* how long the bank takes to log it */
    long new_from, new_to; /* worked out before the wait, written after it */
    char label[32];        /* "alice -> bob 50", for its lines */
    char name[16];         /* "a->b 50", its row in the timeline (-t) */
};

static enum task_state transfer(struct task *t)
{
    struct transfer_task *tr = (struct transfer_task *)t;

    TASK_BEGIN(t);
    ASYNC_LOCK(t, &bank_lock); /* wait here while another transfer holds it */
    if (balance[tr->from] < tr->amount) {
        say(t->name, "%s: reads %s %ld: not enough, refused", tr->label, names[tr->from],
            balance[tr->from]);
        async_lock_release(&bank_lock);
        TASK_RETURN(t, NULL);
    }
    tr->new_from = balance[tr->from] - tr->amount;
    tr->new_to = balance[tr->to] + tr->amount;
    say(t->name, "%s: reads %s %ld, %s %ld; logs %s %ld, %s %ld", tr->label, names[tr->from],
        balance[tr->from], names[tr->to], balance[tr->to], names[tr->from], tr->new_from,
        names[tr->to], tr->new_to);
    TASK_SLEEP(t, demo_seconds(&demo, tr->log_seconds)); /* others run, but not past the lock */
    balance[tr->from] = tr->new_from;
    balance[tr->to] = tr->new_to;
    say(t->name, "%s: writes %s %ld, %s %ld", tr->label, names[tr->from], tr->new_from,
        names[tr->to], tr->new_to);
    async_lock_release(&bank_lock); /* the next waiting transfer goes on, holding it */
    TASK_END(t);
}

/*
 * Open every account with OPENING, run the n transfers at once, and say what is left. The round's
 * lines go on a row of their own in the timeline, and the total on the bank's.
 */
static void round_of(struct loop *loop, int number, const char *what, struct transfer_task trs[],
                     size_t n)
{
    struct task *all[MAX_TRANSFERS];
    long total = 0, should = ACCOUNTS * OPENING;
    char row[16];

    if (n > MAX_TRANSFERS)
        die_msg("round_of: %zu transfers, at most %d", n, MAX_TRANSFERS);
    snprintf(row, sizeof row, "round %d", number);
    say(row, "round %d: %s", number, what);
    for (int i = 0; i < ACCOUNTS; i++)
        balance[i] = OPENING;
    for (size_t i = 0; i < n; i++) {
        snprintf(trs[i].label, sizeof trs[i].label, "%s -> %s %ld", names[trs[i].from],
                 names[trs[i].to], trs[i].amount);
        snprintf(trs[i].name, sizeof trs[i].name, "%c->%c %ld", names[trs[i].from][0],
                 names[trs[i].to][0], trs[i].amount);
        task_init(&trs[i].task, trs[i].name, transfer);
        all[i] = &trs[i].task;
    }
    if (task_run_all(loop, all, n) == -1)
        die_errno("task_run_all");
    for (int i = 0; i < ACCOUNTS; i++)
        total += balance[i];
    say(row, "balances: alice %ld, bob %ld, carol %ld", balance[ALICE], balance[BOB],
        balance[CAROL]);
    if (total == should)
        say("bank", "total: %ld, should be %ld: nothing lost, nothing created", total, should);
    else
        say("bank", "total: %ld, should be %ld: %ld %s", total, should,
            total < should ? should - total : total - should, total < should ? "lost" : "created");
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct transfer_task circle[] = {
        {.from = ALICE, .to = BOB, .amount = 50, .log_seconds = 1},
        {.from = BOB, .to = CAROL, .amount = 50, .log_seconds = 1},
        {.from = CAROL, .to = ALICE, .amount = 50, .log_seconds = 1},
    };
    struct transfer_task twice[] = {
        {.from = ALICE, .to = BOB, .amount = 80, .log_seconds = 1},
        {.from = ALICE, .to = CAROL, .amount = 80, .log_seconds = 1},
    };

    demo_init(&demo, argc, argv,
              "The same transfers, each holding an async lock from its read to its write:\n"
              "nothing is lost or created, and the waits no longer overlap.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    round_of(loop, 1, "alice, bob and carol pass 50 around a circle", circle,
             sizeof circle / sizeof circle[0]);
    round_of(loop, 2, "alice sends 80 to bob and 80 to carol", twice,
             sizeof twice / sizeof twice[0]);
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
