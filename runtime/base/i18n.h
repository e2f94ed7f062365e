/*
** i18n.h — the officers' language. Every user-facing string goes through
** _() (GNU gettext, domain "kaohe"); N_() marks a string for the catalogue
** where it is stored in a table and translated when shown. The catalogues
** are po/LANG.po, compiled by make into build/locale (in the tree) or
** installed into PREFIX/share/locale.
*/
#ifndef KAOHE_I18N_H
#define KAOHE_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* Call once at start-up, before the first message. Chooses the catalogue
** from LANGUAGE, LC_ALL, LC_MESSAGES and LANG as gettext does, and also on
** a machine where the requested locale (zh_CN.UTF-8) was never generated:
** then LC_MESSAGES falls back to C.UTF-8 and the requested language is
** handed to gettext through LANGUAGE, so nothing needs to be installed
** for Chinese messages. argv0 helps find the catalogue next to an
** uninstalled binary. */
void i18n_init(const char *argv0);

/* The language the messages are shown in: "zh" or "en". */
const char *i18n_language(void);

#endif
