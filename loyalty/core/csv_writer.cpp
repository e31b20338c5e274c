#include "loyalty/core/csv_writer.h"

namespace patron::core {

void CsvWriter::separate() {
    if (row_started_) csv_ += ',';
    row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view cell) {
    separate();
    const bool formula = !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
    const bool quoted = cell.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quoted) csv_ += '"';
    if (formula) csv_ += '\'';
    for (const char c : cell) {
        if (c == '"') csv_ += '"';
        csv_ += c;
    }
    if (quoted) csv_ += '"';
    return *this;
}

CsvWriter& CsvWriter::number(std::int64_t cell) {
    separate();
    csv_ += std::to_string(cell);
    return *this;
}

CsvWriter& CsvWriter::number_or_blank(const std::optional<std::int64_t>& cell) {
    return cell ? number(*cell) : blank();
}

CsvWriter& CsvWriter::blank() {
    separate();
    return *this;
}

CsvWriter& CsvWriter::end_row() {
    csv_ += "\r\n";
    row_started_ = false;
    return *this;
}

}  // namespace patron::core
