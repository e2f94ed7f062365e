# bash completion for kaohe — commands, options, and names from the rubric.
# Commands and options are read from kaohe's own help (`kaohe --help`,
# `kaohe CMD --help`), so they never drift from the command table; param,
# table, grade and unit names from the rubric folder on the command line.
# Installed as share/bash-completion/completions/kaohe.

# The rubric folder or file: the first word after the command that is one.
_kaohe_rules() {
    local w
    for w in "${COMP_WORDS[@]:2}"; do
        if [[ -d $w || $w == *.kh ]]; then printf '%s\n' "$w"; return; fi
    done
}

# Names declared in the rubric's rule files: `_kaohe_declared param` etc.
_kaohe_declared() {
    local rules kind=$1
    rules=$(_kaohe_rules)
    [[ -n $rules ]] || return
    if [[ -d $rules ]]; then set -- "$rules"/*.kh; else set -- "$rules"; fi
    sed -n "s/^[[:space:]]*$kind[[:space:]]\{1,\}\([^[:space:]=:]\{1,\}\).*/\1/p" "$@" 2>/dev/null | sort -u
}

# Unit names: the first column of units.csv beside the rules.
_kaohe_units() {
    local rules dir
    rules=$(_kaohe_rules)
    [[ -n $rules ]] || return
    if [[ -d $rules ]]; then dir=$rules; else dir=$(dirname "$rules"); fi
    [[ -f $dir/units.csv ]] && sed -e '1d' -e 's/^\xEF\xBB\xBF//' -e 's/,.*//' "$dir/units.csv"
}

_kaohe() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if (( COMP_CWORD == 1 )); then
        local cmds
        cmds=$(kaohe --help 2>/dev/null | sed -n 's/^  kaohe \([a-z][a-z]*\) .*/\1/p' | sort -u)
        COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
        return
    fi
    # names may hold spaces in no rubric, but one per line keeps them whole
    local IFS=$'\n'
    case $prev in
        --set|--sweep)
            COMPREPLY=($(compgen -S = -W "$(_kaohe_declared param; _kaohe_declared grade)" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return ;;
        --table)
            COMPREPLY=($(compgen -S = -W "$(_kaohe_declared table)" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return ;;
        --unit)
            COMPREPLY=($(compgen -W "$(_kaohe_units)" -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W $'table\ncsv\njson\nxlsx\ntext' -- "$cur"))
            return ;;
        --encoding)
            COMPREPLY=($(compgen -W $'auto\nutf-8\ngb18030' -- "$cur"))
            return ;;
        --scenario|-o)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$(kaohe "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _kaohe kaohe
