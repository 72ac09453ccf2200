# print_calls.py: what print() does to its file: two write() calls, the text and then "\n".
#
# Chapter 2. print() is given a file object that reports every call made to it. CPython's
# print(s) calls file.write(s), then file.write("\n"): another thread can write between the two,
# which is how threaded output ends up with lines run together (compute_threads.py).
# Compare with print_pieces.c, which does the same in C with the order forced.
import sys


class ShowCalls:
    def write(self, text):
        sys.stdout.write(f"write({text!r})\n")

    def flush(self):
        pass


print("Computing...", file=ShowCalls())
