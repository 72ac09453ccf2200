/*
 * lock_cycle.c: solution: a depth-first search with its own stack, and three colours of node.
 *
 * Chapter 5, exercise lock_cycle.c. Each node is new, on the path being explored, or finished
 * (every node reachable from it explored, no cycle found). An edge to a node on the path closes a
 * cycle: that node and the ones after it on the path. An edge to a finished node leads nowhere new,
 * so every node and edge is looked at once: time in proportion to n + m. The path lives in an
 * array, not on the call stack, so a chain of a million nodes needs no deep recursion.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "exercises.h"

enum colour { NEW, ON_PATH, FINISHED };

long find_lock_cycle(size_t n, const struct lock_edge edges[], size_t m, size_t cycle[])
{
    /* Each node's outgoing edges, side by side: targets[first[v] .. first[v + 1] - 1]. */
    size_t *first = calloc(n + 1, sizeof *first), *targets = malloc((m + 1) * sizeof *targets);
    size_t *next = malloc((n + 1) * sizeof *next); /* the next edge of v to follow */
    size_t *path = malloc((n + 1) * sizeof *path), *place = malloc((n + 1) * sizeof *place);
    unsigned char *colour = calloc(n + 1, 1);
    long found = -1;

    if (!first || !targets || !next || !path || !place || !colour)
        goto out; /* errno is ENOMEM */
    for (size_t i = 0; i < m; i++)
        first[edges[i].from + 1]++;
    for (size_t v = 0; v < n; v++)
        first[v + 1] += first[v];
    memcpy(next, first, n * sizeof *next);
    for (size_t i = 0; i < m; i++)
        targets[next[edges[i].from]++] = edges[i].to;
    memcpy(next, first, n * sizeof *next);

    found = 0;
    for (size_t root = 0; root < n && found == 0; root++) {
        size_t depth = 0;

        if (colour[root] != NEW)
            continue;
        colour[root] = ON_PATH;
        place[root] = depth;
        path[depth++] = root;
        while (depth > 0 && found == 0) {
            size_t v = path[depth - 1], w;

            if (next[v] == first[v + 1]) { /* every edge of v followed: done with it */
                colour[v] = FINISHED;
                depth--;
                continue;
            }
            w = targets[next[v]++];
            if (colour[w] == ON_PATH) { /* back to the path: the cycle is w .. v */
                found = (long)(depth - place[w]);
                memcpy(cycle, path + place[w], (size_t)found * sizeof *cycle);
            } else if (colour[w] == NEW) {
                colour[w] = ON_PATH;
                place[w] = depth;
                path[depth++] = w;
            }
        }
    }
out:
    free(first), free(targets), free(next), free(path), free(place), free(colour);
    return found;
}
