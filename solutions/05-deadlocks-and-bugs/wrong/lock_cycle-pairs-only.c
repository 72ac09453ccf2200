/* wrong: looks only for two locks taken in both orders (and self-loops): misses longer cycles. */
/*
 * lock_cycle-pairs-only.c: the check many people write first: is there an edge a -> b and an edge
 * b -> a? That is transfer_deadlock.c's cycle of two. Three threads moving money round a ring,
 * A -> B, B -> C, C -> A, deadlock without any such pair.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "exercises.h"

static int edge_cmp(const void *a, const void *b)
{
    const struct lock_edge *x = a, *y = b;

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

long find_lock_cycle(size_t n, const struct lock_edge edges[], size_t m, size_t cycle[])
{
    struct lock_edge *sorted = malloc((m + 1) * sizeof *sorted);
    long found = 0;

    (void)n;
    if (sorted == NULL)
        return -1;
    memcpy(sorted, edges, m * sizeof *sorted);
    qsort(sorted, m, sizeof *sorted, edge_cmp);
    for (size_t i = 0; i < m && found == 0; i++) {
        struct lock_edge back = {edges[i].to, edges[i].from};

        if (edges[i].from == edges[i].to) {
            cycle[0] = edges[i].from;
            found = 1;
        } else if (bsearch(&back, sorted, m, sizeof back, edge_cmp) != NULL) {
            cycle[0] = edges[i].from;
            cycle[1] = edges[i].to;
            found = 2;
        }
    }
    free(sorted);
    return found;
}
