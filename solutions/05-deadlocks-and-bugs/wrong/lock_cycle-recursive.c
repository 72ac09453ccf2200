/* wrong: recursive, one call deeper per node: a chain of 100,000 locks exhausts the stack. */
/*
 * lock_cycle-recursive.c: the textbook depth-first search, right in every answer it gives, and
 * linear in time. But each node on the path is a stack frame, and a chain of 100,000 nodes needs
 * more stack than a thread has (the tests give it 1 MiB): the program crashes instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "exercises.h"

enum colour { NEW, ON_PATH, FINISHED };

struct search {
    const size_t *first, *targets;
    unsigned char *colour;
    size_t *path, *cycle;
    size_t depth;
};

/* Explore from v; return the length of a cycle found, or 0. */
static long visit(struct search *s, size_t v)
{
    s->colour[v] = ON_PATH;
    s->path[s->depth++] = v;
    for (size_t i = s->first[v]; i < s->first[v + 1]; i++) {
        size_t w = s->targets[i];
        long found;

        if (s->colour[w] == ON_PATH) {
            size_t start = s->depth;

            while (s->path[start - 1] != w)
                start--;
            memcpy(s->cycle, s->path + start - 1, (s->depth - start + 1) * sizeof *s->cycle);
            return (long)(s->depth - start + 1);
        }
        if (s->colour[w] == NEW && (found = visit(s, w)) > 0)
            return found;
    }
    s->colour[v] = FINISHED;
    s->depth--;
    return 0;
}

long find_lock_cycle(size_t n, const struct lock_edge edges[], size_t m, size_t cycle[])
{
    size_t *first = calloc(n + 2, sizeof *first), *targets = malloc((m + 1) * sizeof *targets);
    size_t *fill = malloc((n + 1) * sizeof *fill), *path = malloc((n + 1) * sizeof *path);
    unsigned char *colour = calloc(n + 1, 1);
    struct search s = {first, targets, colour, path, cycle, 0};
    long found = -1;

    if (!first || !targets || !fill || !path || !colour)
        goto out;
    for (size_t i = 0; i < m; i++)
        first[edges[i].from + 1]++;
    for (size_t v = 0; v < n; v++)
        first[v + 1] += first[v];
    memcpy(fill, first, n * sizeof *fill);
    for (size_t i = 0; i < m; i++)
        targets[fill[edges[i].from]++] = edges[i].to;
    found = 0;
    for (size_t root = 0; root < n && found == 0; root++) {
        if (colour[root] == NEW)
            found = visit(&s, root);
    }
out:
    free(first), free(targets), free(fill), free(path), free(colour);
    return found;
}
