/*
 * shared_or_copied.c: a thread changes main's global, heap and stack; a fork()ed child cannot.
 *
 * Chapter 2. Threads are several flows of control in one process, one address space: a global, a
 * heap block, even a local on main's stack (reached through a pointer) are the same bytes for
 * every thread. Only each thread's own stack frames are its own, because each runs on its own
 * stack. fork() makes a new process with a copy of the address space: the child writes to the
 * same addresses and the parent sees nothing. So article 003's "each thread runs in its own
 * memory space" is false for threads, and true for processes. Python's multiprocessing forks.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

static struct demo demo;
static int global = 1;

/* Where the three variables are: the global is reached by its name, the other two by pointer. */
struct places {
    int *heap;
    int *local; /* main's local variable, on main's stack */
};

static void set_all(const struct places *p, int value)
{
    global = value;
    *p->heap = value;
    *p->local = value;
}

static void show(const char *who, const char *when, const struct places *p)
{
    say(who, "%-28s global = %d, heap = %d, main's local = %d", when, global, *p->heap, *p->local);
}

static void *thread_writes(void *arg)
{
    set_all(arg, 2);
    return NULL;
}

int main(int argc, char **argv)
{
    int local = 1, status;
    struct places p = {.local = &local};
    pthread_t thread;
    pid_t child;

    demo_init(&demo, argc, argv,
              "A thread shares the parent's memory; a fork()ed child has a copy.");
    if ((p.heap = malloc(sizeof *p.heap)) == NULL)
        die_errno("malloc");
    *p.heap = 1;
    show("main", "main, at the start:", &p);

    PCHECK(pthread_create(&thread, NULL, thread_writes, &p)); /* the thread sets all three to 2 */
    PCHECK(pthread_join(thread, NULL));
    show("main", "main, after the thread:", &p);

    if ((child = fork()) == -1) /* one thread left, so fork() is safe here */
        die_errno("fork");
    if (child == 0) {
        set_all(&p, 3);
        show("child", "the child, after writing 3:", &p);
        _exit(EXIT_SUCCESS); /* _exit: the child must not run the parent's exit handlers */
    }
    if (waitpid(child, &status, 0) == -1)
        die_errno("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_SUCCESS)
        die_msg("the child failed (status %d)", status);
    show("main", "main, after the child:", &p);
    free(p.heap);
    demo_finish(&demo);
    return 0;
}
