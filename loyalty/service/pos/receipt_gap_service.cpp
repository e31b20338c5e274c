#include "loyalty/service/pos/receipt_gap_service.h"

#include <soci/soci.h>

#include <algorithm>

#include "loyalty/core/member_profile.h"
#include "loyalty/service/access/terminal_service.h"
#include "loyalty/store/pos/receipt_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr int kDayReceiptsMax = 100'000;  // Of each kind per terminal and day: far above a till's day.

ReceiptDay day_of(soci::session& sql, long long store_id, const std::string& terminal,
                  std::chrono::year_month_day business_day) {
    const store::DayReceipts receipts =
        store::find_day_receipts(sql, store_id, terminal, business_day, kDayReceiptsMax);
    ReceiptDay day;
    day.terminal = terminal;
    day.business_day = business_day;
    day.committed = static_cast<long long>(receipts.committed.size());
    day.skipped = static_cast<long long>(receipts.skipped.size());
    std::vector<long long> numbers;
    for (const std::string& receipt : receipts.committed) {
        if (const auto number = core::receipt_number(receipt)) {
            numbers.push_back(*number);
        } else {
            ++day.unnumbered;
        }
    }
    for (const std::string& receipt : receipts.skipped) {
        if (const auto number = core::receipt_number(receipt)) numbers.push_back(*number);
    }
    if (!numbers.empty()) {
        const auto [low, high] = std::minmax_element(numbers.begin(), numbers.end());
        day.first = *low;
        day.last = *high;
    }
    day.gaps = core::number_gaps(std::move(numbers), kGapsListed + 1);
    day.truncated = day.gaps.size() > kGapsListed;
    if (day.truncated) day.gaps.resize(kGapsListed);
    return day;
}

}  // namespace

ReceiptGapService::ReceiptGapService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<ReceiptDay> ReceiptGapService::day(const StaffIdentity& staff, const std::string& store_code,
                                                const std::string& terminal_code,
                                                std::chrono::year_month_day business_day) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport, core::StaffRole::kAnalyst})) {
        return fail(ErrorCode::kForbidden, "only admin, support and analyst staff read receipt gaps");
    }
    return database_.run_for<ReceiptDay>([&](soci::session& sql) -> core::Result<ReceiptDay> {
        auto store = store_of(sql, staff.program_id, store_code);
        if (!store) return std::unexpected(store.error());
        auto terminal = terminal_of(sql, store->id, terminal_code, false);
        if (!terminal) return std::unexpected(terminal.error());
        ReceiptDay day = day_of(sql, store->id, terminal->code, business_day);
        day.store = store->code;
        return day;
    });
}

core::Result<std::vector<ReceiptGap>> ReceiptGapService::gaps(const TerminalIdentity& terminal,
                                                              const std::vector<std::chrono::year_month_day>& days) {
    return database_.run_for<std::vector<ReceiptGap>>([&](soci::session& sql) -> core::Result<std::vector<ReceiptGap>> {
        std::vector<ReceiptGap> gaps;
        for (const auto business_day : days) {
            const ReceiptDay day = day_of(sql, terminal.store_id, terminal.terminal_code, business_day);
            for (const core::NumberGap& gap : day.gaps) {
                gaps.push_back({terminal.terminal_code, core::format_date(business_day), gap.from, gap.to});
            }
        }
        return gaps;
    });
}

core::Result<void> ReceiptGapService::note_skipped(const TerminalIdentity& terminal, const core::ReceiptKey& key,
                                                   const std::string& why) {
    if (key.store != terminal.store_code || key.terminal != terminal.terminal_code) return {};
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::insert_skipped_receipt(sql, terminal.store_id, key, why.substr(0, 64), clock_.now());
        return {};
    });
}

}  // namespace patron::service
