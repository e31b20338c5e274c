// Short lines for a receipt printer: at most 40 characters (code points, not bytes, so that
// Persian text is measured as it prints), a label on the left and a value on the right.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace patron::core {

inline constexpr std::size_t kReceiptLineMax = 40;

// Number of Unicode code points in a UTF-8 string.
std::size_t code_points(std::string_view utf8);

// One printed line, held in place: at most 40 code points are at most 160 bytes of UTF-8, so a
// line never needs the heap (a purchase that triggers 200 rules builds 200 of them).
class ReceiptLine {
  public:
    static constexpr std::size_t kBytes = kReceiptLineMax * 4;

    ReceiptLine() = default;
    // Text of at most 40 code points (longer text is cut at a character boundary).
    explicit ReceiptLine(std::string_view text);

    std::string_view view() const { return {data_.data(), size_}; }
    std::string str() const { return std::string(view()); }
    bool operator==(std::string_view other) const { return view() == other; }
    bool operator==(const ReceiptLine& other) const { return view() == other.view(); }
    friend std::ostream& operator<<(std::ostream& out, const ReceiptLine& line);

  private:
    std::array<char, kBytes> data_;  // Only the first size_ bytes are written.
    std::uint8_t size_ = 0;
};

// "label: value", with the label shortened (never the value) so that the line fits.
ReceiptLine receipt_line(std::string_view label, std::string_view value);
// "name (note): value": the name shortened first, so that the note (the multipliers that applied,
// "Gold x2, 7 years x1.5") is never cut in the middle; a note that cannot fit whole is left out.
ReceiptLine receipt_line(std::string_view name, std::string_view note, std::string_view value);

}  // namespace patron::core
