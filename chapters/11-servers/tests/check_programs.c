/*
 * check_programs.c: chapter 11's two client programs, black box: servers_tour shows the same
 * replies from every server, each stopped with status 0; idle_client shows the sequential server
 * stuck behind an idle client and the three others not. Plus -h and a bad option for each.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "testing.h"

#define SCALE "1" /* idle_client's patience, 1 s: no server answers that late unless it is stuck */

static const char *const servers[] = {"server_sequential", "server_threads", "server_pool",
                                      "server_loop"};

START_TEST(servers_tour_replies)
{
    struct proc_result r;
    const char *replies = "+OK\\r\\n$5\\r\\nhello\\r\\n:1\\r\\n:2\\r\\n-ERR unknown command 'FLY', "
                          "with args beginning with: 'away' \\r\\n";
    char want[512];

    run_program(&r, "servers_tour", NULL);
    ck_assert_int_eq((int)r.nlines, 9);
    for (int i = 0; i < 4; i++) {
        snprintf(want, sizeof want, "%s: %s", servers[i], replies);
        ck_assert_str_eq(r.lines[1 + 2 * i], want);
        snprintf(want, sizeof want, "%s: stopped by SIGTERM, exit status 0", servers[i]);
        ck_assert_str_eq(r.lines[2 + 2 * i], want);
    }
}
END_TEST

START_TEST(idle_client_stalls_only_sequential)
{
    struct proc_result r;
    const char *const expected[] = {
        "server_sequential: B got nothing in 1 s: the server is waiting for idle A",
        "server_sequential: A hung up; now B got PONG",
        "server_threads: B got PONG while A sat idle",
        "server_pool: B got PONG while A sat idle",
        "server_loop: B got PONG while A sat idle",
    };

    run_program(&r, "idle_client", "-s", SCALE, NULL);
    expect_lines(&r, expected, sizeof expected / sizeof expected[0]);
}
END_TEST

START_TEST(options)
{
    const char *const programs[] = {"servers_tour", "idle_client"};

    for (size_t i = 0; i < 2; i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-Q", NULL};
        struct proc_result r;

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        ck_assert(proc_run(help, 5, true, &r) == 0);
        ck_assert_int_eq(r.exit_code, 0);
        ck_assert_msg(strstr(r.lines[0], "usage") != NULL || r.nlines > 1, "%s -h", programs[i]);
        ck_assert(proc_run(bad, 5, true, &r) == 0);
        ck_assert_int_eq(r.exit_code, 2);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("programs");
    TCase *tc = test_case(s, "programs");

    tcase_add_test(tc, servers_tour_replies);
    tcase_add_test(tc, idle_client_stalls_only_sequential);
    tcase_add_test(tc, options);
    return s;
}
