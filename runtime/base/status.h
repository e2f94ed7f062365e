/*
** status.h — kaohe's exit statuses, one list for every layer (README.md,
** "Exit status", and docs/language.md). A layer returns one of these; only
** the command line turns it into the process's exit.
*/
#ifndef KAOHE_STATUS_H
#define KAOHE_STATUS_H

enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,      /* what was checked did not pass: a rule test, a layout (fmt --check),
                          ** coverage below --min-coverage, warnings under check --strict */
    EXIT_USAGE = 2,       /* bad command line */
    EXIT_RULES = 3,       /* rule files, unit list or annex tables are wrong */
    EXIT_FACTS = 4,       /* the fact file is wrong (including a blank cell a rule reads) */
    EXIT_EVAL = 5,        /* a rule failed while scoring (division by zero, no grade band) */
    EXIT_OUTPUT = 6,      /* the output could not be written */
    EXIT_MEMORY = 7       /* memory ran out (fault.h) */
};

#endif
