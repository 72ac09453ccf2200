/* wrong: one lock of its own around every transfer: no deadlock, but no two transfers at once. */
/*
 * safe_transfer-one-big-lock.c: a global mutex around the whole transfer. It cannot deadlock, and
 * it loses no money, but it is not what was asked: transfers between four different accounts now
 * wait for each other, and the lock the threads wait on is one no account knows about.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

static pthread_mutex_t bank = PTHREAD_MUTEX_INITIALIZER;

bool transfer(struct account *from, struct account *to, long amount)
{
    bool moved = false;

    PCHECK(pthread_mutex_lock(&bank)); /* the bug: every transfer waits for every other */
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
    PCHECK(pthread_mutex_unlock(&bank));
    return moved;
}
