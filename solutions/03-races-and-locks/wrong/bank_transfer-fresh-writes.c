/* wrong: no lock; the writes read the balances again after the wait, so nothing is overwritten, but
 * the check before the wait goes stale. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"
#include "sync.h"
#include "task.h"

struct transfer_task {
    struct task task; /* first, so that a struct task * is also a struct transfer_task * */
    struct bank *bank;
    struct transfer *transfer;
    long new_from, new_to; /* worked out before the wait */
};

static enum task_state transfer_step(struct task *t)
{
    struct transfer_task *tt = (struct transfer_task *)t;
    struct transfer *tr = tt->transfer;
    long *balances = tt->bank->balances;

    TASK_BEGIN(t);
    tr->applied = balances[tr->from] >= tr->amount;
    TASK_SLEEP(t, tr->io_seconds);
    if (tr->applied) {
        balances[tr->from] -= tr->amount; /* up to date: "no lost update any more" */
        balances[tr->to] += tr->amount;
    }
    TASK_END(t);
}

int run_transfers(struct loop *loop, struct bank *bank, struct transfer transfers[], size_t n)
{
    struct transfer_task *tasks;
    struct task **all;
    int rc, saved;

    if (n == 0)
        return 0;
    tasks = calloc(n, sizeof *tasks);
    all = calloc(n, sizeof *all);
    if (tasks == NULL || all == NULL) {
        free(tasks);
        free(all);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        tasks[i].bank = bank;
        tasks[i].transfer = &transfers[i];
        task_init(&tasks[i].task, NULL, transfer_step);
        all[i] = &tasks[i].task;
    }
    rc = task_run_all(loop, all, n);
    saved = errno;
    free(tasks);
    free(all);
    errno = saved;
    return rc;
}
