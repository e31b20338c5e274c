#include "loyalty/store/insight/reward_store.h"

#include <soci/soci.h>

#include <array>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/reward_reach_count.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/ledger_day_store.h"
#include "loyalty/store/insight/reward_day_store.h"

namespace patron::store {
namespace {

using core::RewardKind;
using core::RewardSource;

std::optional<std::string> text_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return row.get<std::string>(column);
}

std::optional<long long> store_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return integer_at(row, column);
}

// A ledger book's transfers that carry a rule: which book, how a rule id names its source.
struct RuleBook {
    core::HistoryBook history;
    RewardSource (*source_of)(const std::string& rule_id);
    std::int64_t core::RewardFlows::*given;
    std::int64_t core::RewardFlows::*taken_back;
};

RewardSource cashback_source(const std::string& rule_id) { return {RewardKind::kCashbackRule, rule_id}; }

// Rows (source, kind, store, sum, purchases, members, ...) grouped WITH ROLLUP over (source, kind,
// store): a NULL store is the programme's row of that source and kind, a NULL kind a row to skip;
// `add_sum` adds each store's row to its flows. A constant grouped column is not made NULL in the
// rolled-up rows, so a programme's row may come twice: its reach is set, not added.
// Every grouped column is made non-NULL first, so NULL means only a rolled-up row. The reach
// counts the rows of kind `reaching` (earnings and stamps given, not what returns took back).
template <typename AddSum>
void read_rolled_up(soci::rowset<soci::row>& rows, RewardSource (*source_of)(const std::string&),
                    const std::string& reaching, core::RewardsReportInputs& inputs, AddSum&& add_sum) {
    for (const soci::row& row : rows) {
        const auto key = text_at(row, 0);
        const auto kind = text_at(row, 1);
        if (!key || !kind) continue;
        const RewardSource source = source_of(*key);
        const auto store = store_at(row, 2);
        const core::RewardReach reach{integer_at(row, 4), integer_at(row, 5)};
        if (!store) {
            if (*kind == reaching) inputs.reach[source] = reach;
            continue;
        }
        add_sum(inputs.flows[{source, *store}], *kind, row);
        if (*kind == reaching) inputs.store_reach[{source, *store}] = reach;
    }
}

// Adds a book's row sum (column 3) to the flows: earnings given, reversals taken back.
auto book_sum(const RuleBook& book) {
    return [&book](core::RewardFlows& flows, const std::string& kind, const soci::row& row) {
        const long long amount = integer_at(row, 3);
        if (kind == "earn") {
            flows.*book.given += amount;
        } else {
            flows.*book.taken_back -= amount;
        }
    };
}

// The book's transfers of the window read from the ledger, in one join of its entries, transfers
// and purchases: what the report read before the roll-up, kept as the recount it is checked against.
void read_ledger(soci::session& sql, const RewardWindow& window, const RuleBook& book,
                 core::RewardsReportInputs& inputs) {
    const std::string start = to_sql_time(window.start);
    const std::string end = to_sql_time(window.end);
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT IFNULL(t.rule_id, '') AS rule_key, t.kind, CAST(IFNULL(p.store_id, 0) AS SIGNED) AS store_key,"
                " CAST(SUM(e.amount) AS SIGNED), CAST(COUNT(DISTINCT t.purchase_id) AS SIGNED),"
                " CAST(COUNT(DISTINCT e.member_id) AS SIGNED) FROM "
             << store::reward_transfers_table(book.history) << " t JOIN " << store::reward_entries_table(book.history)
             << " e ON e.transfer_id = t.id AND e.member_id IS NOT NULL"
                " LEFT JOIN purchases p ON p.id = t.purchase_id"
                " WHERE t.program_id = :program AND t.created_at >= :start AND t.created_at < :end"
                " AND t.kind IN ('earn', 'reverse') GROUP BY rule_key, t.kind, store_key WITH ROLLUP",
         soci::use(window.program_id), soci::use(start), soci::use(end));
    read_rolled_up(rows, book.source_of, "earn", inputs, book_sum(book));
}

// A row of what a source gave: its key (rule id or card id), kind, store (0: none), member, the
// purchase it names (0: none or counted apart), its amount, and the purchases counted on it.
struct GivenRow {
    std::string_view key;
    std::string_view kind;
    long long store = 0;
    long long member = 0;
    long long purchase = 0;
    long long amount = 0;
    long long counted_purchases = 0;
};

// Where a row's figures go: its source's flows and reach at its store.
struct GivenTarget {
    core::RewardFlows* flows = nullptr;
    core::RewardReachCount::Tally* reach = nullptr;  // Null for rows that reach no one.
};

// Runs a statement whose columns are a GivenRow's, in that order, and hands each row with its
// target to `each`, a few thousand rows a fetch: a month is a few hundred thousand rows, counted
// as they come. Rows come grouped by source, kind and store mostly, so the target is looked up
// again only when they change. Integers are fetched as their text and read with from_chars: SOCI's
// MySQL backend reads an integer column through an istringstream, which took most of the time.
class GivenRows {
  public:
    GivenRows() {
        for (auto& column : columns_) column.resize(kBatch);
    }

    // The statement's SQL text with its columns bound here; its uses follow.
    soci::details::prepare_temp_type columns(soci::details::prepare_temp_type text) {
        for (auto& column : columns_) text, soci::into(column);
        return text;
    }

    // `target(row)` finds a row's target; `each(row, target)` adds the row to it. Throws
    // soci::soci_error on a column that is not an integer where one is due.
    template <typename Target, typename Each>
    void read(soci::statement& statement, Target&& target, Each&& each) {
        statement.execute();
        std::string key;
        std::string kind;
        long long store = -1;
        GivenTarget found;
        while (statement.fetch()) {
            for (std::size_t i = 0; i < columns_[0].size(); ++i) {
                const GivenRow row{columns_[0][i],          columns_[1][i],          integer(columns_[2][i]),
                                   integer(columns_[3][i]), integer(columns_[4][i]), integer(columns_[5][i]),
                                   integer(columns_[6][i])};
                if (row.store != store || row.key != key || row.kind != kind) {
                    key = row.key;
                    kind = row.kind;
                    store = row.store;
                    found = target(row);
                }
                each(row, found);
            }
            for (auto& column : columns_) column.resize(kBatch);
        }
    }

  private:
    static constexpr std::size_t kBatch = 4096;

    static long long integer(const std::string& text) {
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size()) {
            throw soci::soci_error("not an integer in a reward row: " + text);
        }
        return value;
    }

    std::array<std::vector<std::string>, 7> columns_;
};

// A target of a source's rows: its flows, and where its rows of kind `reaching` count.
GivenTarget given_target(const RewardSource& source, const GivenRow& row, std::string_view reaching,
                         core::RewardsReportInputs& inputs, core::RewardReachCount& reach) {
    return {&inputs.flows[{source, row.store}], row.kind == reaching ? &reach.at(source, row.store) : nullptr};
}

// Reads a book's rows into its flows (earnings given, reversals taken back) and an earning's
// member and purchases into the reach.
void read_book_rows(soci::statement& statement, GivenRows& rows, const RuleBook& book,
                    core::RewardsReportInputs& inputs, core::RewardReachCount& reach) {
    rows.read(
        statement,
        [&](const GivenRow& row) {
            return given_target(book.source_of(std::string(row.key)), row, "earn", inputs, reach);
        },
        [&](const GivenRow& row, const GivenTarget& target) {
            if (!target.reach) {
                target.flows->*book.taken_back -= row.amount;
                return;
            }
            target.flows->*book.given += row.amount;
            target.reach->add_member(row.member);
            target.reach->add_purchases(row.counted_purchases);
        });
}

// The window's days the roll-up summed: one range of the primary key, nothing joined.
void read_reward_days(soci::session& sql, const RewardWindow& window, const RuleBook& book,
                      core::RewardsReportInputs& inputs, core::RewardReachCount& reach) {
    const std::string name = book.history == core::HistoryBook::kCashback ? "cashback" : "points";
    const std::string first = core::format_date(window.first_day);
    const std::string last = core::format_date(window.last_day);
    GivenRows rows;
    soci::statement statement =
        (rows.columns(sql.prepare << "SELECT rule_key, kind, CAST(store_id AS SIGNED), CAST(member_id AS SIGNED), 0,"
                                     " amount, purchases FROM reward_days WHERE program_id = :program"
                                     " AND book = :book AND day BETWEEN :first AND :last"),
         soci::use(window.program_id), soci::use(name), soci::use(first), soci::use(last));
    read_book_rows(statement, rows, book, inputs, reach);
}

// The window's transfers after the roll-up's mark, read from the ledger, per transfer and member.
// A purchase counts only with its first transfer of the rule and kind, as in the rolled-up days.
void read_ledger_after(soci::session& sql, const RewardWindow& window, const RuleBook& book, long long after_id,
                       core::RewardsReportInputs& inputs, core::RewardReachCount& reach) {
    const std::string start = to_sql_time(window.start);
    const std::string end = to_sql_time(window.end);
    GivenRows rows;
    soci::statement statement =
        (rows.columns(
             sql.prepare << "SELECT IFNULL(t.rule_id, ''), t.kind, CAST(IFNULL(p.store_id, 0) AS SIGNED),"
                            " CAST(e.member_id AS SIGNED), 0, CAST(SUM(e.amount) AS SIGNED), CAST("
                         << store::first_of_its_purchase(book.history) << " AS SIGNED) FROM "
                         << store::reward_transfers_table(book.history) << " t JOIN "
                         << store::reward_entries_table(book.history)
                         << " e ON e.transfer_id = t.id AND e.member_id IS NOT NULL"
                            " LEFT JOIN purchases p ON p.id = t.purchase_id"
                            " WHERE t.program_id = :program AND t.id > :after AND t.created_at >= :start"
                            " AND t.created_at < :end AND t.kind IN ('earn', 'reverse') GROUP BY t.id, e.member_id"),
         soci::use(window.program_id), soci::use(after_id), soci::use(start), soci::use(end));
    read_book_rows(statement, rows, book, inputs, reach);
}

void read_rule_book(soci::session& sql, const RewardWindow& window, const RuleBook& book,
                    core::RewardsReportInputs& inputs, LedgerReading reading) {
    if (reading == LedgerReading::kLedgerOnly) {
        read_ledger(sql, window, book, inputs);
        return;
    }
    // The mark and the days are read before the ledger's tail, in the snapshot the first read began.
    const auto mark = find_ledger_day_mark(sql, window.program_id, book.history, false, DaySums::kRewardDays);
    const bool rolled_up = mark && mark->time_zone == window.time_zone;
    core::RewardReachCount reach;
    if (rolled_up) read_reward_days(sql, window, book, inputs, reach);
    read_ledger_after(sql, window, book, rolled_up ? mark->through_transfer_id : 0, inputs, reach);
    reach.write_to(inputs);
}

}  // namespace

void read_points_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs,
                         LedgerReading reading) {
    const RuleBook points{core::HistoryBook::kPoints, core::points_reward_source, &core::RewardFlows::points_given,
                          &core::RewardFlows::points_taken_back};
    core::RewardsReportInputs read;
    read_rule_book(sql, window, points, read, reading);
    // Coupons reach their purchases by their redemptions, cards by their stamps; a blind return
    // reaches none.
    for (const auto& [key, flows] : read.flows) inputs.flows[key] += flows;
    for (const auto& [source, reach] : read.reach) {
        if (source.kind == RewardKind::kEarnRule) inputs.reach[source] = reach;
    }
    for (const auto& [key, reach] : read.store_reach) {
        if (key.first.kind == RewardKind::kEarnRule) inputs.store_reach[key] = reach;
    }
}

void read_cashback_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs,
                           LedgerReading reading) {
    const RuleBook cashback{core::HistoryBook::kCashback, cashback_source, &core::RewardFlows::cashback_given,
                            &core::RewardFlows::cashback_taken_back};
    read_rule_book(sql, window, cashback, inputs, reading);
}

void read_coupon_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs) {
    const std::string start = to_sql_time(window.start);
    const std::string end = to_sql_time(window.end);
    const auto campaign = [](const std::string& id) { return RewardSource{RewardKind::kCouponCampaign, id}; };
    // Redemptions at the store of their purchase; the kind column is constant for the shared reader.
    soci::rowset<soci::row> redeemed =
        (sql.prepare << "SELECT CAST(r.campaign_id AS CHAR) AS campaign, 'redeemed' AS kind,"
                        " CAST(p.store_id AS SIGNED) AS store_key, CAST(SUM(r.discount) AS SIGNED),"
                        " CAST(COUNT(DISTINCT r.purchase_id) AS SIGNED), CAST(COUNT(DISTINCT r.member_id) AS SIGNED),"
                        " CAST(COUNT(*) AS SIGNED)"
                        " FROM coupon_redemptions r JOIN coupon_campaigns c ON c.id = r.campaign_id"
                        " JOIN purchases p ON p.id = r.purchase_id"
                        " WHERE c.program_id = :program AND r.created_at >= :start AND r.created_at < :end"
                        " GROUP BY campaign, kind, store_key WITH ROLLUP",
         soci::use(window.program_id), soci::use(start), soci::use(end));
    read_rolled_up(redeemed, campaign, "redeemed", inputs,
                   [](core::RewardFlows& flows, const std::string&, const soci::row& row) {
                       flows.discount_given += integer_at(row, 3);
                       flows.redemptions += integer_at(row, 6);
                   });
    // Give-backs at the store of the return or void that gave them back. The campaign's id comes
    // from the join, so MariaDB reads its redemptions by that id alone unless told which index also
    // bounds the instant (0.3 s for a month with none given back, against 0.04 s).
    soci::rowset<soci::row> given_back =
        (sql.prepare << "SELECT CAST(r.campaign_id AS CHAR), CAST(IFNULL(b.store_id, p.store_id) AS SIGNED),"
                        " CAST(COUNT(*) AS SIGNED), CAST(SUM(r.discount) AS SIGNED)"
                        " FROM coupon_redemptions r FORCE INDEX (ix_coupon_redemptions_campaign_given_back)"
                        " JOIN coupon_campaigns c ON c.id = r.campaign_id"
                        " JOIN purchases p ON p.id = r.purchase_id LEFT JOIN purchases b ON b.id = r.given_back_by"
                        " WHERE c.program_id = :program AND r.given_back_at >= :start AND r.given_back_at < :end"
                        " GROUP BY r.campaign_id, IFNULL(b.store_id, p.store_id)",
         soci::use(window.program_id), soci::use(start), soci::use(end));
    for (const soci::row& row : given_back) {
        core::RewardFlows& flows = inputs.flows[{campaign(row.get<std::string>(0)), integer_at(row, 1)}];
        flows.redemptions_given_back += integer_at(row, 2);
        flows.discount_given_back += integer_at(row, 3);
    }
    // Codes issued in the window and not revoked by its end; single-use ones redeemed by its end
    // and not given back by then.
    soci::rowset<soci::row> issued =
        (sql.prepare << "SELECT CAST(c.campaign_id AS CHAR), CAST(COUNT(*) AS SIGNED),"
                        " CAST(SUM(c.single_use) AS SIGNED), CAST(SUM(c.single_use AND EXISTS (SELECT 1 FROM"
                        " coupon_redemptions r WHERE r.code_id = c.id AND r.created_at < :redeemed_by AND"
                        " (r.given_back_at IS NULL OR r.given_back_at >= :kept_through))) AS SIGNED)"
                        " FROM coupon_codes c WHERE c.program_id = :program AND c.created_at >= :start"
                        " AND c.created_at < :end AND (c.revoked_at IS NULL OR c.revoked_at >= :revoked_after)"
                        " GROUP BY c.campaign_id",
         soci::use(end), soci::use(end), soci::use(window.program_id), soci::use(start), soci::use(end),
         soci::use(end));
    for (const soci::row& row : issued) {
        inputs.coupons[row.get<std::string>(0)] = {integer_at(row, 1), integer_at(row, 2), integer_at(row, 3)};
    }
}

void read_stamp_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs) {
    const std::string start = to_sql_time(window.start);
    const std::string end = to_sql_time(window.end);
    const auto card = [](const std::string& id) { return RewardSource{RewardKind::kStampCard, id}; };
    // Stamps taken back name the purchase that gave them, so they count at its store. A purchase
    // may give a card several stamps (one a line), each its own event.
    GivenRows rows;
    soci::statement events =
        (rows.columns(sql.prepare << "SELECT ev.card_id, ev.kind, CAST(IFNULL(p.store_id, 0) AS SIGNED),"
                                     " CAST(ev.member_id AS SIGNED), CAST(IFNULL(ev.purchase_id, 0) AS SIGNED),"
                                     " CAST(ev.stamps AS SIGNED), 0"
                                     " FROM stamp_events ev LEFT JOIN purchases p ON p.id = ev.purchase_id"
                                     " WHERE ev.program_id = :program AND ev.created_at >= :start"
                                     " AND ev.created_at < :end AND ev.kind IN ('earn', 'return')"),
         soci::use(window.program_id), soci::use(start), soci::use(end));
    core::RewardReachCount reach;
    rows.read(
        events,
        [&](const GivenRow& row) { return given_target(card(std::string(row.key)), row, "earn", inputs, reach); },
        [](const GivenRow& row, const GivenTarget& target) {
            if (!target.reach) {
                target.flows->stamps_taken_back -= row.amount;
                return;
            }
            target.flows->stamps_given += row.amount;
            target.reach->add_member(row.member);
            if (row.purchase != 0) target.reach->add_purchase(row.purchase);
        });
    reach.write_to(inputs);
    soci::rowset<soci::row> rewards =
        (sql.prepare << "SELECT w.card_id, CAST(p.store_id AS SIGNED),"
                        " CAST(SUM(w.created_at >= :issued_from AND w.created_at < :issued_to) AS SIGNED),"
                        " CAST(SUM(w.revoked_at >= :revoked_from AND w.revoked_at < :revoked_to) AS SIGNED)"
                        " FROM stamp_rewards w JOIN purchases p ON p.id = w.purchase_id WHERE w.program_id = :program"
                        " AND ((w.created_at >= :start AND w.created_at < :end)"
                        " OR (w.revoked_at >= :revoked_start AND w.revoked_at < :revoked_end))"
                        " GROUP BY w.card_id, p.store_id",
         soci::use(start), soci::use(end), soci::use(start), soci::use(end), soci::use(window.program_id),
         soci::use(start), soci::use(end), soci::use(start), soci::use(end));
    for (const soci::row& row : rewards) {
        core::RewardFlows& flows = inputs.flows[{card(row.get<std::string>(0)), integer_at(row, 1)}];
        flows.cards_completed += integer_at(row, 2);
        flows.cards_revoked += integer_at(row, 3);
    }
    soci::rowset<soci::row> started =
        (sql.prepare << "SELECT card_id, CAST(COUNT(DISTINCT member_id) AS SIGNED) FROM stamp_events"
                        " WHERE program_id = :program AND kind = 'earn' AND created_at < :end GROUP BY card_id",
         soci::use(window.program_id), soci::use(end));
    for (const soci::row& row : started) inputs.cards[row.get<std::string>(0)].members_started = integer_at(row, 1);
    soci::rowset<soci::row> completed =
        (sql.prepare << "SELECT card_id, CAST(COUNT(DISTINCT member_id) AS SIGNED) FROM stamp_rewards"
                        " WHERE program_id = :program AND created_at < :end"
                        " AND (revoked_at IS NULL OR revoked_at >= :kept_through) GROUP BY card_id",
         soci::use(window.program_id), soci::use(end), soci::use(end));
    for (const soci::row& row : completed) inputs.cards[row.get<std::string>(0)].members_completed = integer_at(row, 1);
}

std::vector<std::pair<int, std::string>> rule_set_documents(soci::session& sql, long long program_id) {
    std::vector<std::pair<int, std::string>> documents;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT version, document FROM rule_sets WHERE program_id = :program ORDER BY version",
         soci::use(program_id));
    for (const soci::row& row : rows) {
        documents.emplace_back(static_cast<int>(integer_at(row, 0)), row.get<std::string>(1));
    }
    return documents;
}

std::vector<CampaignName> coupon_campaign_names(soci::session& sql, long long program_id) {
    std::vector<CampaignName> campaigns;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), name, CAST(status AS CHAR) FROM coupon_campaigns"
                        " WHERE program_id = :program ORDER BY id",
         soci::use(program_id));
    for (const soci::row& row : rows) {
        campaigns.push_back({integer_at(row, 0), row.get<std::string>(1), row.get<std::string>(2)});
    }
    return campaigns;
}

}  // namespace patron::store
