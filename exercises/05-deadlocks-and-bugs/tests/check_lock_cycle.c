/*
 * check_lock_cycle.c: tests of find_lock_cycle(). Every cycle it reports is checked edge by edge
 * against the graph, and every graph's answer against Kahn's algorithm, run here: a graph has a
 * cycle exactly when repeatedly removing the nodes that no edge enters cannot remove them all.
 *
 * Chapter 5, exercise lock_cycle.c. The call under test runs on a thread of its own with a 1 MiB
 * stack, so that a search too slow for a big graph is reported here, once it has used
 * GUARD_SECONDS of CPU, rather than by the runner's time limit, and a search that recurses once
 * per node runs out of stack.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "exercises.h"
#include "testing.h"

#define GUARD_SECONDS 2.0                 /* CPU seconds per call, times CK_TIMEOUT_MULTIPLIER */
#define WALL_FACTOR 3                     /* and at most three times that on the clock */
#define POLL_SECONDS 0.05                 /* how often the guard looks at the CPU time used */
#define STACK_BYTES ((size_t)1024 * 1024) /* 1 MiB; a main thread usually has 8 MiB */
#define BIG ((size_t)100000)              /* nodes of the big graphs */
#define SHOWN 12                          /* nodes of a cycle shown in a failure message */
#define TEXT_MAX 256
#define N(array) (sizeof(array) / sizeof((array)[0]))

/* ck_assert_msg, for loops: Check reports every passing ck_assert to the parent process, through a
 * pipe, which a loop over a million nodes cannot afford. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

/* ---- running the call under test, with a time limit ---------------------------------------- */

struct call {
    size_t n, m;
    const struct lock_edge *edges;
    size_t *cycle;
    long result;
    int err;
    bool done;
};

static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t call_done = PTHREAD_COND_INITIALIZER;

static void *run_call(void *arg)
{
    struct call *c = arg;
    long k;
    int err;

    errno = 0;
    k = find_lock_cycle(c->n, c->edges, c->m, c->cycle);
    err = errno;
    pthread_mutex_lock(&call_lock);
    c->result = k;
    c->err = err;
    c->done = true;
    pthread_cond_signal(&call_done);
    pthread_mutex_unlock(&call_lock);
    return NULL;
}

static double guard_seconds(void)
{
    const char *mult = getenv("CK_TIMEOUT_MULTIPLIER");

    return GUARD_SECONDS * (mult != NULL && atof(mult) >= 1 ? atof(mult) : 1);
}

/* The CPU time `thread` has used, in seconds, or -1 where the system cannot tell. The guard counts
 * CPU time, not time on the clock: on a machine busy with other work a linear search may take
 * several times longer to finish, but it does not use more CPU. */
static double cpu_seconds(pthread_t thread)
{
#if defined(_POSIX_THREAD_CPUTIME) && _POSIX_THREAD_CPUTIME >= 0
    clockid_t id;
    struct timespec ts;

    if (pthread_getcpuclockid(thread, &id) == 0 && clock_gettime(id, &ts) == 0)
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#else
    (void)thread;
#endif
    return -1;
}

/* Call find_lock_cycle on its own thread; fail if it errs, or uses more than the guard's CPU time
 * (or, as a last resort, WALL_FACTOR times that on the clock) without returning. */
static long find(const char *what, size_t n, const struct lock_edge *edges, size_t m, size_t *cycle)
{
    static struct call c; /* static: the thread may outlive this call if it never returns */
    pthread_attr_t attr;
    pthread_t thread;
    double start = clock_now(), used = 0;

    c = (struct call){.n = n, .m = m, .edges = edges, .cycle = cycle};
    ck_assert_int_eq(pthread_attr_init(&attr), 0);
    ck_assert_int_eq(pthread_attr_setstacksize(&attr, STACK_BYTES), 0);
    ck_assert_int_eq(pthread_create(&thread, &attr, run_call, &c), 0);
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&call_lock);
    while (!c.done && used <= guard_seconds() &&
           clock_now() - start <= WALL_FACTOR * guard_seconds()) {
        struct timespec deadline;
        int64_t ns;

        clock_gettime(CLOCK_REALTIME, &deadline);
        ns = deadline.tv_nsec + seconds_to_ns(POLL_SECONDS);
        deadline.tv_sec += (time_t)(ns / NSEC_PER_SEC);
        deadline.tv_nsec = (long)(ns % NSEC_PER_SEC);
        pthread_cond_timedwait(&call_done, &call_lock, &deadline);
        if ((used = cpu_seconds(thread)) < 0)
            used = clock_now() - start;
    }
    pthread_mutex_unlock(&call_lock);
    ck_assert_msg(c.done,
                  "%s: find_lock_cycle used %.1f s of CPU (%.1f s on the clock) and has not "
                  "returned (n = %zu, m = %zu): it must take time in proportion to n + m; does it "
                  "explore a node again after it has finished with it?",
                  what, used, clock_now() - start, n, m);
    pthread_join(thread, NULL);
    ck_assert_msg(c.result >= 0, "%s: find_lock_cycle returned %ld (errno %d: %s)", what, c.result,
                  c.err, strerror(c.err));
    return c.result;
}

/* ---- the reference, and checking an answer ------------------------------------------------- */

/* Kahn's algorithm: true if the graph has a cycle. */
static bool has_cycle(size_t n, const struct lock_edge *edges, size_t m)
{
    size_t *indegree = calloc(n + 1, sizeof *indegree), *start = calloc(n + 2, sizeof *start);
    size_t *targets = malloc((m + 1) * sizeof *targets), *queue = malloc((n + 1) * sizeof *queue);
    size_t head = 0, tail = 0;

    ck_assert_msg(indegree && start && targets && queue, "out of memory in the test");
    for (size_t i = 0; i < m; i++) {
        indegree[edges[i].to]++;
        start[edges[i].from + 2]++;
    }
    for (size_t v = 0; v < n; v++)
        start[v + 2] += start[v + 1];
    for (size_t i = 0; i < m; i++)
        targets[start[edges[i].from + 1]++] = edges[i].to;
    for (size_t v = 0; v < n; v++) {
        if (indegree[v] == 0)
            queue[tail++] = v;
    }
    while (head < tail) {
        size_t v = queue[head++];

        for (size_t i = start[v]; i < start[v + 1]; i++) {
            if (--indegree[targets[i]] == 0)
                queue[tail++] = targets[i];
        }
    }
    free(indegree), free(start), free(targets), free(queue);
    return tail < n;
}

static int edge_cmp(const void *a, const void *b)
{
    const struct lock_edge *x = a, *y = b;

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

static bool has_edge(const struct lock_edge *sorted, size_t m, size_t from, size_t to)
{
    struct lock_edge key = {from, to};

    return bsearch(&key, sorted, m, sizeof key, edge_cmp) != NULL;
}

/* The first nodes of a cycle, for a message. */
static const char *show(const size_t *cycle, long k)
{
    static char text[TEXT_MAX];
    size_t used = 0;

    text[0] = '\0';
    for (long i = 0; i < k && i < SHOWN && used < sizeof text; i++)
        used +=
            (size_t)snprintf(text + used, sizeof text - used, "%s%zu", i ? " -> " : "", cycle[i]);
    if (k > SHOWN && used < sizeof text)
        snprintf(text + used, sizeof text - used, " -> ... (%ld nodes)", k);
    return text;
}

/* Fail unless cycle[0 .. k-1] is a cycle of the graph: different nodes, each edge there. */
static void expect_cycle(const char *what, size_t n, const struct lock_edge *edges, size_t m,
                         const size_t *cycle, long k)
{
    struct lock_edge *sorted = malloc((m + 1) * sizeof *sorted);
    bool *seen = calloc(n + 1, sizeof *seen);

    ck_assert_msg(sorted && seen, "out of memory in the test");
    ck_assert_msg(k >= 1 && (size_t)k <= n, "%s: a cycle of %ld nodes in a graph of %zu", what, k,
                  n);
    memcpy(sorted, edges, m * sizeof *sorted);
    qsort(sorted, m, sizeof *sorted, edge_cmp);
    for (long i = 0; i < k; i++) {
        size_t node = cycle[i], next = cycle[(i + 1) % k];

        EXPECT(node < n, "%s: cycle[%ld] is %zu, not a node (there are %zu)", what, i, node, n);
        EXPECT(!seen[node], "%s: node %zu comes twice in the cycle %s", what, node, show(cycle, k));
        seen[node] = true;
        EXPECT(has_edge(sorted, m, node, next),
               "%s: the cycle %s goes %zu -> %zu, which is not an edge%s", what, show(cycle, k),
               node, next, i == k - 1 ? " (the last node must lead back to the first)" : "");
    }
    free(sorted), free(seen);
}

/* Find a cycle, and check the answer against Kahn's algorithm. Returns the cycle's length. */
static long check_graph(const char *what, size_t n, const struct lock_edge *edges, size_t m,
                        size_t *cycle)
{
    long k = find(what, n, edges, m, cycle);

    if (has_cycle(n, edges, m)) {
        ck_assert_msg(k > 0, "%s has a cycle, but find_lock_cycle returned 0", what);
        expect_cycle(what, n, edges, m, cycle, k);
    } else {
        ck_assert_msg(k == 0, "%s has no cycle, but find_lock_cycle returned %ld: %s", what, k,
                      show(cycle, k));
    }
    return k;
}

/* A small graph given as an array literal: CHECK(name, n, {{0, 1}, {1, 0}}). */
#define CHECK(what, n, ...)                                                                        \
    do {                                                                                           \
        static const struct lock_edge edges_[] = __VA_ARGS__;                                      \
        check_graph((what), (n), edges_, N(edges_), cycle);                                        \
    } while (0)

/* ---- small graphs ---------------------------------------------------------------------------- */

static size_t cycle[LOCK_GRAPH_MAX];

START_TEST(no_edges_no_cycle)
{
    static const struct lock_edge none[1];

    ck_assert_msg(find("no nodes", 0, none, 0, cycle) == 0, "no nodes: not 0");
    ck_assert_msg(find("one node, no edge", 1, none, 0, cycle) == 0, "one node: not 0");
    ck_assert_msg(find("ten nodes, no edge", 10, none, 0, cycle) == 0, "ten nodes: not 0");
}
END_TEST

START_TEST(a_self_loop_is_a_cycle_of_one)
{
    static const struct lock_edge loop[] = {{2, 2}};
    static const struct lock_edge among[] = {{0, 1}, {1, 2}, {3, 3}, {2, 4}};
    long k;

    k = find("the edge 2 -> 2", 5, loop, 1, cycle);
    ck_assert_msg(k == 1 && cycle[0] == 2,
                  "the edge 2 -> 2 (a thread waiting for itself) is the cycle {2}; got %ld nodes: "
                  "%s",
                  k, show(cycle, k));
    k = find("a chain and the edge 3 -> 3", 5, among, N(among), cycle);
    ck_assert_msg(k == 1 && cycle[0] == 3, "0 -> 1 -> 2 -> 4 and 3 -> 3: the cycle is {3}; got %s",
                  show(cycle, k));
}
END_TEST

START_TEST(two_locks_in_opposite_orders)
{
    CHECK("0 -> 1 -> 0", 2, {{0, 1}, {1, 0}});
    CHECK("1 -> 0 -> 1, among others", 4, {{2, 3}, {1, 0}, {3, 0}, {0, 1}});
}
END_TEST

START_TEST(cycles_longer_than_two)
{
    CHECK("a ring of three", 3, {{0, 1}, {1, 2}, {2, 0}});
    CHECK("a ring of five, listed backwards", 5, {{4, 0}, {3, 4}, {2, 3}, {1, 2}, {0, 1}});
    CHECK("a ring of four with a chord", 4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}});
}
END_TEST

START_TEST(a_path_into_a_cycle_is_not_part_of_it)
{
    long k;

    /* 0 -> 1 -> 2 -> 3 -> 1: the cycle is 1 2 3 (in some rotation), without 0. */
    CHECK("0 -> 1 -> 2 -> 3 -> 1", 4, {{0, 1}, {1, 2}, {2, 3}, {3, 1}});
    CHECK("5 -> 4 -> 3 -> 4", 6, {{5, 4}, {4, 3}, {3, 4}});
    k = find("0 -> 1 -> 2 -> 3 -> 1", 4, (const struct lock_edge[]){{0, 1}, {1, 2}, {2, 3}, {3, 1}},
             4, cycle);
    ck_assert_msg(k == 3, "0 -> 1 -> 2 -> 3 -> 1: the cycle has 3 nodes; got %s", show(cycle, k));
}
END_TEST

START_TEST(diamonds_are_not_cycles)
{
    /* Two paths to one node are not a cycle: edges have a direction. */
    CHECK("a diamond", 4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}});
    CHECK("a diamond listed backwards", 4, {{2, 3}, {1, 3}, {0, 2}, {0, 1}});
    CHECK("a triangle without a cycle", 3, {{0, 1}, {1, 2}, {0, 2}});
    CHECK("every edge i -> j with i < j", 5,
          {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 2}, {1, 3}, {1, 4}, {2, 3}, {2, 4}, {3, 4}});
}
END_TEST

START_TEST(repeated_edges)
{
    CHECK("0 -> 1 twice, then 1 -> 2", 3, {{0, 1}, {0, 1}, {1, 2}});
    CHECK("0 -> 1 -> 0, with 0 -> 1 twice", 2, {{0, 1}, {1, 0}, {0, 1}});
}
END_TEST

START_TEST(cycles_in_disconnected_parts)
{
    enum { NODES = 200 };
    static struct lock_edge edges[NODES];
    size_t m = 0;

    /* A chain 0 -> ... -> 99, nodes 100 .. 149 alone, and the ring 150 -> 151 -> 152 -> 150. */
    for (size_t v = 0; v < 99; v++)
        edges[m++] = (struct lock_edge){v, v + 1};
    edges[m++] = (struct lock_edge){150, 151};
    edges[m++] = (struct lock_edge){151, 152};
    edges[m++] = (struct lock_edge){152, 150};
    check_graph("a chain, lone nodes, and a ring far from node 0", NODES, edges, m, cycle);
    /* And the ring alone, its nodes not reachable from node 0 nor from any other. */
    check_graph("only the ring 150 -> 151 -> 152", NODES, edges + 99, 3, cycle);
    CHECK("a self-loop on the last node", 7, {{0, 1}, {2, 3}, {6, 6}});
}
END_TEST

/* ---- random graphs ------------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void) /* xorshift64*: the same graphs on every run */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

START_TEST(random_small_graphs_agree_with_kahn)
{
    enum { GRAPHS = 1000, MAX_NODES = 12 };
    static struct lock_edge edges[3 * MAX_NODES];
    char what[TEXT_MAX];
    int with = 0, without = 0;

    rng_state = 0x5eed;
    for (int g = 0; g < GRAPHS; g++) {
        size_t n = 1 + rng() % MAX_NODES, m = rng() % (2 * n + 1);

        for (size_t i = 0; i < m; i++)
            edges[i] = (struct lock_edge){rng() % n, rng() % n};
        snprintf(what, sizeof what, "random graph %d (%zu nodes, %zu edges)", g, n, m);
        if (check_graph(what, n, edges, m, cycle) > 0)
            with++;
        else
            without++;
    }
    ck_assert_msg(with > 50 && without > 50, "the test's graphs: %d with a cycle, %d without", with,
                  without);
}
END_TEST

START_TEST(random_graphs_without_self_loops)
{
    enum { GRAPHS = 500, MAX_NODES = 60 };
    static struct lock_edge edges[2 * MAX_NODES];
    char what[TEXT_MAX];

    rng_state = 0xdead1;
    for (int g = 0; g < GRAPHS; g++) {
        size_t n = 2 + rng() % (MAX_NODES - 1), m = rng() % (n + n / 4 + 1);

        for (size_t i = 0; i < m; i++) {
            size_t a = rng() % n, b = rng() % (n - 1);

            edges[i] = (struct lock_edge){a, b >= a ? b + 1 : b};
        }
        snprintf(what, sizeof what, "random graph %d (%zu nodes, %zu edges, no self-loop)", g, n,
                 m);
        check_graph(what, n, edges, m, cycle);
    }
}
END_TEST

/* ---- large graphs -------------------------------------------------------------------------- */

static struct lock_edge big[2 * BIG + 1];

START_TEST(a_ring_of_100000_locks)
{
    long k;

    for (size_t v = 0; v < BIG; v++)
        big[v] = (struct lock_edge){v, (v + 1) % BIG};
    k = check_graph("a ring of 100,000 nodes", BIG, big, BIG, cycle);
    ck_assert_msg(k == (long)BIG, "the only cycle has 100,000 nodes; got %ld", k);
}
END_TEST

START_TEST(a_chain_of_100000_locks)
{
    /* Listed from the far end; a search from node 0 goes 100,000 nodes deep. */
    for (size_t v = 0; v + 1 < BIG; v++)
        big[v] = (struct lock_edge){BIG - 2 - v, BIG - 1 - v};
    check_graph("a chain of 100,000 nodes", BIG, big, BIG - 1, cycle);
    big[BIG - 1] = (struct lock_edge){BIG - 1, BIG / 2};
    check_graph("a chain of 100,000 nodes whose end leads back to its middle", BIG, big, BIG,
                cycle);
}
END_TEST

START_TEST(a_ladder_of_diamonds)
{
    enum { DIAMONDS = 60 };
    size_t m = 0;

    /* 2^60 paths from the top to the bottom: a search must not walk them all. */
    for (size_t i = 0; i < DIAMONDS; i++) {
        big[m++] = (struct lock_edge){3 * i, 3 * i + 1};
        big[m++] = (struct lock_edge){3 * i, 3 * i + 2};
        big[m++] = (struct lock_edge){3 * i + 1, 3 * i + 3};
        big[m++] = (struct lock_edge){3 * i + 2, 3 * i + 3};
    }
    check_graph("a ladder of 60 diamonds", 3 * DIAMONDS + 1, big, m, cycle);
    big[m++] = (struct lock_edge){3 * DIAMONDS, 1};
    check_graph("a ladder of 60 diamonds whose bottom leads back up", 3 * DIAMONDS + 1, big, m,
                cycle);
}
END_TEST

START_TEST(a_large_random_graph)
{
    size_t *order = malloc(BIG * sizeof *order);
    size_t m = 2 * BIG - 1;

    ck_assert_msg(order != NULL, "out of memory in the test");
    rng_state = 0xb16;
    for (size_t i = 0; i < BIG; i++) /* a random order of the nodes */
        order[i] = i;
    for (size_t i = BIG - 1; i > 0; i--) {
        size_t j = rng() % (i + 1), t = order[i];

        order[i] = order[j], order[j] = t;
    }
    for (size_t e = 0; e < m; e++) { /* every edge goes forward in that order: no cycle */
        size_t i = rng() % (BIG - 1), j = i + 1 + rng() % (BIG - 1 - i);

        big[e] = (struct lock_edge){order[i], order[j]};
    }
    check_graph("100,000 nodes, 200,000 edges, no cycle", BIG, big, m, cycle);
    big[m] = (struct lock_edge){big[m / 2].to, big[m / 2].from}; /* one edge backwards */
    check_graph("the same with one edge reversed", BIG, big, m + 1, cycle);
    free(order);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 5 exercises");
    TCase *tc = test_case(s, "lock_cycle");

    tcase_add_test(tc, no_edges_no_cycle);
    tcase_add_test(tc, a_self_loop_is_a_cycle_of_one);
    tcase_add_test(tc, two_locks_in_opposite_orders);
    tcase_add_test(tc, cycles_longer_than_two);
    tcase_add_test(tc, a_path_into_a_cycle_is_not_part_of_it);
    tcase_add_test(tc, diamonds_are_not_cycles);
    tcase_add_test(tc, repeated_edges);
    tcase_add_test(tc, cycles_in_disconnected_parts);
    tcase_add_test(tc, random_small_graphs_agree_with_kahn);
    tcase_add_test(tc, random_graphs_without_self_loops);
    tcase_add_test(tc, a_ring_of_100000_locks);
    tcase_add_test(tc, a_chain_of_100000_locks);
    tcase_add_test(tc, a_ladder_of_diamonds);
    tcase_add_test(tc, a_large_random_graph);
    return s;
}
