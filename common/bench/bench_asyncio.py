"""bench_asyncio.py: the same jobs on CPython's asyncio, beside bench_loop.c, under `make bench`.

    callbacks N   N callbacks queued with loop.call_soon, then run: ns each, queueing included
    timers N      N loop.call_later timers with 1,000 distinct delays (1 to 1,000 ms), all
                  pending at once; the loop runs once all are due: ns per timer
    sleeping N    N tasks asleep in asyncio.sleep: resident bytes per task
    spawn N       N tasks created with create_task and run to their end (they return at once)

Prints one number, as the C programs do (bench.h). Times are CPU time of the process
(CLOCK_PROCESS_CPUTIME_ID), memory is resident memory (/proc/self/statm). Linux only.
The warm-up pass before each timed job is short (WARM_UP items): it warms the interpreter's
code paths, and cannot do more: when its objects are freed, CPython gives the emptied memory
back to the system, so the timed pass touches fresh pages whatever came before (bench.h).
Usage: python3 bench_asyncio.py JOB N
"""
import asyncio
import os
import sys
import time

NO_SUCH_JOB = 3  # bench.h's BENCH_NO_SUCH_JOB
DISTINCT_DELAYS = 1000  # bench.h's BENCH_DISTINCT_DELAYS
SEED = 12345  # bench.h's BENCH_SEED
SLEEP_SECONDS = 3600
WARM_UP = 10000


def cpu_ns():
    return time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def delays_ms(n):
    """bench_next_delay_ms() of bench.c, n times: the very same sequence of delays."""
    state = SEED
    for _ in range(n):
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        yield 1 + (state >> 16) % DISTINCT_DELAYS


def report(total, n):
    print(f"{total / n:.1f}")


def callbacks_pass(loop, n):
    count = 0

    def counted():
        nonlocal count
        count += 1

    start = cpu_ns()
    for _ in range(n):
        loop.call_soon(counted)
    loop.call_soon(loop.stop)
    loop.run_forever()
    took = cpu_ns() - start
    assert count == n, f"{count} of {n} callbacks ran"
    return took


def callbacks(n):
    loop = asyncio.new_event_loop()
    callbacks_pass(loop, min(n, WARM_UP))
    report(callbacks_pass(loop, n), n)


def timers(n):
    loop = asyncio.new_event_loop()
    count = 0

    def counted():
        nonlocal count
        count += 1
        if count == n:
            loop.stop()

    # Warm-up without waiting: arm some, cancel them, let the loop drop them.
    for handle in [loop.call_later(delay / 1000, counted) for delay in delays_ms(min(n, WARM_UP))]:
        handle.cancel()
    loop.call_soon(loop.stop)
    loop.run_forever()
    start = cpu_ns()
    for delay in delays_ms(n):
        loop.call_later(delay / 1000, counted)
    took = cpu_ns() - start
    time.sleep((DISTINCT_DELAYS + 10) / 1000)  # every timer due: see bench_loop.c
    start = cpu_ns()
    loop.run_forever()
    took += cpu_ns() - start
    assert count == n, f"{count} of {n} timers fired"
    loop.close()
    report(took, n)


def sleeping(n):
    async def sleeper():
        await asyncio.sleep(SLEEP_SECONDS)

    async def main():
        before = rss_bytes()
        tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
        await asyncio.sleep(0)  # one trip round the loop: every task reaches its sleep
        after = rss_bytes()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return after - before

    report(asyncio.run(main()), n)


def spawn_pass(loop, n):
    async def finisher():
        pass

    start = cpu_ns()
    tasks = [loop.create_task(finisher()) for _ in range(n)]
    loop.run_until_complete(tasks[-1])  # tasks run in order: the last one ends last
    took = cpu_ns() - start
    assert all(task.done() for task in tasks)
    return took


def spawn(n):
    loop = asyncio.new_event_loop()
    spawn_pass(loop, min(n, WARM_UP))
    report(spawn_pass(loop, n), n)


JOBS = {"callbacks": callbacks, "timers": timers, "sleeping": sleeping, "spawn": spawn}

if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python3 bench_asyncio.py JOB N")
    job = JOBS.get(sys.argv[1])
    if job is None:
        sys.exit(NO_SUCH_JOB)
    job(int(sys.argv[2]))
