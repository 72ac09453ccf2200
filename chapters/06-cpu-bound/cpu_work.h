/*
 * cpu_work.h: the CPU-bound job of split_threads.c and split_threads_gil.c (and of the tests).
 *
 * Chapter 6. The job is "add up work_item(i) for every i below n": each item is pure arithmetic
 * (no memory to share, no waiting), and they all cost the same, so n items split into equal
 * chunks give every thread an equal share. The sum is a uint64_t, which wraps modulo 2^64: integer
 * addition in any order gives the same total, so the result must be identical for any number of
 * threads (floating point would not be: (a + b) + c and a + (b + c) can differ).
 * The functions are `static inline` so that each program gets its own copy and none goes unused.
 */
#ifndef CPU_WORK_H
#define CPU_WORK_H

#include <stdint.h>

/* Rounds of mixing per item: enough that an item costs far more than the loop around it. */
#define WORK_ROUNDS 16

/* One round of splitmix64, a well-known integer hash: multiplies, shifts and exclusive ors. */
static inline uint64_t work_mix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* What item i is worth: WORK_ROUNDS rounds of mixing. About 20 ns on this book's machine. */
static inline uint64_t work_item(uint64_t i)
{
    uint64_t x = i;

    for (int r = 0; r < WORK_ROUNDS; r++)
        x = work_mix(x);
    return x;
}

/* The sum of work_item(i) for lo <= i < hi, modulo 2^64. */
static inline uint64_t work_range(uint64_t lo, uint64_t hi)
{
    uint64_t sum = 0;

    for (uint64_t i = lo; i < hi; i++)
        sum += work_item(i);
    return sum;
}

#endif
