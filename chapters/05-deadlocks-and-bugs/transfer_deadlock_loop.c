/*
 * transfer_deadlock_loop.c: BUG DEMONSTRATION: the same deadlock on one thread, with async locks.
 *
 * Chapter 5. transfer_deadlock.c on the event loop: task 1 moves money from A to B, task 2 from B
 * to A, each taking the lock of the account it takes money from first, as in
 *     async def transfer(source, target):
 *         async with source.lock:
 *             await asyncio.sleep(0)
 *             async with target.lock: ...
 * The sleep(0) plays the barrier: task 1 steps aside holding A, task 2 takes B, and then each
 * waits for the other's lock. One thread, no preemption, and still a deadlock: all it takes is a
 * wait while holding a lock. Here asyncio.run() would hang; task_run_all() returns -1 with errno
 * EDEADLK, because the loop is left with nothing to run, no timer and no descriptor to watch.
 * The program then reports who holds what and exits with DEADLOCK_STATUS, as the threaded one
 * does. The fix: transfer_ordered_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "sync.h"
#include "task.h"
#include "timeline.h"

#define AMOUNT 10
#define DEADLOCK_STATUS 3 /* the exit status that says "deadlock found", as transfer_deadlock.c */

struct account {
    const char *name;
    long balance;
    struct async_lock lock;
};

struct transfer_task {
    struct task task;
    struct account *from, *to;
    struct account *holds, *wants; /* what the report says: asyncio's locks have no owner */
};

static struct demo demo;

static enum task_state transfer(struct task *t)
{
    struct transfer_task *tr = (struct transfer_task *)t;

    TASK_BEGIN(t);
    say(t->name, "%s: asks for %s", t->name, tr->from->name);
    ASYNC_LOCK(t, &tr->from->lock);
    tr->holds = tr->from;
    say(t->name, "%s: locked %s", t->name, tr->from->name);
    TASK_SLEEP(t, 0); /* the other task runs now, and takes its first lock */
    say(t->name, "%s: asks for %s", t->name, tr->to->name);
    tr->wants = tr->to;
    ASYNC_LOCK(t, &tr->to->lock); /* the other task holds it, and waits for ours */
    tr->wants = NULL;
    tr->from->balance -= AMOUNT;
    tr->to->balance += AMOUNT;
    async_lock_release(&tr->to->lock);
    async_lock_release(&tr->from->lock);
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct loop *loop;
    struct account a = {"A", 100, ASYNC_LOCK_INIT}, b = {"B", 100, ASYNC_LOCK_INIT};
    struct transfer_task transfers[] = {{.from = &a, .to = &b}, {.from = &b, .to = &a}};
    struct task *const both[] = {&transfers[0].task, &transfers[1].task};

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: two opposite transfers deadlock on the event loop; the loop\n"
              "runs out of things to wait for, reports EDEADLK, and the program exits with 3.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    task_init(&transfers[0].task, "task 1", transfer);
    task_init(&transfers[1].task, "task 2", transfer);
    if (task_run_all(loop, both, 2) == 0) {
        say("main", "A: %ld, B: %ld", a.balance, b.balance);
        loop_free(loop);
        demo_finish(&demo);
        return 0;
    }
    if (errno != EDEADLK)
        die_errno("task_run_all");
    say("main", "task_run_all: -1, errno EDEADLK (%s): the loop has nothing left to wait for",
        strerror(EDEADLK));
    for (size_t i = 0; i < 2; i++) {
        if (!task_done(both[i]) && transfers[i].wants != NULL)
            say("main", "%s holds %s and waits for %s", both[i]->name, transfers[i].holds->name,
                transfers[i].wants->name);
    }
    say("main", "exiting with status %d instead of hanging", DEADLOCK_STATUS);
    loop_free(loop);
    demo_finish(&demo);
    return DEADLOCK_STATUS;
}
