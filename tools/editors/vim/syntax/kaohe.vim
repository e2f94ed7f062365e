" Vim syntax file for kaohe (考核) rule files, *.kh.
" The keyword lists must equal lang/lex.c's keyword table
" (tests/e2e/editor-grammar.test checks it).
if exists("b:current_syntax")
  finish
endif

syn keyword kaoheDeclaration rubric source total units from period label round items to
syn keyword kaoheDeclaration param by table key optional except fact one of column let def
syn keyword kaoheDeclaration section penalty bonus item result grade outcome
syn keyword kaoheDeclaration test given expect scenario set row
syn keyword kaoheStep zero if unless deduct add per score scale when else otherwise then limit tiers veto at
syn keyword kaoheAttribute cite assume standard
syn keyword kaoheOperatorWord and or not is where for in
syn keyword kaoheBoolean true false
syn keyword kaoheRounding half_up half_even down up floor ceiling
syn match kaoheBuiltin "\<\(round\|sum\|count\|min\|max\|abs\|percentile\|rank\|ratio\|completion\|shortfall\|excess\|mean\)\ze\s*("

syn match kaoheNumber "\<\d\+\(\.\d\+\)\=%\="
syn match kaoheOperator "->\|\.\.\|<=\|>=\|!=\|<>\|[=<>+\-*/×÷≥≤≠]"
" full-width punctuation typed by a Chinese input method is an error outside strings
syn match kaoheFullWidth "[，：；（）【】｛｝“”＝＋－＊／＜＞％．]"
syn region kaoheString start=+"+ skip=+\\.+ end=+"+ end=+$+ contains=kaoheEscape oneline
syn match kaoheEscape "\\." contained
syn match kaoheComment "#.*$" contains=@Spell

hi def link kaoheDeclaration Keyword
hi def link kaoheStep Statement
hi def link kaoheAttribute PreProc
hi def link kaoheOperatorWord Operator
hi def link kaoheBoolean Boolean
hi def link kaoheRounding Constant
hi def link kaoheBuiltin Function
hi def link kaoheNumber Number
hi def link kaoheOperator Operator
hi def link kaoheFullWidth Error
hi def link kaoheString String
hi def link kaoheEscape SpecialChar
hi def link kaoheComment Comment

let b:current_syntax = "kaohe"
