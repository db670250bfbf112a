/*
 * cmd: the command layer.  Each command is cmd_<name>(argc, argv) in its
 * own file, with argv[0] the command name; it parses its options, wires
 * the modules together and returns an exit code (base/exitcode.h).  Only
 * this layer prints diagnostics and decides exit codes.
 */
#ifndef RESKONTRA_CMD_H
#define RESKONTRA_CMD_H

#include "base/date.h"

int cmd_allocate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_id(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_rewrite(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_translist(int argc, char **argv);
int cmd_si_change(int argc, char **argv);
int cmd_unallocate(int argc, char **argv);

/* read and check share their work (cmd_read.c); check = 1 for check. */
int read_command(int argc, char **argv, int check);

/* Helpers shared by commands (cmd_common.c). */

/* Print "reskontra CMD: message" and a hint to use --help; returns
 * EXIT_USAGE, so a command can `return usage_error(...)`. */
int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The configuration at path (reskontra.conf(5)), or NULL after every
 * error in it was printed, one line each (config_load_all()). */
struct config;
struct config *load_config(const char *path);

/* Parse --today YYYY-MM-DD.  0 ok, -1 after printing a usage message. */
int parse_today(const char *cmd, const char *arg, day_t *out);

/* If argv holds --help (before a "--"), print usage text and return 1. */
int wants_help(int argc, char **argv, const char *usage);

/* Where every command takes the XML schemas from: the directory that
 * RESKONTRA_SCHEMAS names if it is set and not empty, else NULL: the
 * copies built into the program (read/schemas.h).  For
 * reader_ctx.schema_dir. */
const char *schema_dir(void);

/* Open the ledger at path, which must exist (never made by a command
 * that only reads or moves what is there).  EXIT_OK with *l set, or
 * EXIT_USAGE (no such ledger) or EXIT_SYSTEM, the message printed. */
struct ledger;
int open_existing_ledger(const char *path, struct ledger **l);

/* Close stdout with checks; returns EXIT_SYSTEM on a write error (message
 * printed), else rc unchanged. */
int finish_stdout(int rc);

#endif
