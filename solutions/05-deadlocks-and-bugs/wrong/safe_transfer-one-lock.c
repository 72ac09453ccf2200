/* wrong: locks only the account with the smaller id, and writes the other one unlocked. */
/*
 * safe_transfer-one-lock.c: "one lock at a time cannot deadlock", true, but the other account's
 * balance is then written without its lock, while another transfer may be writing it too.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    struct account *first = from->id < to->id ? from : to;
    bool moved = false;

    PCHECK(account_lock(first)); /* the bug: the other account is never locked */
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
        moved = true;
    }
    PCHECK(account_unlock(first));
    return moved;
}
