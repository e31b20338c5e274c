# Settings shared by every Patron target: warnings on our own code only.
function(patron_target target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
