/*
 * fetch_service.h: a pretend web service, so that chapter 9 can write one job three ways.
 *
 * Chapter 9. fetch_start() asks the service one question; the answer comes back `seconds` later,
 * through a callback on the loop, the way a reply from a server would. Each answer is what the
 * next question needs: a user's id, then that id's number of orders, then their total. The
 * programs fetch_callbacks.c, fetch_state_machine.c and fetch_task.c all ask it the same things.
 */
#ifndef FETCH_SERVICE_H
#define FETCH_SERVICE_H

#include "errors.h"
#include "loop.h"

enum query { QUERY_USER_ID, QUERY_ORDERS, QUERY_TOTAL };

#define USER_ID_BASE 100   /* user number n has the id 100 + n */
#define ORDERS_MODULUS 7   /* an id has (id mod 7) orders */
#define PRICE_PER_ORDER 12 /* and every order costs 12 */

struct fetch;
typedef void fetch_fn(struct loop *loop, struct fetch *fetch, void *arg);

/* One question in flight. The caller owns it until the callback has run. */
struct fetch {
    enum query query;
    long key;
    long answer; /* filled in just before the callback runs */
    fetch_fn *done;
    void *arg;
    struct loop_timer timer;
};

/* What the service knows. */
static inline long fetch_answer(enum query query, long key)
{
    switch (query) {
    case QUERY_USER_ID:
        return USER_ID_BASE + key;
    case QUERY_ORDERS:
        return key % ORDERS_MODULUS;
    case QUERY_TOTAL:
        return key * PRICE_PER_ORDER;
    }
    return -1;
}

/* The reply arrives: fill in the answer and call whoever asked. */
static inline void fetch_reply(struct loop *loop, void *arg)
{
    struct fetch *fetch = arg;

    fetch->answer = fetch_answer(fetch->query, fetch->key);
    fetch->done(loop, fetch, fetch->arg);
}

/* Ask `query` about `key`; done(loop, fetch, arg) runs `seconds` later with fetch->answer set. */
static inline void fetch_start(struct loop *loop, struct fetch *fetch, enum query query, long key,
                               double seconds, fetch_fn *done, void *arg)
{
    *fetch = (struct fetch){.query = query, .key = key, .done = done, .arg = arg};
    if (loop_call_later(loop, &fetch->timer, seconds, fetch_reply, fetch) == -1)
        die_errno("loop_call_later");
}

#endif
