// UTF-8 checks for text that arrives as raw bytes (CSV cells, XML text and names) before it is
// put into JSON: nlohmann/json refuses to serialise invalid UTF-8, so such bytes are refused at
// the edge and never echoed as they came.
#pragma once

#include <string>
#include <string_view>

namespace patron::core {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// The text with every ill-formed sequence replaced by U+FFFD, safe to show or put in JSON.
std::string replace_invalid_utf8(std::string_view text);

}  // namespace patron::core

namespace patron::core {

// At most `longest` bytes of the text, cut before a character rather than inside one.
std::string_view utf8_prefix(std::string_view text, std::size_t longest);

}  // namespace patron::core
