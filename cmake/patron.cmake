# Settings shared by every Patron target: warnings (as errors, by default) on our own code only.
# scripts/test builds with errors; scripts/run and scripts/bench build Release without them, so that
# a false positive of g++ 12's optimiser (its -Warray-bounds inside std::string at -O2) can never
# stop a machine from building and running Patron.
option(PATRON_WERROR "Treat warnings in Patron's own code as errors" ON)

function(patron_target target)
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(PATRON_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # g++ 12 at -O2/-O3 reports false -Wrestrict / -Wstringop-overflow inside libstdc++'s
    # std::string concatenation (GCC bugs 105329 and 105651); they are not about our code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
    endif()
endfunction()
