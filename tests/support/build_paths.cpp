#include "tests/support/build_paths.h"

namespace patron::testing {

std::string patrond_path() { return PATRON_PATROND_PATH; }
std::string patronctl_path() { return PATRON_PATRONCTL_PATH; }
std::string source_dir() { return PATRON_SOURCE_DIR; }

}  // namespace patron::testing
