// Where the tests find the checkout and the programs they run. The paths are compiled into one
// small file (build_paths.cpp) only: a path in any other file's compile flags would make every
// file of a fresh clone miss the compiler cache.
#pragma once

#include <string>

namespace patron::testing {

std::string patrond_path();
std::string patronctl_path();
std::string source_dir();

}  // namespace patron::testing
