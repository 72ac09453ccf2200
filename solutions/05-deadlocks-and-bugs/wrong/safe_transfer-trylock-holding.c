/* wrong: retries trylock on the second account, pausing, but never lets go of the first. */
/*
 * safe_transfer-trylock-holding.c: half of transfer_trylock.c. It tries the second lock, and on
 * EBUSY pauses and tries again, and again, still holding the first. Two opposite transfers each
 * hold what the other tries for: neither blocks in a lock, and neither gets anywhere. Backing off
 * means letting go.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "clock.h"
#include "errors.h"
#include "exercises.h"

#define RETRY_SECONDS 0.001

bool transfer(struct account *from, struct account *to, long amount)
{
    bool moved = false;
    int err;

    PCHECK(account_lock(from));
    if (to != from) {
        while ((err = account_trylock(to)) == EBUSY) {
            if (sleep_seconds(RETRY_SECONDS) == -1) /* the bug: still holding `from` */
                die_errno("nanosleep");
        }
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
