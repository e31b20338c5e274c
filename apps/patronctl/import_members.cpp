#include "apps/patronctl/import_members.h"

#include <csv.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string_view>

#include "apps/patronctl/progress.h"
#include "crypto/secure_random.h"
#include "loyalty/core/member_import.h"
#include "loyalty/service/members/member_import_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/program/program_store.h"

namespace patron::apps {
namespace {

// A CSV file read in blocks by libcsv, each record handed over with its number (1: the header).
struct CsvRows {
    std::function<void(long long number, std::vector<std::string>& cells)> on_record;
    std::vector<std::string> cells;
    long long records = 0;
};

void on_cell(void* text, std::size_t length, void* data) {
    auto& rows = *static_cast<CsvRows*>(data);
    // A cell too long is kept just over the bound, so that its row is refused for it by name.
    const std::size_t kept = std::min(length, core::kImportCellMax + 1);
    rows.cells.emplace_back(static_cast<const char*>(text), text == nullptr ? 0 : kept);
}

void on_record_end(int, void* data) {
    auto& rows = *static_cast<CsvRows*>(data);
    ++rows.records;
    if (rows.on_record) rows.on_record(rows.records, rows.cells);
    rows.cells.clear();
}

// Every record of `file` to `rows`; why not, when the file cannot be read or is not CSV.
std::optional<std::string> read_csv(const std::string& file, CsvRows& rows) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return file + ": cannot be read";
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return "the CSV reader could not start";
    std::vector<char> block(1 << 16);
    std::optional<std::string> failed;
    for (bool first = true; !failed && in; first = false) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        auto got = static_cast<std::size_t>(in.gcount());
        const char* start = block.data();
        // A spreadsheet's UTF-8 byte order mark, skipped before the reader sees it (strict CSV
        // refuses it before a quoted header cell).
        constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
        if (first && std::string_view(start, got).starts_with(kByteOrderMark)) {
            start += kByteOrderMark.size();
            got -= kByteOrderMark.size();
        }
        if (got > 0 && csv_parse(&parser, start, got, on_cell, on_record_end, &rows) != got) {
            failed = std::string("not valid CSV: ") + csv_strerror(csv_error(&parser));
        }
    }
    if (!failed && in.bad()) failed = file + ": a read failed";
    if (!failed && csv_fini(&parser, on_cell, on_record_end, &rows) != 0) {
        failed = std::string("not valid CSV: ") + csv_strerror(csv_error(&parser));
    }
    csv_free(&parser);
    if (failed && failed->starts_with("not valid CSV")) {
        *failed = file + ": " + *failed + " in or after row " + std::to_string(rows.records + 1);
    }
    return failed;
}

bool blank(const std::vector<std::string>& cells) {
    return std::all_of(cells.begin(), cells.end(),
                       [](const std::string& cell) { return cell.find_first_not_of(" \t\r\n") == std::string::npos; });
}

std::string refusal(long long row, const core::Error& error) {
    return "row " + std::to_string(row) + ": " + (error.field.empty() || error.field == "$" ? "" : error.field + ": ") +
           std::string(core::code_name(error.code)) + ": " + error.message;
}

struct Counts {
    long long rows = 0;
    long long enrolled = 0;
    long long already = 0;
    long long refused = 0;
};

// A refusal the row is not at fault for (the database unreachable, a fault of Patron's): the import
// stops there, rather than refuse every row after it.
bool stops_the_import(const core::Error& error) {
    return error.code == core::ErrorCode::kUnavailable || error.code == core::ErrorCode::kOverloaded ||
           error.code == core::ErrorCode::kInternal;
}

}  // namespace

int import_members(store::Database& database, const crypto::KeyRing& keys, long long program_id,
                   const std::string& file, bool dry_run) {
    // First the whole file, to count its rows and to refuse it before anyone is enrolled when it is
    // not CSV or its header is not one an import takes.
    CsvRows counting;
    std::optional<core::Result<core::ImportHeader>> header;
    long long data_rows = 0;
    counting.on_record = [&](long long number, std::vector<std::string>& cells) {
        if (number == 1) {
            header = core::read_import_header(cells);
        } else if (!blank(cells)) {
            ++data_rows;
        }
    };
    if (const auto failed = read_csv(file, counting)) {
        std::cerr << "patronctl: " << *failed << "\n";
        return 1;
    }
    if (!header) {
        std::cerr << "patronctl: " << file << " is empty: its first row names the columns ("
                  << "full_name, then phone or email, ...)\n";
        return 1;
    }
    if (!*header) {
        std::cerr << "patronctl: " << file << ": row 1 (the header): " << header->error().message << "\n";
        return 1;
    }

    const auto program = database.run_for<std::optional<store::ProgramRecord>>(
        [&](soci::session& sql) -> core::Result<std::optional<store::ProgramRecord>> {
            return store::find_program(sql, program_id);
        });
    if (!program || !*program) {
        std::cerr << "patronctl: " << (program ? "no program " + std::to_string(program_id) : program.error().message)
                  << "\n";
        return 1;
    }
    service::SystemClock clock;
    crypto::SystemRandom random;
    service::MemberService members(database, keys, clock, random);
    const std::string name = std::filesystem::path(file).filename().string();
    service::MemberImportService importer(
        members, service::StaffIdentity{program_id, "patronctl import " + name, core::StaffRole::kAdmin},
        (*program)->country_calling_code, dry_run);
    service::WorkProgress work;
    work.total = data_rows;
    Counts counts;
    Progress progress(dry_run ? "import (dry run)" : "import", "rows", work, progress_shown());
    CsvRows enrolling;
    std::optional<std::string> stopped;
    enrolling.on_record = [&](long long number, std::vector<std::string>& cells) {
        if (number == 1 || blank(cells) || stopped) return;
        const auto application = core::read_import_row(**header, cells);
        const service::ImportedRow row =
            application ? importer.import(*application)
                        : service::ImportedRow{service::ImportOutcome::kRefused, application.error()};
        if (row.outcome == service::ImportOutcome::kRefused && stops_the_import(row.error)) {
            stopped = "stopped at row " + std::to_string(number) + ": " + row.error.message;
            return;
        }
        ++counts.rows;
        switch (row.outcome) {
            case service::ImportOutcome::kEnrolled:
                ++counts.enrolled;
                break;
            case service::ImportOutcome::kAlreadyEnrolled:
                ++counts.already;
                break;
            case service::ImportOutcome::kRefused:
                ++counts.refused;
                progress.note(refusal(number, row.error));
                break;
        }
        work.add(1);
    };
    const auto failed = read_csv(file, enrolling);
    progress.finish();
    std::cout << (dry_run ? "dry run: would enrol " : "enrolled ") << counts.enrolled << " members, " << counts.already
              << " already enrolled, " << counts.refused << " rows refused, of " << counts.rows << " rows"
              << (dry_run ? "; nothing was written" : "") << "\n";
    if (failed) {
        std::cerr << "patronctl: " << *failed << " (the file changed while it was imported?)\n";
        return 1;
    }
    if (stopped) {
        std::cerr << "patronctl: " << *stopped << "; the rows before it are "
                  << (dry_run ? "checked" : "enrolled, and the import run again goes on from there") << "\n";
        return 1;
    }
    if (counts.refused > 0) {
        std::cerr << "patronctl: " << counts.refused << " of " << counts.rows << " rows refused (listed above)"
                  << (dry_run ? "" : "; the others are enrolled, and the import run again enrols no one twice") << "\n";
        return 1;
    }
    return 0;
}

}  // namespace patron::apps
