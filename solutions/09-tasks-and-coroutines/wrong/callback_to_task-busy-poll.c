/* wrong: polls the reply with sleep(0) instead of awaiting it: a busy wait, and the clock never
 * moves. */
/*
 * callback_to_task.c: solution: the callback chain as a task; each reply sets a future it awaits.
 *
 * Chapter 9, exercise callback_to_task. The callbacks below are the stub's, unchanged; the task
 * is chapters/09-tasks-and-coroutines/fetch_task.c's pattern: a callback API made awaitable by a
 * future, and everything needed after a wait kept in the struct.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "errors.h"
#include "exercises.h"

/* ---- given: the job with callbacks ---- */

static void cb_got_total(struct loop *loop, struct ask_request *req, void *arg)
{
    struct callback_job *job = arg;

    job_note(loop, job->user, STEP_GOT_TOTAL, req->answer);
}

static void cb_got_orders(struct loop *loop, struct ask_request *req, void *arg)
{
    struct callback_job *job = arg;
    long orders = req->answer;

    job_note(loop, job->user, STEP_GOT_ORDERS, orders);
    if (service_ask(loop, &job->req, ASK_TOTAL, orders, cb_got_total, job) == -1)
        die_errno("service_ask");
}

static void cb_got_user_id(struct loop *loop, struct ask_request *req, void *arg)
{
    struct callback_job *job = arg;
    long id = req->answer;

    job_note(loop, job->user, STEP_GOT_USER_ID, id);
    if (service_ask(loop, &job->req, ASK_ORDERS, id, cb_got_orders, job) == -1)
        die_errno("service_ask");
}

static void cb_start(struct loop *loop, void *arg)
{
    struct callback_job *job = arg;

    job_note(loop, job->user, STEP_STARTED, job->user);
    if (service_ask(loop, &job->req, ASK_USER_ID, job->user, cb_got_user_id, job) == -1)
        die_errno("service_ask");
}

void callback_job_start(struct loop *loop, struct callback_job *job, long user)
{
    *job = (struct callback_job){.user = user};
    loop_call_soon(loop, &job->start, cb_start, job);
}

/* ---- the job as a task ---- */

/* The service's callback sets the future the task awaits. */
static void set_reply(struct loop *loop, struct ask_request *req, void *arg)
{
    (void)loop;
    if (future_set_result(arg, &req->answer) == -1)
        die_errno("future_set_result");
}

/* Ask a question; the answer will be in tt->reply once it is done. */
static void ask(struct total_task *tt, enum ask question, long key)
{
    future_init(&tt->reply, tt->task.loop);
    if (service_ask(tt->task.loop, &tt->req, question, key, set_reply, &tt->reply) == -1)
        die_errno("service_ask");
}

static long answer(const struct total_task *tt)
{
    return *(const long *)tt->reply.result;
}

static enum task_state total_job(struct task *t)
{
    struct total_task *tt = (struct total_task *)t;

    TASK_BEGIN(t);
    job_note(t->loop, tt->user, STEP_STARTED, tt->user);
    ask(tt, ASK_USER_ID, tt->user);
    while (!future_done(&tt->reply))
        TASK_SLEEP(t, 0);
    tt->id = answer(tt);
    job_note(t->loop, tt->user, STEP_GOT_USER_ID, tt->id);
    ask(tt, ASK_ORDERS, tt->id);
    while (!future_done(&tt->reply))
        TASK_SLEEP(t, 0);
    tt->orders = answer(tt);
    job_note(t->loop, tt->user, STEP_GOT_ORDERS, tt->orders);
    ask(tt, ASK_TOTAL, tt->orders);
    while (!future_done(&tt->reply))
        TASK_SLEEP(t, 0);
    tt->total = answer(tt);
    job_note(t->loop, tt->user, STEP_GOT_TOTAL, tt->total);
    TASK_RETURN(t, &tt->total);
    TASK_END(t);
}

void total_task_start(struct loop *loop, struct total_task *tt, long user)
{
    *tt = (struct total_task){.user = user};
    task_init(&tt->task, "total", total_job);
    task_start(loop, &tt->task);
}
