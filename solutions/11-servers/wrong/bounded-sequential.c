/* wrong: runs every item on the calling thread, one after the other: no concurrency at all */
#include "exercises.h"

int run_bounded(int nitems, int nthreads, bounded_work *work, void *arg)
{
    (void)nthreads;
    for (int i = 0; i < nitems; i++)
        work(i, arg);
    return 0;
}
