// Writes CSV as RFC 4180 has it (CRLF line ends; a field holding a comma, a quote, CR or LF is
// quoted, its quotes doubled) for reports that people open in a spreadsheet. A text cell that
// begins with = + - @, a tab or CR is prefixed with ' so that no spreadsheet runs it as a formula (CSV
// injection); numbers are written as plain integers and never prefixed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::core {

class CsvWriter {
  public:
    CsvWriter& text(std::string_view cell);
    CsvWriter& number(std::int64_t cell);
    // A figure that may be absent: blank when it is.
    CsvWriter& number_or_blank(const std::optional<std::int64_t>& cell);
    CsvWriter& blank();
    // Ends the current record.
    CsvWriter& end_row();

    const std::string& csv() const { return csv_; }

  private:
    void separate();

    std::string csv_;
    bool row_started_ = false;
};

}  // namespace patron::core
