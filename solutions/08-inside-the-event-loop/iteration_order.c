/*
 * iteration_order.c: solution: replay a scenario on paper, iteration by iteration.
 *
 * Chapter 8, exercise iteration_order.c. A simulation of common/loop.c's iteration on a fake
 * clock, with arrays instead of lists and a heap: (1) poll: with no callback ready, the clock
 * jumps to the earliest deadline; (2) the callbacks queued when the phase begins, in order;
 * (3) the timers due now, by (deadline, arming order), except those armed during this phase.
 */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"
#include "exercises.h"

enum state { IDLE, QUEUED, ARMED, RAN };

struct sim {
    const struct scenario_step *steps;
    size_t n;
    enum state state[SCENARIO_MAX_STEPS];
    int64_t deadline[SCENARIO_MAX_STEPS];
    uint64_t seq[SCENARIO_MAX_STEPS];
    int queue[SCENARIO_MAX_STEPS]; /* the ready queue, in order; cancelled entries are skipped */
    size_t queued;
    uint64_t next_seq;
    int64_t now;
    int iteration;
    struct step_run *runs;
    size_t nruns;
};

/* The earliest armed timer, or -1. */
static int earliest(const struct sim *s)
{
    int best = -1;

    for (size_t i = 0; i < s->n; i++) {
        if (s->state[i] == ARMED &&
            (best < 0 || s->deadline[i] < s->deadline[best] ||
             (s->deadline[i] == s->deadline[best] && s->seq[i] < s->seq[best])))
            best = (int)i;
    }
    return best;
}

static void schedule(struct sim *s, int i)
{
    if (s->steps[i].kind == STEP_SOON) {
        s->state[i] = QUEUED;
        s->queue[s->queued++] = i;
    } else {
        s->state[i] = ARMED;
        s->deadline[i] = s->now + seconds_to_ns(s->steps[i].delay);
        s->seq[i] = s->next_seq++;
    }
}

/* What the callback of step i does when it runs. */
static void run(struct sim *s, int i)
{
    int victim = s->steps[i].cancels;

    s->state[i] = RAN;
    s->runs[s->nruns++] = (struct step_run){.step = i, .iteration = s->iteration};
    if (victim >= 0 && (s->state[victim] == QUEUED || s->state[victim] == ARMED))
        s->state[victim] = IDLE; /* a queued one stays in queue[], skipped: see run_ready */
    for (size_t j = (size_t)i + 1; j < s->n; j++) {
        if (s->steps[j].parent == i)
            schedule(s, (int)j);
    }
}

static void run_ready(struct sim *s)
{
    int batch[SCENARIO_MAX_STEPS];
    size_t nbatch = s->queued;

    /* The snapshot: what is queued now; what these callbacks queue waits for the next time. */
    for (size_t k = 0; k < nbatch; k++)
        batch[k] = s->queue[k];
    s->queued = 0;
    for (size_t k = 0; k < nbatch; k++) {
        if (s->state[batch[k]] == QUEUED) /* not cancelled meanwhile */
            run(s, batch[k]);
    }
}

static void run_timers(struct sim *s)
{
    uint64_t limit = s->next_seq; /* armed from now on: next iteration */
    int t;

    while ((t = earliest(s)) >= 0 && s->deadline[t] <= s->now && s->seq[t] < limit)
        run(s, t);
}

static bool has_work(const struct sim *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->state[i] == QUEUED || s->state[i] == ARMED)
            return true;
    }
    return false;
}

size_t predict_iterations(const struct scenario_step steps[], size_t n, struct step_run runs[])
{
    struct sim s = {.steps = steps, .n = n, .runs = runs};

    for (size_t i = 0; i < n; i++) {
        if (steps[i].parent < 0)
            schedule(&s, (int)i);
    }
    while (has_work(&s)) {
        int t = earliest(&s);
        bool ready = false;

        for (size_t k = 0; k < s.queued; k++)
            ready = ready || s.state[s.queue[k]] == QUEUED;
        s.iteration++;
        if (!ready && t >= 0 && s.deadline[t] > s.now)
            s.now = s.deadline[t]; /* the fake clock jumps instead of sleeping */
        run_ready(&s);
        run_timers(&s);
    }
    return s.nruns;
}
