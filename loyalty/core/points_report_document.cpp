#include "loyalty/core/points_report_document.h"

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/report_document.h"

namespace patron::core {
namespace {

using nlohmann::json;

json points_json(const PointsMovements& points) {
    return {{"issued", points.issued},
            {"redeemed", points.redeemed},
            {"expired", points.expired},
            {"adjusted_plus", points.adjusted_plus},
            {"adjusted_minus", points.adjusted_minus},
            {"returned", points.returned},
            {"refunded", points.refunded}};
}

json cashback_json(const CashbackMovements& cashback) {
    return {{"issued", cashback.issued},
            {"spent", cashback.spent},
            {"returned", cashback.returned},
            {"refunded", cashback.refunded}};
}

json liability_json(const Liability& liability) {
    return {{"points_value", liability.points_value},
            {"cashback", liability.cashback},
            {"total", liability.total},
            {"breakage",
             {{"expired", liability.breakage.expired},
              {"redeemed", liability.breakage.redeemed},
              {"ppm", liability.breakage_ppm},
              {"expected", liability.expected_breakage}}},
            {"net", liability.net}};
}

json period_json(const PeriodFigures& figures, bool per_store) {
    json points = points_json(figures.points);
    points["available"] = figures.closing.points_available;
    points["pending"] = figures.closing.points_pending;
    points["outstanding"] = figures.closing.points();
    json cashback = cashback_json(figures.cashback);
    cashback["outstanding"] = figures.closing.cashback;
    json period = {{"period", figures.period.name},
                   {"from", format_date(figures.period.first)},
                   {"to", format_date(figures.period.last)},
                   {"points", points},
                   {"cashback", cashback},
                   {"liability", liability_json(figures.liability)}};
    if (per_store) {
        json stores = json::array();
        for (const StoreFigures& store : figures.stores) {
            stores.push_back({{"store", store.store ? json(*store.store) : json(nullptr)},
                              {"points", points_json(store.points)},
                              {"cashback", cashback_json(store.cashback)}});
        }
        period["stores"] = std::move(stores);
    }
    return period;
}

constexpr const char* kCsvColumns[] = {"period",
                                       "from",
                                       "to",
                                       "scope",
                                       "store",
                                       "currency",
                                       "points_issued",
                                       "points_redeemed",
                                       "points_expired",
                                       "points_adjusted_plus",
                                       "points_adjusted_minus",
                                       "points_returned",
                                       "points_refunded",
                                       "points_available",
                                       "points_pending",
                                       "points_outstanding",
                                       "cashback_issued",
                                       "cashback_spent",
                                       "cashback_returned",
                                       "cashback_refunded",
                                       "cashback_outstanding",
                                       "liability_points_value",
                                       "liability_cashback",
                                       "liability_total",
                                       "breakage_ppm",
                                       "expected_breakage",
                                       "liability_net"};

// The movements of one row; what only the programme as a whole has (balances, liability) follows
// in the "all" rows and is left blank in the others.
void movement_cells(CsvWriter& csv, const PointsMovements& points, const CashbackMovements& cashback,
                    const PeriodFigures* whole) {
    csv.number(points.issued).number(points.redeemed).number(points.expired);
    csv.number(points.adjusted_plus).number(points.adjusted_minus).number(points.returned).number(points.refunded);
    if (whole) {
        csv.number(whole->closing.points_available).number(whole->closing.points_pending);
        csv.number(whole->closing.points());
    } else {
        csv.blank().blank().blank();
    }
    csv.number(cashback.issued).number(cashback.spent).number(cashback.returned).number(cashback.refunded);
    if (whole) {
        const Liability& liability = whole->liability;
        csv.number(whole->closing.cashback).number(liability.points_value).number(liability.cashback);
        csv.number(liability.total).number(liability.breakage_ppm).number(liability.expected_breakage);
        csv.number(liability.net);
    } else {
        for (int i = 0; i < 7; ++i) csv.blank();
    }
    csv.end_row();
}

void period_rows(CsvWriter& csv, const PeriodFigures& figures, const std::string& currency) {
    const auto start = [&](std::string_view scope, std::string_view store) {
        csv.text(figures.period.name).text(format_date(figures.period.first)).text(format_date(figures.period.last));
        csv.text(scope).text(store).text(currency);
    };
    start("all", "");
    movement_cells(csv, figures.points, figures.cashback, &figures);
    for (const StoreFigures& store : figures.stores) {
        start(store.store ? "store" : "none", store.store.value_or(""));
        movement_cells(csv, store.points, store.cashback, nullptr);
    }
}

}  // namespace

json points_report_json(const PointsReport& report) {
    const bool per_store = report.query.per_store();
    json periods = json::array();
    for (const PeriodFigures& period : report.periods) periods.push_back(period_json(period, per_store));
    json document = report_heading("points", report.query, report.time_zone);
    document.update(json{{"currency", report.currency},
                         {"point_value_minor", report.point_value_minor},
                         {"opening",
                          {{"points",
                            {{"available", report.opening.points_available},
                             {"pending", report.opening.points_pending},
                             {"outstanding", report.opening.points()}}},
                           {"cashback", {{"outstanding", report.opening.cashback}}}}},
                         {"periods", std::move(periods)},
                         {"total", period_json(report.total, per_store)}});
    return document;
}

std::string points_report_csv(const PointsReport& report) {
    CsvWriter csv;
    for (const char* column : kCsvColumns) csv.text(column);
    csv.end_row();
    for (const PeriodFigures& period : report.periods) period_rows(csv, period, report.currency);
    return csv.csv();
}

}  // namespace patron::core
