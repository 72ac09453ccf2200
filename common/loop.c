/*
 * loop.c: the event loop declared in loop.h. Read loop.h first; chapter 8 builds this file.
 *
 * Three structures:
 *   - the ready queue: a doubly linked list of caller-owned loop_callbacks, FIFO;
 *   - the timer heap: a 4-ary min-heap of caller-owned loop_timers ordered by (deadline, seq), so
 *     equal deadlines fire in the order they were scheduled (as libuv). Each entry of the array
 *     holds its timer's deadline beside the pointer: see "the timer heap" below;
 *   - the watchers: a table indexed by descriptor value, grown on demand up to the highest one
 *     watched. The select backend refuses values from FD_SETSIZE on; an epoll backend (chapter 15)
 *     does not, and the table grows with it: no array here is sized by FD_SETSIZE.
 */
#define _POSIX_C_SOURCE 200809L
#include "loop.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop_backend.h"

#define HEAP_MIN_CAPACITY 16
#define HEAP_ARITY 4  /* children per node: half the depth of a binary heap */
#define CACHE_LINE 64 /* bytes; four 16-byte heap entries fill one */
#define WATCHERS_MIN_CAPACITY 64

/*
 * What is watched on one descriptor: a callback for reading, one for writing. Each watcher is
 * allocated on its own, and the table holds pointers to them: the ready queue links to `queued`
 * inside a watcher, so a watcher must never move when the table grows.
 */
struct watcher {
    loop_fn *fn[2];
    void *arg[2];
    struct loop_callback queued[2]; /* the readiness waiting in the ready queue */
};

/* One entry of the timer heap: the timer's deadline (kept here only), and the timer. */
struct heap_entry {
    int64_t deadline;
    struct loop_timer *timer;
};

struct loop {
    struct loop_callback ready; /* sentinel of the circular ready list */
    size_t nready;

    struct heap_entry *heap; /* heap[0] is the earliest timer; see heap_grow for the layout */
    void *heap_memory;       /* the block heap points into, for free() */
    size_t nheap, heap_capacity;
    uint64_t next_seq;

    struct watcher **watchers; /* indexed by fd; NULL where nothing was ever watched */
    size_t watchers_capacity;  /* length of watchers[]: the highest fd seen, plus one at least */
    int nwatched;              /* (fd, event) pairs watched */
    int nfds;                  /* descriptors watched for something */
    struct backend *backend;
    struct backend_event *fired; /* what one poll found: room for nfds entries, never less */
    size_t fired_capacity;

    struct fake_clock *fake; /* NULL: the real monotonic clock */
    bool stopping;

    int64_t slow_ns; /* report callbacks that run longer; 0: do not time them */
    loop_slow_fn *slow_report;
    void *slow_arg;
};

/* Index 0 is the read side of a watcher, 1 the write side. */
static int side(enum loop_event event)
{
    return event == LOOP_WRITE ? 1 : 0;
}

struct loop *loop_new(void)
{
    struct loop *loop = calloc(1, sizeof *loop);

    if (loop == NULL)
        return NULL;
    loop->ready.prev = loop->ready.next = &loop->ready;
    loop->backend = backend_new();
    if (loop->backend == NULL) {
        free(loop);
        return NULL;
    }
    return loop;
}

void loop_free(struct loop *loop)
{
    if (loop == NULL)
        return;
    /* Unlink what is still queued, so that the caller's structs do not point into freed memory. */
    while (loop->ready.next != &loop->ready)
        loop_cancel_soon(loop, loop->ready.next);
    for (size_t i = 0; i < loop->nheap; i++)
        loop->heap[i].timer->slot = 0;
    backend_free(loop->backend);
    for (size_t fd = 0; fd < loop->watchers_capacity; fd++)
        free(loop->watchers[fd]);
    free(loop->watchers);
    free(loop->fired);
    free(loop->heap_memory);
    free(loop);
}

void loop_use_fake_clock(struct loop *loop, struct fake_clock *fake)
{
    loop->fake = fake;
}

int64_t loop_now_ns(const struct loop *loop)
{
    return loop->fake != NULL ? loop->fake->now_ns : clock_now_ns();
}

double loop_time(const struct loop *loop)
{
    return (double)loop_now_ns(loop) / (double)NSEC_PER_SEC;
}

/* ---- the ready queue ---------------------------------------------------------------------- */

void loop_call_soon(struct loop *loop, struct loop_callback *cb, loop_fn *fn, void *arg)
{
    cb->fn = fn;
    cb->arg = arg;
    if (cb->next != NULL)
        return; /* already queued: keep its place */
    cb->prev = loop->ready.prev;
    cb->next = &loop->ready;
    loop->ready.prev->next = cb;
    loop->ready.prev = cb;
    loop->nready++;
}

bool loop_cancel_soon(struct loop *loop, struct loop_callback *cb)
{
    if (cb->next == NULL)
        return false;
    cb->prev->next = cb->next;
    cb->next->prev = cb->prev;
    cb->prev = cb->next = NULL;
    loop->nready--;
    return true;
}

/* ---- the timer heap -----------------------------------------------------------------------
 *
 * A min-heap keeps the earliest timer at heap[0]: arming and cancelling cost O(log n), finding
 * the earliest O(1). Two choices below come from profiling `make bench` (chapter 8 tells the
 * story), where a heap of a million timers is far bigger than the CPU's caches:
 *   - Each entry holds its timer's deadline (the timer itself does not). A heap of bare pointers
 * must follow two pointers to compare two entries, and each one lands on a timer somewhere in
 * memory: a cache miss at every level of every sift. Here, comparisons read the array only. Equal
 * deadlines, rare on the real clock (nanoseconds), are the exception: their tie-breaker, seq, is
 * read through the pointers.
 *   - Each node has four children, not two: the heap is half as deep. The array is laid out so
 *     that the four children of a node, 4 x 16 bytes, fill exactly one 64-byte cache line (see
 *     heap_grow), and while comparing them, the sift asks for the lines of their own children
 *     (prefetch), so that the next level is on its way before it is needed.
 * The timer records where its entry is (slot = index + 1), so cancelling finds it at once.
 */

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

static bool entry_before(const struct heap_entry *a, const struct heap_entry *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->timer->seq < b->timer->seq; /* equal deadlines: first scheduled, first fired */
}

static void heap_put(struct loop *loop, size_t i, struct heap_entry e)
{
    loop->heap[i] = e;
    e.timer->slot = i + 1;
}

/* Move the entry at i up while it is earlier than its parent. */
static void heap_up(struct loop *loop, size_t i)
{
    struct heap_entry e = loop->heap[i];

    while (i > 0) {
        size_t parent = (i - 1) / HEAP_ARITY;

        if (!entry_before(&e, &loop->heap[parent]))
            break;
        heap_put(loop, i, loop->heap[parent]);
        i = parent;
    }
    heap_put(loop, i, e);
}

/* Move the entry at i down while one of its children is earlier. */
static void heap_down(struct loop *loop, size_t i)
{
    struct heap_entry e = loop->heap[i];
    size_t n = loop->nheap;

    for (;;) {
        size_t first = HEAP_ARITY * i + 1, last, best;

        if (first >= n)
            break;
        /* The grandchildren: one cache line per child, fetched while we compare the children. */
        for (size_t g = HEAP_ARITY * first + 1; g < n && g <= HEAP_ARITY * (first + HEAP_ARITY);
             g += HEAP_ARITY)
            PREFETCH(&loop->heap[g]);
        last = first + HEAP_ARITY < n ? first + HEAP_ARITY : n;
        best = first;
        for (size_t c = first + 1; c < last; c++) {
            if (entry_before(&loop->heap[c], &loop->heap[best]))
                best = c;
        }
        if (!entry_before(&loop->heap[best], &e))
            break;
        heap_put(loop, i, loop->heap[best]);
        i = best;
    }
    heap_put(loop, i, e);
}

/* Take the entry at index i out of the heap. */
static void heap_remove(struct loop *loop, size_t i)
{
    struct loop_timer *gone = loop->heap[i].timer;

    loop->nheap--;
    if (i < loop->nheap) {
        /* Fill the hole with the last entry, then restore the order in whichever direction. */
        heap_put(loop, i, loop->heap[loop->nheap]);
        heap_down(loop, i);
        heap_up(loop, i);
    }
    gone->slot = 0;
}

/*
 * Double the heap's room. The children of node i are heap[4i+1 .. 4i+4]; if heap[-3] sits on a
 * cache-line boundary, so does heap[4i+1] = heap[-3 + 4(i+1)], for every i. malloc promises less
 * alignment than that, so we ask for a line more and place the array inside the block ourselves.
 */
static int heap_grow(struct loop *loop)
{
    size_t cap = loop->heap_capacity ? 2 * loop->heap_capacity : HEAP_MIN_CAPACITY;
    size_t lead = HEAP_ARITY - 1; /* entries before heap[0], unused */
    size_t old_skip = loop->heap_memory != NULL
                          ? (size_t)((char *)(loop->heap - lead) - (char *)loop->heap_memory)
                          : 0;
    /* realloc, not malloc and free: a big block grows where it is (mremap, on Linux), and the
     * old one does not stay behind in the process's memory. */
    char *memory =
        realloc(loop->heap_memory, (lead + cap) * sizeof(struct heap_entry) + CACHE_LINE);
    size_t skip; /* bytes from the start of the block to the first cache-line boundary */

    if (memory == NULL)
        return -1;
    skip = (CACHE_LINE - (uintptr_t)memory % CACHE_LINE) % CACHE_LINE;
    if (skip != old_skip && loop->nheap > 0) /* the block moved to another alignment */
        memmove(memory + skip + lead * sizeof(struct heap_entry),
                memory + old_skip + lead * sizeof(struct heap_entry),
                loop->nheap * sizeof(struct heap_entry));
    loop->heap_memory = memory;
    loop->heap = (struct heap_entry *)(memory + skip) + lead;
    loop->heap_capacity = cap;
    return 0;
}

int loop_call_later(struct loop *loop, struct loop_timer *timer, double delay, loop_fn *fn,
                    void *arg)
{
    int64_t deadline;

    if (timer->slot != 0) {
        errno = EBUSY;
        return -1;
    }
    if (loop->nheap == loop->heap_capacity && heap_grow(loop) == -1)
        return -1;
    deadline = loop_now_ns(loop) + seconds_to_ns(delay);
    timer->seq = loop->next_seq++;
    timer->fn = fn;
    timer->arg = arg;
    loop->heap[loop->nheap++] = (struct heap_entry){deadline, timer};
    heap_up(loop, loop->nheap - 1);
    return 0;
}

bool loop_cancel_timer(struct loop *loop, struct loop_timer *timer)
{
    if (timer->slot == 0)
        return false;
    heap_remove(loop, timer->slot - 1);
    return true;
}

bool loop_timer_pending(const struct loop_timer *timer)
{
    return timer->slot != 0;
}

/* ---- watched descriptors ------------------------------------------------------------------ */

static int watched_events(const struct watcher *w)
{
    return (w->fn[0] ? LOOP_READ : 0) | (w->fn[1] ? LOOP_WRITE : 0);
}

/* The watcher of `fd`, or NULL if nothing was ever watched there. */
static struct watcher *watcher_of(const struct loop *loop, int fd)
{
    return (size_t)fd < loop->watchers_capacity ? loop->watchers[fd] : NULL;
}

/*
 * The watcher of `fd`, created (and the table grown to reach it) if need be. Returns NULL with
 * errno = ENOMEM. The table at least doubles when it grows, so watching descriptors 0, 1, 2, ...
 * in turn costs O(1) each, amortised.
 */
static struct watcher *watcher_for(struct loop *loop, int fd)
{
    if ((size_t)fd >= loop->watchers_capacity) {
        size_t cap = loop->watchers_capacity ? 2 * loop->watchers_capacity : WATCHERS_MIN_CAPACITY;
        struct watcher **table;

        if (cap <= (size_t)fd)
            cap = (size_t)fd + 1;
        table = realloc(loop->watchers, cap * sizeof *table);
        if (table == NULL)
            return NULL;
        for (size_t i = loop->watchers_capacity; i < cap; i++)
            table[i] = NULL;
        loop->watchers = table;
        loop->watchers_capacity = cap;
    }
    if (loop->watchers[fd] == NULL)
        loop->watchers[fd] = calloc(1, sizeof(struct watcher));
    return loop->watchers[fd];
}

/* Make room for `nfds` events in one poll's results, so that a poll never has to leave any out. */
static int reserve_fired(struct loop *loop, size_t nfds)
{
    struct backend_event *fired;
    size_t cap;

    if (nfds <= loop->fired_capacity)
        return 0;
    cap = loop->fired_capacity ? 2 * loop->fired_capacity : WATCHERS_MIN_CAPACITY;
    if (cap < nfds)
        cap = nfds;
    fired = realloc(loop->fired, cap * sizeof *fired);
    if (fired == NULL)
        return -1;
    loop->fired = fired;
    loop->fired_capacity = cap;
    return 0;
}

int loop_watch(struct loop *loop, int fd, enum loop_event event, loop_fn *fn, void *arg)
{
    struct watcher *w;
    int s = side(event);
    bool new_fd;

    if (fd < 0 || fd >= backend_max_fd() || fn == NULL ||
        (event != LOOP_READ && event != LOOP_WRITE)) {
        errno = EINVAL;
        return -1;
    }
    /* Everything that can fail comes first, so that a failure leaves the loop as it was. */
    if ((w = watcher_for(loop, fd)) == NULL)
        return -1;
    new_fd = watched_events(w) == 0;
    if (new_fd && reserve_fired(loop, (size_t)loop->nfds + 1) == -1)
        return -1;
    if (backend_set(loop->backend, fd, watched_events(w) | event) == -1)
        return -1;
    if (new_fd)
        loop->nfds++;
    if (w->fn[s] == NULL)
        loop->nwatched++;
    w->fn[s] = fn;
    w->arg[s] = arg;
    if (w->queued[s].next != NULL) /* a readiness already queued runs the new callback */
        loop_call_soon(loop, &w->queued[s], fn, arg);
    return 0;
}

void loop_unwatch(struct loop *loop, int fd, enum loop_event event)
{
    struct watcher *w = fd >= 0 ? watcher_of(loop, fd) : NULL;
    int s = side(event);

    if (w == NULL || w->fn[s] == NULL)
        return;
    w->fn[s] = NULL;
    w->arg[s] = NULL;
    loop->nwatched--;
    if (watched_events(w) == 0)
        loop->nfds--;
    loop_cancel_soon(loop, &w->queued[s]);
    /* Forgetting a descriptor cannot fail in the select backend: it only clears bits. The watcher
     * itself stays allocated until loop_free: descriptor numbers are reused, and so is it. */
    (void)backend_set(loop->backend, fd, watched_events(w));
}

/* ---- running ------------------------------------------------------------------------------ */

int64_t loop_poll_timeout_ns(const struct loop *loop)
{
    int64_t wait;

    if (loop->nready > 0)
        return 0;
    if (loop->nheap == 0)
        return -1;
    wait = loop->heap[0].deadline - loop_now_ns(loop);
    return wait > 0 ? wait : 0;
}

static bool has_work(const struct loop *loop)
{
    return loop->nready > 0 || loop->nheap > 0 || loop->nwatched > 0;
}

/* Phase 1: wait for descriptors (or the next timer) and queue the callbacks of those ready. */
static int poll_io(struct loop *loop)
{
    int64_t timeout = loop_poll_timeout_ns(loop);
    int n;

    if (loop->fake != NULL && timeout > 0) {
        /* Virtual time: jump to the deadline instead of sleeping until it. */
        loop->fake->now_ns += timeout;
        timeout = 0;
    }
    if (timeout == 0 && loop->nwatched == 0)
        return 0; /* nothing to poll and no reason to wait: skip the system call */
    do {
        n = backend_poll(loop->backend, timeout, loop->fired, loop->nfds);
    } while (n == -1 && errno == EINTR); /* a signal is not an error: poll again */
    if (n == -1)
        return -1;
    for (int i = 0; i < n; i++) {
        struct watcher *w = loop->watchers[loop->fired[i].fd];

        for (int s = 0; s < 2; s++) {
            if ((loop->fired[i].events & (s ? LOOP_WRITE : LOOP_READ)) && w->fn[s] != NULL)
                loop_call_soon(loop, &w->queued[s], w->fn[s], w->arg[s]);
        }
    }
    return 0;
}

void loop_report_slow_callbacks(struct loop *loop, double threshold, loop_slow_fn *report,
                                void *arg)
{
    loop->slow_ns = threshold > 0 ? seconds_to_ns(threshold) : 0;
    loop->slow_report = report;
    loop->slow_arg = arg;
}

static void print_slow(struct loop *loop, loop_fn *fn, void *fn_arg, double seconds, void *arg)
{
    (void)loop, (void)fn, (void)fn_arg, (void)arg;
    fprintf(stderr, "loop: a callback ran %.3f s; every other callback and timer waited for it\n",
            seconds);
}

/* Run one callback; time it on the real clock (a fake one does not move while code runs). */
static void run_callback(struct loop *loop, loop_fn *fn, void *arg)
{
    int64_t start, took;

    if (loop->slow_ns == 0) {
        fn(loop, arg);
        return;
    }
    start = clock_now_ns();
    fn(loop, arg);
    took = clock_now_ns() - start;
    if (took > loop->slow_ns)
        (loop->slow_report ? loop->slow_report : print_slow)(
            loop, fn, arg, (double)took / (double)NSEC_PER_SEC, loop->slow_arg);
}

/* Phase 2: run the callbacks that were ready when this phase began, and no others. */
static void run_ready(struct loop *loop)
{
    struct loop_callback batch; /* sentinel of this phase's callbacks */

    if (loop->nready == 0)
        return;
    /* The snapshot: move the whole queue into `batch`. A callback queued from now on goes to the
     * emptied queue and waits for the next iteration. Counting the callbacks instead (asyncio's
     * ntodo) would go wrong here: asyncio leaves a cancelled handle in its queue and skips it,
     * but loop_cancel_soon unlinks, so each cancellation would let one newcomer in. A callback
     * still in `batch` can be cancelled as any other: its links lead into whichever list holds
     * it, and nready counts both lists. */
    batch.next = loop->ready.next;
    batch.prev = loop->ready.prev;
    batch.next->prev = &batch;
    batch.prev->next = &batch;
    loop->ready.next = loop->ready.prev = &loop->ready;
    while (batch.next != &batch) {
        struct loop_callback *cb = batch.next;

        loop_cancel_soon(loop, cb); /* unlink first: the callback may queue itself again */
        run_callback(loop, cb->fn, cb->arg);
    }
}

/* Phase 3: fire the timers that are due, earliest first. */
static void run_timers(struct loop *loop)
{
    int64_t now = loop_now_ns(loop);
    /* Timers scheduled by these callbacks wait for the next iteration, even with a 0 delay:
     * otherwise a timer that re-arms itself for "now" would keep this phase running forever. */
    uint64_t seq_limit = loop->next_seq;

    while (loop->nheap > 0 && loop->heap[0].deadline <= now &&
           loop->heap[0].timer->seq < seq_limit) {
        struct loop_timer *t = loop->heap[0].timer;

        heap_remove(loop, 0); /* before the call: it may re-arm the same timer */
        run_callback(loop, t->fn, t->arg);
    }
}

int loop_run_once(struct loop *loop)
{
    if (!has_work(loop))
        return 0; /* polling now would wait forever for nothing */
    if (poll_io(loop) == -1)
        return -1;
    run_ready(loop);
    run_timers(loop);
    return has_work(loop) ? 1 : 0;
}

void loop_stop(struct loop *loop)
{
    loop->stopping = true;
}

int loop_run(struct loop *loop)
{
    loop->stopping = false;
    while (!loop->stopping && has_work(loop)) {
        if (loop_run_once(loop) == -1)
            return -1;
    }
    loop->stopping = false;
    return 0;
}
