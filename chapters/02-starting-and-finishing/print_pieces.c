/*
 * print_pieces.c: two threads print each line in two calls, in a forced order: lines run together.
 *
 * Chapter 2. CPython's print(s) writes s, then "\n": two calls, and another thread can write
 * between them. Run article 002's compute() on two threads (compute_threads.py) and now and then
 * the first line reads "Computing...Computing...", followed by an empty one. Here two threads
 * print the same lines the same way, text and newline in two calls, taking turns in a fixed
 * order (a turn counter under a mutex, and a condition variable), so an interleaving that the
 * scheduler picks only sometimes happens every time: first with write(), then with printf.
 * Whatever locks a call takes, they end with the call. Compare with printf_lines.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define PIECES 4 /* per thread */

static struct demo demo;

/* What each thread prints: print("Computing..."), then print("Computation done"), in pieces. */
static const char *const pieces[PIECES] = {"Computing...", "\n", "Computation done", "\n"};

/* Which thread prints the next piece. Any order that keeps each thread's own pieces in order is
 * one the scheduler might choose; this one glues the two "Computing..." together. */
static const int schedule[] = {1, 2, 1, 2, 1, 1, 2, 2};
#define TURNS (sizeof schedule / sizeof schedule[0])

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_passed = PTHREAD_COND_INITIALIZER;
static size_t turn;     /* index into schedule; guarded by lock */
static bool use_printf; /* set by main before it starts the threads */

static void print_piece(const char *piece)
{
    size_t len = strlen(piece);

    if (use_printf) {
        if (printf("%s", piece) < 0) /* one call, which holds stdout's lock while it runs */
            die_errno("printf");
    } else if (write(STDOUT_FILENO, piece, len) != (ssize_t)len) { /* one call, no lock */
        die_errno("write");
    }
}

static void *compute(void *arg)
{
    int me = *(const int *)arg;

    for (int p = 0; p < PIECES; p++) {
        PCHECK(pthread_mutex_lock(&lock));
        while (schedule[turn] != me)
            PCHECK(pthread_cond_wait(&turn_passed, &lock));
        print_piece(pieces[p]);
        turn++;
        PCHECK(pthread_cond_broadcast(&turn_passed));
        PCHECK(pthread_mutex_unlock(&lock));
    }
    return NULL;
}

/* Run the two threads once, taking turns as `schedule` says. */
static void run(bool with_printf)
{
    static const int ids[2] = {1, 2};
    pthread_t threads[2];

    use_printf = with_printf;
    turn = 0;
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_create(&threads[i], NULL, compute, (void *)&ids[i]));
    for (int i = 0; i < 2; i++)
        PCHECK(pthread_join(threads[i], NULL));
}

int main(int argc, char **argv)
{
    char order[4 * TURNS] = ""; /* "1 2 1 2 ...": who printed each piece */
    size_t used = 0;

    demo_init(&demo, argc, argv,
              "Two threads print lines in two calls, in a forced order: they mix.");
    for (size_t i = 0; i < TURNS; i++)
        used += (size_t)snprintf(order + used, sizeof order - used, i ? " %d" : "%d", schedule[i]);
    say("main", "[two write() calls per line, by threads %s]", order);
    run(false);
    say("main", "[two printf calls per line, by threads %s]", order);
    run(true);
    demo_finish(&demo);
    return 0;
}
