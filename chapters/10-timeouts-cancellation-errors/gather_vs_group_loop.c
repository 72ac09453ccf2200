/*
 * gather_vs_group_loop.c: one task fails: gather lets the others run on, a task group cancels them.
 *
 * Chapter 10. Python, the same three jobs twice (b fails after 1.5 s):
 *     results = await asyncio.gather(a(), b(), c(), return_exceptions=True)  # c runs its 3 s
 *     async with asyncio.TaskGroup() as tg:                                    # c is cancelled
 *         tg.create_task(a()); tg.create_task(b()); tg.create_task(c())
 * The folk claim "gather cancels the others when one fails" is wrong: gather (TASK_GATHER) waits
 * for all of them whatever happens; a task group (TASK_GROUP_WAIT) is what cancels. Compare with
 * cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define NJOBS 3

static struct demo demo;

struct job {
    struct task task;
    double seconds;
    int fail_with; /* 0: succeed */
    char name[16];
};

static enum task_state job_step(struct task *t)
{
    struct job *j = (struct job *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, demo_seconds(&demo, j->seconds));
    if (j->fail_with != 0) {
        say(t->name, "%s: fails after %g s: %s", t->name, j->seconds, strerror(j->fail_with));
        TASK_FAIL(t, j->fail_with);
    }
    say(t->name, "%s: done after %g s", t->name, j->seconds);
    TASK_RETURN(t, NULL);

    TASK_CLEANUP(t);
    say(t->name, "%s: cancelled, cleans up", t->name);
    TASK_END(t);
}

struct main_task {
    struct task task;
    struct job gathered[NJOBS], grouped[NJOBS];
    struct task *all[NJOBS];
    struct task_group group;
};

static void prepare(struct job jobs[], const char *suffix)
{
    static const double seconds[NJOBS] = {1, 1.5, 3};

    for (int i = 0; i < NJOBS; i++) {
        snprintf(jobs[i].name, sizeof jobs[i].name, "%c%s", 'a' + i, suffix);
        jobs[i].seconds = seconds[i];
        jobs[i].fail_with = i == 1 ? ECONNRESET : 0;
        task_init(&jobs[i].task, jobs[i].name, job_step);
    }
}

static void report(const char *how, struct job jobs[])
{
    for (int i = 0; i < NJOBS; i++)
        say("main", "main: %s: %s: %s", how, jobs[i].name,
            jobs[i].task.error == 0 ? "ok" : strerror(jobs[i].task.error));
}

static struct main_task main_task; /* file-wide: its jobs are reported from main too */

static enum task_state main_step(struct task *t)
{
    struct main_task *m = &main_task; /* the task is main_task.task */

    TASK_BEGIN(t);
    say("main", "main: gather(a, b, c)");
    for (int i = 0; i < NJOBS; i++)
        m->all[i] = &m->gathered[i].task;
    TASK_GATHER(t, m->all, NJOBS);
    report("gather", m->gathered);
    say("main", "main: TaskGroup(a2, b2, c2)");
    for (int i = 0; i < NJOBS; i++)
        task_group_start(t->loop, &m->group, &m->grouped[i].task);
    TASK_GROUP_WAIT(t, &m->group);
    report("group", m->grouped);
    say("main", "main: the group failed with: %s", strerror(m->group.error));
    TASK_END(t);
}

int main(int argc, char **argv)
{
    struct main_task *m = &main_task;
    struct loop *loop;

    demo_init(&demo, argc, argv,
              "The same three jobs, one of which fails: gather lets the others run to their\n"
              "end; a task group cancels them at the first failure.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    prepare(m->gathered, "");
    prepare(m->grouped, "2");
    task_init(&m->task, "main", main_step);
    if (task_run(loop, &m->task) == -1)
        die_errno("task_run");
    for (int i = 0; i < NJOBS; i++) {
        future_release(&m->gathered[i].task.future, m->gathered[i].name);
        (void)future_error(&m->grouped[i].task.future); /* reported above */
    }
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
