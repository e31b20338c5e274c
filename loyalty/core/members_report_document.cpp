#include "loyalty/core/members_report_document.h"

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/report_document.h"

namespace patron::core {
namespace {

using nlohmann::json;

json buyers_json(const BuyerFigures& figures) {
    return {{"buyers", figures.counts.buyers},
            {"new", figures.counts.new_buyers},
            {"returning", figures.returning_buyers},
            {"visits", figures.counts.visits},
            {"spend", figures.counts.spend},
            {"spend_per_buyer", figures.spend_per_buyer},
            {"visits_per_buyer_x100", figures.visits_per_buyer_x100}};
}

json period_json(const MembersPeriod& figures, bool per_store) {
    json period = {{"period", figures.period.name},
                   {"from", format_date(figures.period.first)},
                   {"to", format_date(figures.period.last)},
                   {"enrolled", figures.enrolled},
                   {"tier_moves", {{"up", figures.tier_ups}, {"down", figures.tier_downs}}},
                   {"buyers", buyers_json(figures.buyers)}};
    if (per_store) {
        json stores = json::array();
        for (const StoreBuyers& store : figures.stores) {
            stores.push_back({{"store", store.store}, {"buyers", buyers_json(store.buyers)}});
        }
        period["stores"] = std::move(stores);
    }
    return period;
}

json consent_json(const ConsentFigures& consent) {
    return {{"granted", consent.granted}, {"share_permille", consent.share_permille}};
}

json snapshot_json(const MembersSnapshot& snapshot, LocalDate at) {
    json tiers = json::array();
    for (const auto& [tier, members] : snapshot.by_tier) tiers.push_back({{"tier", tier}, {"members", members}});
    return {{"at", format_date(at)},
            {"members", snapshot.members},
            {"active",
             {{"days_30", snapshot.active_30_days},
              {"days_90", snapshot.active_90_days},
              {"days_365", snapshot.active_365_days}}},
            {"by_tier", std::move(tiers)},
            {"consents",
             {{"marketing_sms", consent_json(snapshot.marketing_sms)},
              {"marketing_email", consent_json(snapshot.marketing_email)}}}};
}

constexpr const char* kCsvColumns[] = {"period",
                                       "from",
                                       "to",
                                       "scope",
                                       "store",
                                       "tier",
                                       "currency",
                                       "enrolled",
                                       "tier_ups",
                                       "tier_downs",
                                       "buyers",
                                       "new_buyers",
                                       "returning_buyers",
                                       "visits",
                                       "spend",
                                       "spend_per_buyer",
                                       "visits_per_buyer_x100",
                                       "members",
                                       "active_30_days",
                                       "active_90_days",
                                       "active_365_days",
                                       "marketing_sms",
                                       "marketing_sms_permille",
                                       "marketing_email",
                                       "marketing_email_permille"};
constexpr int kSnapshotColumns = 8;

void buyer_cells(CsvWriter& csv, const BuyerFigures& figures) {
    csv.number(figures.counts.buyers).number(figures.counts.new_buyers).number(figures.returning_buyers);
    csv.number(figures.counts.visits).number(figures.counts.spend).number(figures.spend_per_buyer);
    csv.number(figures.visits_per_buyer_x100);
}

void blanks(CsvWriter& csv, int count) {
    for (int i = 0; i < count; ++i) csv.blank();
}

void period_rows(CsvWriter& csv, const MembersPeriod& figures, const std::string& currency) {
    const auto start = [&](std::string_view scope, std::string_view store) {
        csv.text(figures.period.name).text(format_date(figures.period.first)).text(format_date(figures.period.last));
        csv.text(scope).text(store).blank().text(currency);
    };
    start("all", "");
    csv.number(figures.enrolled).number(figures.tier_ups).number(figures.tier_downs);
    buyer_cells(csv, figures.buyers);
    blanks(csv, kSnapshotColumns);
    csv.end_row();
    for (const StoreBuyers& store : figures.stores) {
        start("store", store.store);
        blanks(csv, 3);
        buyer_cells(csv, store.buyers);
        blanks(csv, kSnapshotColumns);
        csv.end_row();
    }
}

// The snapshot's row, then a row per tier with its members.
void snapshot_rows(CsvWriter& csv, const MembersSnapshot& snapshot, LocalDate at, const std::string& currency) {
    const std::string day = format_date(at);
    const auto start = [&](std::string_view scope, std::string_view tier) {
        csv.text("snapshot").text(day).text(day).text(scope).blank().text(tier).text(currency);
        blanks(csv, 10);
    };
    start("snapshot", "");
    csv.number(snapshot.members).number(snapshot.active_30_days).number(snapshot.active_90_days);
    csv.number(snapshot.active_365_days).number(snapshot.marketing_sms.granted);
    csv.number(snapshot.marketing_sms.share_permille).number(snapshot.marketing_email.granted);
    csv.number(snapshot.marketing_email.share_permille).end_row();
    for (const auto& [tier, members] : snapshot.by_tier) {
        start("tier", tier);
        csv.number(members);
        blanks(csv, kSnapshotColumns - 1);
        csv.end_row();
    }
}

}  // namespace

json members_report_json(const MembersReport& report) {
    const bool per_store = report.query.per_store();
    json periods = json::array();
    for (const MembersPeriod& period : report.periods) periods.push_back(period_json(period, per_store));
    json document = report_heading("members", report.query, report.time_zone);
    document.update(json{{"currency", report.currency},
                         {"periods", std::move(periods)},
                         {"total", period_json(report.total, per_store)},
                         {"snapshot", snapshot_json(report.snapshot, report.query.to)}});
    return document;
}

std::string members_report_csv(const MembersReport& report) {
    CsvWriter csv;
    for (const char* column : kCsvColumns) csv.text(column);
    csv.end_row();
    for (const MembersPeriod& period : report.periods) period_rows(csv, period, report.currency);
    snapshot_rows(csv, report.snapshot, report.query.to, report.currency);
    return csv.csv();
}

}  // namespace patron::core
