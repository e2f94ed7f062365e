/*
** rules_facts.c — fuzz harness for everything at once: the input is a rule
** file, then optionally a line "%%" and a fact file, then optionally
** another "%%" line and a unit list (default: the scratch folder's). The
** rules are compiled as rules.kh in the scratch folder and, when they
** compile, the facts scored as fuzz_score does.
*/
#include <string.h>

#include "build.h"
#include "fuzz.h"
#include "program.h"

static const char default_units[] = "单位,类型,别名\n甲镇,乡镇,甲\n乙镇,乡镇,\n丙园区,园区,\n";

/* The part of [s, end) before the next "\n%%\n", and where the rest starts. */
static const uint8_t *part(const uint8_t *s, const uint8_t *end, const uint8_t **rest)
{
    for (const uint8_t *p = s; p + 4 <= end; p++) {
        if (memcmp(p, "\n%%\n", 4) == 0) {
            *rest = p + 4;
            return p + 1;            /* the part keeps its last line break */
        }
    }
    *rest = NULL;
    return end;
}

int fuzz_rules_facts(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_input(data, size);
    const uint8_t *end = data + size, *rest, *rest2 = NULL;
    const uint8_t *rules_end = part(data, end, &rest);
    const uint8_t *facts = rest, *facts_end = rest ? part(rest, end, &rest2) : NULL;
    fuzz_write("rules.kh", data, (size_t)(rules_end - data));
    fuzz_write("facts.csv", facts ? facts : (const uint8_t *)"", facts ? (size_t)(facts_end - facts) : 0);
    if (rest2)
        fuzz_write("units.csv", rest2, (size_t)(end - rest2));
    else
        fuzz_write("units.csv", default_units, sizeof default_units - 1);
    fuzz_begin();
    Program *p = compile_rubric(fuzz_path("rules.kh"));
    fuzz_check_messages(fuzz_end(), p == NULL);
    if (p) fuzz_score(p, fuzz_path("facts.csv"));
    return 0;
}
