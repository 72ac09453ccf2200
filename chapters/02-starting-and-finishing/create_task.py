# create_task.py: create_task_loop.c in Python: asyncio.run cancels the task main did not await.
#
# Chapter 2. The same tasks as create_task_loop.c: A (2 s) and B (1 s) created and gathered,
# background (3 s) created and never awaited. When main returns, asyncio.run cancels every task
# still pending, so "background: done" never comes (task_run, in C, runs the loop until nothing
# is left). An optional argument scales the waits, as -s does: python3 create_task.py 0.01
import asyncio
import sys

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
background = None  # the task main creates and never awaits


async def job(name, seconds):
    print(f"{name}: started, waits {seconds} s")
    await asyncio.sleep(seconds * SCALE)
    print(f"{name}: done")


async def main():
    global background
    a = asyncio.create_task(job("A", 2))
    b = asyncio.create_task(job("B", 1))
    background = asyncio.create_task(job("background", 3))  # created, never awaited
    print("main: started A, B and background; none of them has run yet")
    await asyncio.gather(a, b)
    print("main: A and B are done; main ends without awaiting background")


asyncio.run(main())
print(f"asyncio.run returned; background cancelled: {background.cancelled()}")
