# compute_threads.py: article 002's threading example, compute() on two threads, as printed.
#
# Chapter 2. The article's code, indentation restored. Each print() is two writes (the text,
# then "\n": print_calls.py shows them), so the lines can run together; run it a few hundred
# times to see how often (BOOK.md shows a sample). The C side: print_pieces.c, printf_lines.c.
import threading


def compute():
    print("Computing...")
    for i in range(10**6):
        pass
    print("Computation done")


thread1 = threading.Thread(target=compute)
thread2 = threading.Thread(target=compute)

thread1.start()
thread2.start()

thread1.join()
thread2.join()
