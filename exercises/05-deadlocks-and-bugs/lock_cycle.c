/*
 * lock_cycle.c: exercise: find a cycle in a lock graph, the shape every deadlock has.
 *
 * Chapter 5. chapters/05-deadlocks-and-bugs/transfer_deadlock.c ends with its watchdog finding a
 * cycle of two threads, each waiting for the other. Here the graph is any size: find a cycle if
 * there is one, in time proportional to its nodes and edges, without running out of stack.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

long find_lock_cycle(size_t n, const struct lock_edge edges[], size_t m, size_t cycle[])
{
    /*
     * TODO: return the length of a cycle written to cycle[], 0 if there is none (exercises.h).
     * Build each node's list of outgoing edges first; then search from every node not yet seen,
     * keeping the path you are on in an array of your own rather than on the call stack.
     */
    (void)n;
    (void)edges;
    (void)m;
    (void)cycle;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
