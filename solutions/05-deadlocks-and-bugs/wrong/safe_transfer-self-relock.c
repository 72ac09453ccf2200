/* wrong: orders the locks by id, but locks the same account twice when from == to. */
/*
 * safe_transfer-self-relock.c: the reference, without its care for from == to. A transfer from an
 * account to itself locks its mutex, then locks it again: a default mutex waits for ever (the
 * thread waits for itself), and the tests' error-checking one says EDEADLK.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    struct account *first = from->id < to->id ? from : to;
    struct account *second = first == from ? to : from;
    bool moved = false;

    account_lock(first);
    account_lock(second); /* the bug: the same account again when from == to */
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
        moved = true;
    }
    account_unlock(second);
    account_unlock(first);
    return moved;
}
