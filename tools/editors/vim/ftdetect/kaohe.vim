" kaohe rule files
autocmd BufRead,BufNewFile *.kh setfiletype kaohe
