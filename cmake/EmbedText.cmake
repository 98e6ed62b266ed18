# Writes the text of IN as a C++ raw string literal into OUT.
file(READ ${IN} content)
file(WRITE ${OUT} "R\"nf_embed(${content})nf_embed\"\n")
