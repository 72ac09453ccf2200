/*
 * callback_to_task.c: exercise: rewrite a chain of callbacks as a task that reads top to bottom.
 *
 * Chapter 9. The job below works, written with callbacks (callback_job_start). Write the same job
 * as a task in total_task_start(): the same notes, at the same times, with TASK_AWAIT. Read
 * chapters/09-tasks-and-coroutines/fetch_callbacks.c and fetch_task.c first.
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

/* ---- the job as a task: yours ---- */

void total_task_start(struct loop *loop, struct total_task *tt, long user)
{
    /*
     * TODO: task_init tt->task with a step function of yours, keep `user` in tt, and task_start
     * it on `loop`. The step function does what the callbacks above do, top to bottom: note,
     * ask, await the answer, note, ask, ... The service answers through a callback (ask_fn): make
     * that callback set a future (tt->reply), and TASK_AWAIT it. When the job is over, return
     * with TASK_RETURN(t, &tt->total).
     */
    (void)loop;
    (void)tt;
    (void)user;
}
