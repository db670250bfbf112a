/*
 * reskontra check [--schema] FILE...: read's validation without output.
 * The work is shared with cmd_read.c.
 */
#include "cmd/cmd.h"

int
cmd_check(int argc, char **argv)
{
	return read_command(argc, argv, 1);
}
