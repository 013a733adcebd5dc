/* runtime: runs a command once and writes "MICROSECONDS PEAK_KB EXIT
 * CPU_MICROSECONDS" to RESULT-FILE: its wall time from fork to reaped exit,
 * on the monotonic clock, its peak resident memory (from wait4), its exit
 * status, and its CPU time, user and system, with that of the processes it
 * waited for (wait4 counts both, so depthbook's workers are in). The
 * benchmark uses it instead of `date` and /usr/bin/time, whose own start-up
 * (a few milliseconds) would sit in every measurement and flatter the small
 * sizes' ratios.
 *
 * Usage: runtime RESULT-FILE COMMAND [ARG...]. The command's standard
 * output is left to the caller; the exit status is the command's. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runtime RESULT-FILE COMMAND [ARG...]\n");
		return 2;
	}
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runtime: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("runtime: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	long long us = (long long)(end.tv_sec - start.tv_sec) * 1000000 + (end.tv_nsec - start.tv_nsec) / 1000;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *f = fopen(argv[1], "w");
	long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
	                ru.ru_stime.tv_usec;
	if (f == NULL || fprintf(f, "%lld %ld %d %lld\n", us, ru.ru_maxrss, code, cpu) < 0 || fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	return code;
}
