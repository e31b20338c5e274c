// What an analyst may read of a feedback comment: the comment with every email address and
// every phone-like number (five or more digits in a run, in any of the scripts Iranian and
// English keyboards type, with spaces, dashes, dots, brackets or a plus between them) replaced
// by "***". Names and other free text cannot be told apart reliably and are left as written;
// admin and marketer staff read comments whole. Pure.
#pragma once

#include <string>
#include <string_view>

namespace patron::core {

inline constexpr std::string_view kMaskedText = "***";
inline constexpr std::size_t kMaskedDigitsMin = 5;

std::string mask_contact_details(std::string_view comment);

}  // namespace patron::core
