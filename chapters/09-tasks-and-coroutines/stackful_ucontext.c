/*
 * stackful_ucontext.c: stackful coroutines (ucontext): locals survive a wait; each costs a stack.
 *
 * Chapter 9. NOT PORTABLE: makecontext() and swapcontext() were removed from POSIX in
 * POSIX.1-2008 (glibc still has them; macOS marks them deprecated; musl has none), which is why
 * they stay in this one file. Each coroutine runs on a stack of its own; co_sleep() switches back
 * to main's stack, where the loop runs, and a timer switches to the coroutine again. Its frames,
 * and so its local `round`, wait on its stack meanwhile: compare with locals_lost.c and
 * locals_kept.c. Python's greenlet works this way; its generators and coroutines do not.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdlib.h>
#include <ucontext.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "task.h"
#include "timeline.h"

#define ROUNDS 3
#define ROUND_SECONDS 1.0
#define STACK_BYTES (64 * 1024) /* per coroutine; no guard page: an overflow corrupts the heap */
#define NCOROUTINES 2

static struct demo demo;
static struct loop *loop;
static ucontext_t loop_context;   /* where the loop runs: main's own stack */
static struct coroutine *current; /* the coroutine running now, or NULL on main's stack */

struct coroutine {
    const char *name;
    ucontext_t context; /* its registers and stack pointer while it is switched out */
    void *stack;
    struct loop_timer timer;
    struct loop_callback start;
    bool finished;
};

/* A loop callback (on main's stack): switch to the coroutine until it sleeps or ends. */
static void resume(struct loop *l, void *arg)
{
    (void)l;
    current = arg;
    if (swapcontext(&loop_context, &current->context) == -1)
        die_errno("swapcontext");
    current = NULL;
}

/* Called on the coroutine's stack: park it on a timer and switch back to the loop. */
static void co_sleep(double seconds)
{
    struct coroutine *self = current;

    if (loop_call_later(loop, &self->timer, seconds, resume, self) == -1)
        die_errno("loop_call_later");
    if (swapcontext(&self->context, &loop_context) == -1)
        die_errno("swapcontext");
}

/* The coroutine's body: an ordinary function, with an ordinary local counter. */
static void count_rounds(void)
{
    struct coroutine *self = current;

    for (int round = 1; round <= ROUNDS; round++) {
        say(self->name, "%s: round %d of %d", self->name, round, ROUNDS);
        co_sleep(demo_seconds(&demo, ROUND_SECONDS));
    }
    say(self->name, "%s: done after %d rounds", self->name, ROUNDS);
    self->finished = true;
} /* returning switches to uc_link: back to the loop */

static void co_init(struct coroutine *co, const char *name)
{
    *co = (struct coroutine){.name = name};
    if ((co->stack = malloc(STACK_BYTES)) == NULL)
        die_errno("malloc");
    if (getcontext(&co->context) == -1)
        die_errno("getcontext");
    co->context.uc_stack.ss_sp = co->stack;
    co->context.uc_stack.ss_size = STACK_BYTES;
    co->context.uc_link = &loop_context;
    makecontext(&co->context, count_rounds, 0);
    loop_call_soon(loop, &co->start, resume, co);
}

int main(int argc, char **argv)
{
    struct coroutine co[NCOROUTINES];
    const char *const names[NCOROUTINES] = {"A", "B"};

    demo_init(&demo, argc, argv,
              "Stackful coroutines (ucontext, not portable): a local counter survives each wait.");
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int i = 0; i < NCOROUTINES; i++)
        co_init(&co[i], names[i]);
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    for (int i = 0; i < NCOROUTINES; i++) {
        if (!co[i].finished)
            die_msg("coroutine %s did not finish", co[i].name);
        free(co[i].stack);
    }
    say("main", "stack per coroutine: %d bytes (%d KiB), held for its whole life", STACK_BYTES,
        STACK_BYTES / 1024);
    say("main", "a stackless task: sizeof(struct task) = %zu bytes, plus the fields it keeps",
        sizeof(struct task));
    loop_free(loop);
    demo_finish(&demo);
    return 0;
}
