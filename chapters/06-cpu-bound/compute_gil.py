"""compute_gil.py: article 002's compute() in CPython, then timed: one after the other, then on
two threads. Chapter 6; optional (needs python3). With the GIL, the two threads take as long as
the two calls in a row, and use one core: compare with split_threads_gil.c. On a free-threaded
build (python3.13t, PEP 703) the GIL is off and the threads overlap: compare with split_threads.c.
"""
import sys
import threading
import time

RUNS = 3  # each figure is the best of this many runs


def compute():  # article 002's function, as it is
    print("Computing...")
    for i in range(10**6):
        pass
    print("Computation done")


def loop():  # the same loop without the prints, for timing
    for i in range(10**6):
        pass


def in_a_row():
    loop()
    loop()


def on_two_threads():
    threads = [threading.Thread(target=loop) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def best(run):
    """The best wall time of RUNS runs, with the CPU time the process used in that run."""
    figures = []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        figures.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(figures)


t1 = threading.Thread(target=compute)
t2 = threading.Thread(target=compute)
t1.start()
t2.start()
t1.join()
t2.join()

gil = getattr(sys, "_is_gil_enabled", lambda: True)()  # Python 3.13 and later can say
print(f"Python {sys.version.split()[0]}, GIL {'enabled' if gil else 'disabled'}, "
      f"switch interval {sys.getswitchinterval()} s")
row, threaded = best(in_a_row), best(on_two_threads)
print(f"two loops in a row:   wall {row[0]:.3f} s, CPU {row[1]:.3f} s")
print(f"two loops on threads: wall {threaded[0]:.3f} s, CPU {threaded[1]:.3f} s")
print(f"speed-up: {row[0] / threaded[0]:.2f}x")
