/*
 * exercises.h: what each exercise of chapter 9 must do. The stubs beside this file and the
 * solutions in solutions/09-tasks-and-coroutines/ both implement it, and the same tests judge both.
 *
 * The tests run everything on a loop with a fake clock (loop.h): "3 seconds" pass in no time, and
 * every time they check is exact. Read chapters/09-tasks-and-coroutines/ first.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"
#include "task.h"

/* ---- callback_to_task.c -------------------------------------------------------------------- */

/* The questions the job asks, each about the previous answer. */
enum ask { ASK_USER_ID, ASK_ORDERS, ASK_TOTAL };

/* The steps of the job, as it notes them (job_note). */
enum job_step { STEP_STARTED, STEP_GOT_USER_ID, STEP_GOT_ORDERS, STEP_GOT_TOTAL };

struct ask_request;
typedef void ask_fn(struct loop *loop, struct ask_request *req, void *arg);

/* One question in flight; the caller's storage, valid until its callback has run. */
struct ask_request {
    long answer; /* set just before the callback runs */
    /* The service's own fields: */
    enum ask question;
    long key;
    ask_fn *done;
    void *arg;
    struct loop_timer timer;
};

/*
 * PROVIDED BY THE TESTS: the pretend service. Ask `question` about `key`; done(loop, req, arg)
 * runs later on the loop, with req->answer set; how much later is the service's business (it
 * differs from question to question). Returns 0, or -1 with errno set.
 */
int service_ask(struct loop *loop, struct ask_request *req, enum ask question, long key,
                ask_fn *done, void *arg);

/* PROVIDED BY THE TESTS: note that the job for `user` reached `step`, with the value it has. */
void job_note(struct loop *loop, long user, enum job_step step, long value);

/*
 * The job, for one user: note (STEP_STARTED, user), ask ASK_USER_ID about the user; with the
 * answer note (STEP_GOT_USER_ID, id) and ask ASK_ORDERS about the id; with that answer note
 * (STEP_GOT_ORDERS, orders) and ask ASK_TOTAL about the orders; with that answer note
 * (STEP_GOT_TOTAL, total). Every note as soon as what it reports is known, on the fake clock.
 */

/* The job with callbacks: given, working, in callback_to_task.c. Start it with callback_job_start.
 */
struct callback_job {
    long user;
    struct ask_request req;
    struct loop_callback start;
};
void callback_job_start(struct loop *loop, struct callback_job *job, long user);

/*
 * To write: the same job as a task, with the same notes at the same times. The fields after
 * `task` are yours to use as you like (they are what the task keeps across its waits).
 */
struct total_task {
    struct task task;
    long user;
    long id, orders, total;
    struct ask_request req;
    struct future reply;
};

/*
 * Prepare `tt` for the job of `user` and start it on `loop` (task_start): it runs as the loop
 * runs; several may run at once. When it is done, tt->task.result points to tt->total.
 */
void total_task_start(struct loop *loop, struct total_task *tt, long user);

/* ---- tiny_future.c ------------------------------------------------------------------------- */

struct tiny_future;
typedef void tiny_fn(struct loop *loop, struct tiny_future *future, void *arg);

/* A done-callback: the caller's storage, valid until the callback has run. Fields are yours. */
struct tiny_callback {
    struct tiny_callback *next;
    tiny_fn *fn;
    void *arg;
    struct tiny_future *future;
    struct loop_callback soon; /* for loop_call_soon */
};

/* A future of your own: a long that is not there yet. Fields are yours. */
struct tiny_future {
    struct loop *loop;
    bool done;
    long value;
    struct tiny_callback *first, *last; /* callbacks waiting for the value */
};

/* Prepare `future` (not done, no callbacks) for `loop`. */
void tiny_init(struct tiny_future *future, struct loop *loop);

/*
 * Set the value: the future is done for good. Runs no callback here: each one waiting is queued
 * on the loop (loop_call_soon) in the order it was added, to run on a later turn, after what is
 * queued already. Returns 0, or -1 with errno EINVAL if the future was done already (the first
 * value stays, and no callback runs again).
 */
int tiny_set(struct tiny_future *future, long value);

/*
 * Add a callback: fn(loop, future, arg) runs once, on a later turn of the loop, after the future
 * is done. If it is done already, the callback is queued at once (never run from inside tiny_add).
 */
void tiny_add(struct tiny_future *future, struct tiny_callback *cb, tiny_fn *fn, void *arg);

/* True once tiny_set has succeeded. */
bool tiny_done(const struct tiny_future *future);

/* ---- gather_tasks.c ------------------------------------------------------------------------ */

/* A gather in progress. Fields are yours, but `done` is what callers await. */
struct gather {
    struct future done; /* set, with result `results`, once every task is done */
    struct task *const *tasks;
    void **results;
    size_t n, remaining;
    struct future_callback *callbacks;
};

/*
 * asyncio.gather(*tasks), without TASK_GATHER: start every task of tasks[0 .. n-1] not started yet,
 * in order (task_start), and set g->done (future_set_result, with `results` as its result) once
 * all n are done, with results[i] = tasks[i]->result: argument order, whatever order they finish
 * in. A task may be running, or finished, before the gather starts. With n == 0, g->done is done
 * on return. callbacks[] and results[] (n each) are the caller's, valid until g->done is set.
 * The tasks do not fail (errors are chapter 10's).
 */
void gather_start(struct loop *loop, struct gather *g, struct task *const tasks[], size_t n,
                  struct future_callback callbacks[], void *results[]);

#endif
