/* wrong: locks `from` then `to`, in argument order: two opposite transfers deadlock. */
/*
 * safe_transfer-argument-order.c: transfer_deadlock.c's order, with the case from == to handled.
 * Thread 1 (A to B) holds A and waits for B; thread 2 (B to A) holds B and waits for A.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    bool moved = false;

    PCHECK(account_lock(from));
    if (to != from)
        PCHECK(account_lock(to));
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
        moved = true;
    }
    if (to != from)
        PCHECK(account_unlock(to));
    PCHECK(account_unlock(from));
    return moved;
}
