/*
 * safe_transfer.c: exercise: make a bank transfer that deadlocks safe, with the accounts' own
 * locks.
 *
 * Chapter 5. This transfer() is transfer_deadlock.c's: it locks `from`, then `to`. Two threads
 * moving money in opposite directions can each hold one lock and wait for the other's, for ever;
 * and a transfer from an account to itself locks the same mutex twice. Fix it, as
 * chapters/05-deadlocks-and-bugs/transfer_ordered.c or transfer_trylock.c do.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    bool moved = false;

    /*
     * TODO: this deadlocks. Lock the two accounts so that no two transfers can ever wait for each
     * other, mind from == to, and keep the check of the balance under the locks.
     */
    account_lock(from);
    account_lock(to);
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
        moved = true;
    }
    account_unlock(to);
    account_unlock(from);
    return moved;
}
