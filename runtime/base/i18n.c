/*
** i18n.c — choosing the message catalogue. gettext does the lookup; this
** file decides which locale category to set and where the compiled
** catalogues are, so that `LANG=zh_CN.UTF-8 kaohe …` speaks Chinese on a
** stock Debian machine whose only generated locales are C and C.UTF-8.
*/
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KAOHE_LOCALEDIR
#define KAOHE_LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "kaohe"

/* The locale name gettext would read: the first of LC_ALL, LC_MESSAGES,
** LANG that is set and not empty (POSIX order). */
static const char *requested_locale(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return v;
    }
    return NULL;
}

static int is_c_locale(const char *name)
{
    return !name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
           strncmp(name, "C.", 2) == 0;
}

/* Only LC_MESSAGES is set: kaohe's number and text handling must not
** change with the locale (no isalpha on GB18030 bytes, no decimal comma). */
static void choose_messages_locale(void)
{
    if (setlocale(LC_MESSAGES, "")) return;
    /* The requested locale is not generated on this machine. C.UTF-8
    ** always is (glibc ≥ 2.35), and under it gettext honours LANGUAGE. */
    const char *want = requested_locale();
    if (!setlocale(LC_MESSAGES, "C.UTF-8")) return;
    const char *language = getenv("LANGUAGE");
    if (is_c_locale(want) || (language && *language)) return;
    char lang[64];
    size_t n = strcspn(want, ".@");
    if (n >= sizeof lang) return;
    memcpy(lang, want, n);
    lang[n] = '\0';
    setenv("LANGUAGE", lang, 1);
}

static int has_catalogue(const char *dir)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" DOMAIN ".mo", dir);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* KAOHE_LOCALEDIR from the environment (tests, a moved installation),
** then build/locale beside an uninstalled binary, then ../share/locale
** beside an installed one (any PREFIX: /usr/bin → /usr/share/locale),
** then the share/locale of the PREFIX it was built for. */
static const char *catalogue_dir(const char *argv0)
{
    const char *env = getenv("KAOHE_LOCALEDIR");
    if (env && *env) return env;
    static char beside[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 && argv0 && realpath(argv0, exe)) n = (ssize_t)strlen(exe);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const under_exe[] = { "/build/locale", "/../share/locale" };
            for (size_t i = 0; i < sizeof under_exe / sizeof *under_exe; i++) {
                int m = snprintf(beside, sizeof beside, "%s%s", exe, under_exe[i]);
                if (m > 0 && (size_t)m < sizeof beside && has_catalogue(beside)) return beside;
            }
        }
    }
    return KAOHE_LOCALEDIR;
}

void i18n_init(const char *argv0)
{
    choose_messages_locale();
    bindtextdomain(DOMAIN, catalogue_dir(argv0));
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    textdomain(DOMAIN);
}

const char *i18n_language(void)
{
    /* The catalogue's own header says which language it is; a string every
    ** catalogue translates is cheaper: the empty msgid gives the header. */
    const char *header = gettext("");
    return header && strstr(header, "Language: zh") ? "zh" : "en";
}
