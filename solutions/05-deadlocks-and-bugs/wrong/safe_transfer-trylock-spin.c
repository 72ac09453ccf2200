/* wrong: retries trylock on the second account without letting go of the first: a livelock. */
/*
 * safe_transfer-trylock-spin.c: half of transfer_trylock.c. It tries the second lock, and on EBUSY
 * tries again, and again, still holding the first. Two opposite transfers each hold what the other
 * tries for: no thread blocks, and none gets anywhere. Backing off means letting go.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

bool transfer(struct account *from, struct account *to, long amount)
{
    bool moved = false;
    int err;

    PCHECK(account_lock(from));
    if (to != from) {
        while ((err = account_trylock(to)) == EBUSY)
            continue; /* the bug: still holding `from` */
        if (err != 0)
            die_errnum(err, "account_trylock");
    }
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
