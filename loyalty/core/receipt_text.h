// Short lines for a receipt printer: at most 40 characters (code points, not bytes, so that
// Persian text is measured as it prints), a label on the left and a value on the right.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace patron::core {

inline constexpr std::size_t kReceiptLineMax = 40;

// Number of Unicode code points in a UTF-8 string.
std::size_t code_points(std::string_view utf8);

// "label: value", with the label shortened (never the value) so that the line fits.
std::string receipt_line(std::string_view label, std::string_view value);

}  // namespace patron::core
