/* wrong: checks the balance before taking the locks, so two transfers can both pass the check. */
/*
 * safe_transfer-check-outside.c: the reference's lock order, but the balance is checked first and
 * the money moved later, under the locks. Between the two, another transfer out of the same
 * account can pass the same check: two withdrawals of 60 from 100 both go through.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    struct account *first = from->id < to->id ? from : to;
    struct account *second = first == from ? to : from;

    if (from->balance < amount) /* the bug: checked without the lock */
        return false;
    PCHECK(account_lock(first));
    if (second != first)
        PCHECK(account_lock(second));
    from->balance -= amount;
    to->balance += amount;
    if (second != first)
        PCHECK(account_unlock(second));
    PCHECK(account_unlock(first));
    return true;
}
