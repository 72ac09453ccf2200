/*
 * frame.c: exercise: where does the first RESP request in a buffer end?
 *
 * Chapter 11. A server reads whatever bytes have arrived: half a request, or three and a half.
 * Before it can run a command it must know where one ends. common/resp.c does this one byte at
 * a time with a state machine that keeps its place; here you write the other classic way: look
 * at everything read so far, from the start, and answer "complete, n bytes", "not yet", or
 * "never". Python: what redis-py's parser (hiredis) does on each recv().
 */
#include "exercises.h"

long frame_length(const char *buf, size_t len, size_t max)
{
    /*
     * TODO: walk the buffer from the start: '*', the count's digits and "\r\n"; then for each
     * element '$', the length's digits, "\r\n", the data, "\r\n". Wherever the bytes run out,
     * the answer is 0 (unless more than max bytes are here); wherever a byte is wrong, -1.
     */
    (void)buf;
    (void)len;
    (void)max;
    return -2; /* no answer at all, until you write one */
}
