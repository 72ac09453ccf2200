"""sleep_zero.py: asyncio.sleep(0) is exactly one trip round the loop, as TASK_SLEEP(t, 0) is.

Chapter 9. The same experiment as sleep_zero.c, in asyncio, printing the same lines. asyncio has
no public "run one iteration", so a callback counts them instead: it runs once per iteration,
first, and queues itself again for the next (call_soon callbacks queued during an iteration run
in the next one, in asyncio as in our loop). Run: python3 chapters/09-tasks-and-coroutines/sleep_zero.py
"""
import asyncio

iteration = 0


def tick(loop, tasks):
    global iteration
    iteration += 1
    if not all(t.done() for t in tasks):
        loop.call_soon(tick, loop, tasks)


async def two_halves(name, halves):
    halves.append(iteration)
    print(f"{name}: first half, in iteration {iteration}", flush=True)
    await asyncio.sleep(0)
    halves.append(iteration)
    print(f"{name}: second half, in iteration {iteration}", flush=True)


def main():
    loop = asyncio.new_event_loop()
    a_halves, tasks = [], []
    loop.call_soon(tick, loop, tasks)  # queued first: it runs first in every iteration
    tasks.append(loop.create_task(two_halves("A", a_halves)))
    tasks.append(loop.create_task(two_halves("B", [])))
    loop.run_until_complete(asyncio.gather(*tasks))
    loop.close()
    print(f"iterations between A's two halves: {a_halves[1] - a_halves[0]}")


main()
