#include "api/insight_routes.h"

#include <nlohmann/json.hpp>

#include "api/member_routes.h"
#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr std::size_t kCustomerValueLimitDefault = 100;

template <typename T>
json or_null(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json encode_value(const core::CustomerValue& value) {
    return {{"spend", value.spend_minor},
            {"points_earned", value.points_earned},
            {"points_cost", value.points_cost_minor},
            {"cashback", value.cashback_minor},
            {"coupon_discounts", value.coupon_discount_minor},
            {"reward_cost", value.reward_cost_minor},
            {"net_value", value.net_value_minor},
            {"cost", or_null(value.cost_minor)},
            {"margin", or_null(value.margin_minor)},
            {"net_margin", or_null(value.net_margin_minor)}};
}

json encode_insight(const store::StoredScore& stored) {
    const core::MemberScore& score = stored.score;
    return {
        {"member_id", score.member_id},
        {"refreshed_at", time_or_null(stored.refreshed_at)},
        {"window_days", stored.window_days},
        {"rfm",
         {{"recency_days", or_null(score.recency_days)},
          {"frequency", score.frequency},
          {"monetary", score.monetary_minor},
          {"r", or_null(score.r_score)},
          {"f", or_null(score.f_score)},
          {"m", or_null(score.m_score)},
          {"segment", core::segment_code(score.segment)}}},
        {"churn",
         {{"probability_permille", or_null(score.churn_permille)}, {"band", core::churn_band_code(score.churn_band)}}},
        {"value", encode_value(score.value)}};
}

struct Tally {
    long long members = 0, spend = 0, reward_cost = 0, net_value = 0;
    void add(const store::SegmentCell& cell) {
        members += cell.members;
        spend += cell.spend_minor;
        reward_cost += cell.reward_cost_minor;
        net_value += cell.net_value_minor;
    }
    json document() const {
        return {{"members", members}, {"spend", spend}, {"reward_cost", reward_cost}, {"net_value", net_value}};
    }
};

// The tally of the cells whose `key` is `value`, named `name`: `code`.
template <typename Key>
json tally_of(const std::vector<store::SegmentCell>& cells, Key store::SegmentCell::*key, Key value, const char* name,
              std::string_view code) {
    Tally tally;
    for (const store::SegmentCell& cell : cells) {
        if (cell.*key == value) tally.add(cell);
    }
    json row = tally.document();
    row[name] = code;
    return row;
}

json encode_segments(const service::SegmentSummary& summary) {
    json segments = json::array(), bands = json::array(), cells = json::array();
    Tally total;
    for (const core::RfmSegment segment : core::kAllSegments) {
        segments.push_back(
            tally_of(summary.cells, &store::SegmentCell::segment, segment, "segment", core::segment_code(segment)));
    }
    for (const core::ChurnBand band : core::kAllChurnBands) {
        bands.push_back(tally_of(summary.cells, &store::SegmentCell::band, band, "band", core::churn_band_code(band)));
    }
    for (const store::SegmentCell& cell : summary.cells) {
        total.add(cell);
        cells.push_back({{"segment", core::segment_code(cell.segment)},
                         {"band", core::churn_band_code(cell.band)},
                         {"members", cell.members}});
    }
    const auto& refresh = summary.refresh;
    return {{"refreshed_at", refresh ? time_or_null(refresh->refreshed_at) : json(nullptr)},
            {"window_days", refresh ? json(refresh->window_days) : json(nullptr)},
            {"today", refresh ? json(core::format_date(refresh->today)) : json(nullptr)},
            {"segments", segments},
            {"churn_bands", bands},
            {"cells", cells},
            {"totals", total.document()}};
}

json encode_value_row(const store::ValueRow& row) {
    const core::MemberScore& score = row.stored.score;
    json document = encode_value(score.value);
    document["member_id"] = score.member_id;
    document["card"] = or_null(row.card);
    document["segment"] = core::segment_code(score.segment);
    document["churn_band"] = core::churn_band_code(score.churn_band);
    return document;
}

struct ValueQuery {
    store::ValueOrder order = store::ValueOrder::kNetValue;
    std::size_t limit = kCustomerValueLimitDefault;
    bool csv = false;
};

core::Result<ValueQuery> value_query(const HttpRequest& request) {
    ValueQuery query;
    for (const auto& [name, value] : request.query_params) {
        if (name == "order") {
            if (value != "net_value" && value != "spend") {
                return core::fail(ErrorCode::kValidationFailed, "order is net_value or spend", "order");
            }
            query.order = value == "spend" ? store::ValueOrder::kSpend : store::ValueOrder::kNetValue;
        } else if (name == "format") {
            if (value != "json" && value != "csv") {
                return core::fail(ErrorCode::kValidationFailed, "format is json or csv", "format");
            }
            query.csv = value == "csv";
        } else if (name == "limit") {
            const auto count = parse_id(value);
            if (!count || *count > static_cast<long long>(service::kCustomerValueLimitMax)) {
                return core::fail(ErrorCode::kValidationFailed,
                                  "limit is 1 to " + std::to_string(service::kCustomerValueLimitMax), "limit");
            }
            query.limit = static_cast<std::size_t>(*count);
        }
    }
    return query;
}

HttpResponse customer_value_response(service::InsightService& insight, long long program_id,
                                     const HttpRequest& request) {
    const auto query = value_query(request);
    if (!query) return error_response(query.error());
    const auto rows = insight.customer_values(program_id, query->order, query->limit);
    if (!rows) return error_response(rows.error());
    if (query->csv) {
        return HttpResponse{200,
                            customer_value_csv(*rows),
                            "text/csv; charset=utf-8",
                            {{"Content-Disposition", "attachment; filename=\"customer-value.csv\""}},
                            {}};
    }
    json members = json::array();
    for (const store::ValueRow& row : *rows) members.push_back(encode_value_row(row));
    return json_response(
        200, {{"order", query->order == store::ValueOrder::kSpend ? "spend" : "net_value"}, {"members", members}});
}

}  // namespace

std::string customer_value_csv(const std::vector<store::ValueRow>& rows) {
    core::CsvWriter csv;
    for (const char* heading :
         {"member_id", "card", "segment", "churn_band", "spend", "points_earned", "points_cost", "cashback",
          "coupon_discounts", "reward_cost", "net_value", "cost", "margin", "net_margin"}) {
        csv.text(heading);
    }
    csv.end_row();
    for (const store::ValueRow& row : rows) {
        const core::MemberScore& score = row.stored.score;
        const core::CustomerValue& value = score.value;
        csv.number(score.member_id);
        if (row.card) {
            csv.text(*row.card);
        } else {
            csv.blank();
        }
        csv.text(core::segment_code(score.segment))
            .text(core::churn_band_code(score.churn_band))
            .number(value.spend_minor)
            .number(value.points_earned)
            .number(value.points_cost_minor)
            .number(value.cashback_minor)
            .number(value.coupon_discount_minor)
            .number(value.reward_cost_minor)
            .number(value.net_value_minor)
            .number_or_blank(value.cost_minor)
            .number_or_blank(value.margin_minor)
            .number_or_blank(value.net_margin_minor)
            .end_row();
    }
    return csv.csv();
}

std::vector<Route> insight_routes(service::InsightService& insight) {
    constexpr Roles kReaders = kRoleAdmin | kRoleMarketer | kRoleAnalyst;
    return {
        {"GET", "/v1/members/:id/insight", Caller::kStaff, kReaders | kRoleSupport, true,
         [&insight](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return answer(insight.member_insight(context.staff->program_id, id), 200, encode_insight);
             });
         }},
        {"GET", "/v1/insight/segments", Caller::kStaff, kReaders, true,
         [&insight](const HttpRequest&, const CallContext& context) {
             return answer(insight.segments(context.staff->program_id), 200, encode_segments);
         }},
        {"GET", "/v1/reports/customer-value", Caller::kStaff, kReaders, true,
         [&insight](const HttpRequest& request, const CallContext& context) {
             return customer_value_response(insight, context.staff->program_id, request);
         },
         Expense::kReadsReport},
    };
}

}  // namespace patron::api
