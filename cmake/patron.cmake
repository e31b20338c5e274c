# Settings shared by every Patron target: warnings as errors on our own code only.
function(patron_target target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
    # g++ 12 at -O2/-O3 reports false -Wrestrict / -Wstringop-overflow inside libstdc++'s
    # std::string concatenation (GCC bugs 105329 and 105651); they are not about our code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
    endif()
endfunction()
