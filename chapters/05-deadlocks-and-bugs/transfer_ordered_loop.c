/*
 * transfer_ordered_loop.c: the loop's deadlock fixed the same way: both tasks lock in one order.
 *
 * Chapter 5. transfer_deadlock_loop.c with one change: transfer() takes the lock of the account
 * with the smaller id first, whichever way the money goes. Task 1 takes A and steps aside; task 2
 * now asks for A too and waits, holding nothing; task 1 takes B, moves the money, and lets go of
 * both; async_lock_release hands A straight to task 2, which then takes B. The order of every line
 * is fixed, as always on the loop. Compare with transfer_ordered.c, the same fix with threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define AMOUNT 10

struct account {
    int id; /* the global order: lower ids are locked first */
    const char *name;
    long balance;
    struct async_lock lock;
};

struct transfer_task {
    struct task task;
    struct account *from, *to;
    struct account *first, *second; /* from and to, in lock order */
};

static struct demo demo;

static enum task_state transfer(struct task *t)
{
    struct transfer_task *tr = (struct transfer_task *)t;

    TASK_BEGIN(t);
    tr->first = tr->from->id < tr->to->id ? tr->from : tr->to;
    tr->second = tr->first == tr->from ? tr->to : tr->from;
    say(t->name, "%s: asks for %s", t->name, tr->first->name);
    ASYNC_LOCK(t, &tr->first->lock);
    say(t->name, "%s: locked %s", t->name, tr->first->name);
    TASK_SLEEP(t, 0); /* the other task runs now */
    say(t->name, "%s: asks for %s", t->name, tr->second->name);
    ASYNC_LOCK(t, &tr->second->lock);
    say(t->name, "%s: locked %s", t->name, tr->second->name);
    tr->from->balance -= AMOUNT;
    tr->to->balance += AMOUNT;
    say(t->name, "%s: moved %d from %s to %s", t->name, AMOUNT, tr->from->name, tr->to->name);
    async_lock_release(&tr->second->lock);
    async_lock_release(&tr->first->lock);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct account a = {1, "A", 100, ASYNC_LOCK_INIT}, b = {2, "B", 100, ASYNC_LOCK_INIT};
    struct transfer_task transfers[] = {{.from = &a, .to = &b}, {.from = &b, .to = &a}};
    struct task *const both[] = {&transfers[0].task, &transfers[1].task};

    demo_init(&demo, argc, argv,
              "The loop's deadlock fixed by lock order: two opposite transfers, both tasks\n"
              "locking the account with the smaller id first. Finishes; balances conserved.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&transfers[0].task, "task 1", transfer);
    task_init(&transfers[1].task, "task 2", transfer);
    if (task_run_all(loop, both, 2) == -1)
        die_errno("task_run_all");
    say("main", "A: %ld, B: %ld, total %ld", a.balance, b.balance, a.balance + b.balance);
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
