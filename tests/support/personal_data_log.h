// The whole-run log scan's two halves. While the e2e tests run with PATRON_TEST_LOG_DIR set (by
// CTest), every patrond's log is kept there when the process ends, and every personal value a
// test sends to patrond (names, phones, emails, birth dates, cities, postal codes) is recorded
// beside it; at the end of the run the LogScan test looks for each value, in the encodings a log
// could hold it, in every kept log.
#pragma once

#include <string>
#include <vector>

namespace patron::testing {

// The directory of this run's logs, or "" when the run keeps none.
std::string test_log_dir();

// Records the personal values in a member document sent to patrond, by staff or by the member
// (PATCH /v1/me); a no-op without a log dir.
void record_personal_data(const std::string& method, const std::string& path, const std::string& body);
// Records one personal value.
void record_personal_value(const std::string& value);

// Keeps a patrond log for the scan (no-op without a log dir).
void keep_log(const std::string& log_path);

// The forms a value could take in a log line: as sent, lower-cased, JSON-escaped (\uXXXX), and
// for phones their digits alone.
std::vector<std::string> encodings_of(const std::string& value);

}  // namespace patron::testing
