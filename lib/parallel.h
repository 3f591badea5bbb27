#ifndef SD_PARALLEL_H
#define SD_PARALLEL_H

/* Independent jobs on the machine's cores, their ends taken in order
 * (lib/parallel.c).  Inside lib/ only. */

#include <stddef.h>

/* How many workers sd__parallel would run n jobs on: the cores online, at
 * most 8 and at most n, or $SD_THREADS when it is a number from 1 to 64;
 * at least 1. */
size_t sd__parallel_workers(size_t n);

/* work(arg, job, worker) for each job 0..n-1, on `workers` threads
 * (worker 0 .. workers-1 tells the caller's per-worker state apart), and
 * done(arg, job, rc), rc being work's, on the caller's thread in the order
 * of the jobs.  Workers stay at most a few jobs ahead of done.  Once work
 * returns an error, or done anything but 0, no job starts; done still
 * hears of every job whose work ran.  The first of those, in the order of
 * the jobs, or 0. */
int sd__parallel(size_t n, size_t workers, int (*work)(void *arg, size_t job, size_t worker),
    int (*done)(void *arg, size_t job, int rc), void *arg);

#endif
