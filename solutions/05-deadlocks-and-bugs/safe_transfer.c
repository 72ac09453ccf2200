/*
 * safe_transfer.c: solution: lock the two accounts in the order of their ids, and each only once.
 *
 * Chapter 5, exercise safe_transfer.c, as chapters/05-deadlocks-and-bugs/transfer_ordered.c. Every
 * transfer takes the account with the smaller id first, whichever way the money goes, so no thread
 * can hold a higher account while it waits for a lower one: no cycle of waits can form. From an
 * account to itself, the one lock is taken once. The balance is checked under the locks, so no
 * other transfer can change it between the check and the move.
 */
#define _POSIX_C_SOURCE 200809L
#include "errors.h"
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    struct account *first = from->id < to->id ? from : to;
    struct account *second = first == from ? to : from; /* == first when from == to */
    bool moved = false;

    PCHECK(account_lock(first));
    if (second != first)
        PCHECK(account_lock(second));
    if (from->balance >= amount) {
        from->balance -= amount; /* from == to: these two lines cancel out */
        to->balance += amount;
        moved = true;
    }
    if (second != first)
        PCHECK(account_unlock(second));
    PCHECK(account_unlock(first));
    return moved;
}
