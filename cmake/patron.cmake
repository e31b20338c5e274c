# Settings shared by every Patron target: warnings (as errors, by default) on our own code only.
# scripts/test builds with errors; scripts/run and scripts/bench build Release without them, so that
# a false positive of g++ 12's optimiser (its -Warray-bounds inside std::string at -O2) can never
# stop a machine from building and running Patron.
option(PATRON_WERROR "Treat warnings in Patron's own code as errors" ON)

function(patron_target target)
    # C++23 as far as g++ 12 goes: -std=c++2b brings std::expected. PUBLIC, so whatever links a
    # Patron library compiles its headers at the same level.
    target_compile_features(${target} PUBLIC cxx_std_23)
    set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(PATRON_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # g++ 12 at -O2/-O3 reports false -Wrestrict / -Wstringop-overflow inside libstdc++'s
    # std::string concatenation (GCC bugs 105329 and 105651); they are not about our code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
    endif()

    if(PATRON_SANITIZE)
        # UndefinedBehaviorSanitizer checks the code under test (every library and patrond); in the
        # test files themselves it cost about 40% of their compile time for checks of GoogleTest's
        # macros. AddressSanitizer stays on there too: it has caught a use-after-scope in a test.
        get_target_property(source_dir ${target} SOURCE_DIR)
        if(source_dir MATCHES "^${PROJECT_SOURCE_DIR}/tests")
            target_compile_options(${target} PRIVATE -fsanitize=address -fno-omit-frame-pointer)
        else()
            # vptr checks need the typeinfo of SOCI's internal classes, which libsoci does not export.
            target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize=vptr
                                                     -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        endif()
        # Not position-independent: UndefinedBehaviorSanitizer's data about each check holds
        # millions of addresses, which a PIE's loader relocates (and so reads and copies, 130 MB)
        # at every start; linked at fixed addresses, a test binary starts in half the time, and the
        # tests start thousands of processes.
        target_link_options(${target} PUBLIC -fsanitize=address,undefined -fno-sanitize=vptr -no-pie)
    endif()
    if(PATRON_FUZZ)
        # libstdc++ 12 hides std::expected unless __cpp_concepts says C++20 concepts are complete;
        # clang 16 implements what it needs (P0848) but still reports the older value.
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                                 -fno-sanitize-recover=undefined -Wno-builtin-macro-redefined
                                                 -U__cpp_concepts -D__cpp_concepts=202002L)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
endfunction()
