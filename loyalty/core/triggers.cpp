#include "loyalty/core/triggers.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<TriggerState, std::string_view>, 3> kStates{
    {{TriggerState::kActive, "active"}, {TriggerState::kPaused, "paused"}, {TriggerState::kEnded, "ended"}}};
constexpr std::array<std::pair<TriggerCondition, std::string_view>, 5> kConditions{
    {{TriggerCondition::kNoPurchase, "no_purchase"},
     {TriggerCondition::kVisits, "visits"},
     {TriggerCondition::kSpend, "spend"},
     {TriggerCondition::kReturns, "returns"},
     {TriggerCondition::kAnniversary, "anniversary"}}};
constexpr int kAnniversaryYearsMax = 100;
constexpr std::array<std::pair<TriggerAction, std::string_view>, 5> kActions{
    {{TriggerAction::kMessage, "message"},
     {TriggerAction::kCoupon, "coupon"},
     {TriggerAction::kBonusPoints, "bonus_points"},
     {TriggerAction::kFraudSignal, "fraud_signal"},
     {TriggerAction::kSegment, "segment"}}};
constexpr std::array<std::pair<PeriodSize, std::string_view>, 3> kPeriods{
    {{PeriodSize::kWeek, "week"}, {PeriodSize::kMonth, "month"}, {PeriodSize::kJalaliMonth, "jalali_month"}}};

// A text of 1 to `longest` characters with something other than spaces in it (a segment's code).
bool fits(const json& value, std::size_t longest) {
    return value.is_string() && value.get_ref<const std::string&>().find_first_not_of(" \t\r\n") != std::string::npos &&
           code_points(value.get_ref<const std::string&>()) <= longest;
}

// Refuses every field of the object but its kind and `allowed`, saying `why`.
void only_fields(Reader& reader, std::initializer_list<std::string_view> allowed, const std::string& why) {
    for (const auto& [key, value] : reader.object().items()) {
        if (key != "kind" && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            // A field of another kind of condition or action is said by the message alone.
            reader.problem(reader.field(key), why,
                           why == "unknown field" ? reason(ReasonKind::kUnknownField) : Reason{});
        }
    }
}

// "years": [1, 5, 10], each a whole number of years from 1 to 100, none twice; absent, every year.
void read_anniversary_years(Reader& reader, Trigger& trigger) {
    const json* years = reader.find("years");
    if (years == nullptr) return;
    if (!years->is_array() || years->empty() || years->size() > kAnniversaryYearsMax) {
        reader.problem(reader.field("years"),
                       "must list 1 to 100 anniversaries (whole years); leave it out for every one",
                       reason(ReasonKind::kCount, 1, kAnniversaryYearsMax));
        return;
    }
    for (std::size_t i = 0; i < years->size(); ++i) {
        const json& year = (*years)[i];
        const std::string path = reader.field("years") + "[" + std::to_string(i) + "]";
        if (!year.is_number_integer() || year.get<std::int64_t>() < 1 ||
            year.get<std::int64_t>() > kAnniversaryYearsMax) {
            reader.problem(path, "must be a whole number of years from 1 to 100",
                           reason(ReasonKind::kRange, 1, kAnniversaryYearsMax));
            continue;
        }
        const int value = static_cast<int>(year.get<std::int64_t>());
        if (std::find(trigger.years.begin(), trigger.years.end(), value) != trigger.years.end()) {
            reader.problem(path, "is named twice", reason(ReasonKind::kDuplicate));
            continue;
        }
        trigger.years.push_back(value);
    }
    std::sort(trigger.years.begin(), trigger.years.end());
}

void read_condition(Reader& reader, Trigger& trigger) {
    const auto kind = lookup(kConditions, reader.find("kind"));
    if (!kind) {
        reader.problem(reader.field("kind"), "must be no_purchase, visits, spend, returns or anniversary",
                       reason(ReasonKind::kOneOf));
        return;
    }
    trigger.condition = *kind;
    if (*kind == TriggerCondition::kNoPurchase) {
        only_fields(reader, {"days"}, "a no_purchase condition takes only days");
        trigger.days = static_cast<int>(bounded(reader, "days", 1, kTriggerDaysMax));
        return;
    }
    if (*kind == TriggerCondition::kAnniversary) {
        only_fields(reader, {"years"}, "an anniversary condition takes only years");
        read_anniversary_years(reader, trigger);
        return;
    }
    only_fields(reader, {"at_least", "period", "days"}, "unknown field");
    trigger.at_least = bounded(reader, "at_least", 1, kTriggerCountMax, trigger.condition == TriggerCondition::kSpend);
    const json* period = reader.find("period");
    const json* days = reader.find("days");
    if ((period == nullptr) == (days == nullptr)) {
        reader.problem(reader.field("period"), "give either a period (week, month, jalali_month) or days, not both");
        return;
    }
    if (period != nullptr) {
        trigger.period = lookup(kPeriods, period);
        if (!trigger.period)
            reader.problem(reader.field("period"), "must be week, month or jalali_month", reason(ReasonKind::kOneOf));
    } else {
        trigger.days = static_cast<int>(bounded(reader, "days", 1, kTriggerDaysMax));
    }
}

// A message's words in one language.
std::string message_text(Reader& reader, std::string_view language) {
    if (reader.find(language) == nullptr) {
        reader.problem(reader.field(language), "is required: a member is told in her language, English or Persian",
                       reason(ReasonKind::kRequired));
        return {};
    }
    return reader.words(language, kTriggerTextMax, true);
}

void read_action(Reader& reader, Trigger& trigger) {
    const auto kind = lookup(kActions, reader.find("kind"));
    if (!kind) {
        reader.problem(reader.field("kind"), "must be message, coupon, bonus_points, fraud_signal or segment",
                       reason(ReasonKind::kOneOf));
        return;
    }
    trigger.action = *kind;
    if (*kind == TriggerAction::kSegment) {
        only_fields(reader, {"segment", "days"}, "a segment action takes only segment and days");
    } else {
        const std::string_view only = *kind == TriggerAction::kMessage       ? "text"
                                      : *kind == TriggerAction::kCoupon      ? "campaign_id"
                                      : *kind == TriggerAction::kBonusPoints ? "points"
                                                                             : "policy";
        only_fields(reader, {only}, "a " + std::string(to_string(*kind)) + " action takes only " + std::string(only));
    }
    switch (*kind) {
        case TriggerAction::kMessage:
            if (auto text = reader.child("text", {"en", "fa"})) {
                trigger.text_en = message_text(*text, "en");
                trigger.text_fa = message_text(*text, "fa");
            } else if (reader.find("text") == nullptr) {
                reader.problem(reader.field("text"), "is required: {\"en\": ..., \"fa\": ...}",
                               reason(ReasonKind::kRequired));
            }
            return;
        case TriggerAction::kCoupon:
            trigger.campaign_id = bounded(reader, "campaign_id", 1, INT64_MAX);
            return;
        case TriggerAction::kBonusPoints:
            trigger.points = bounded(reader, "points", 1, kTriggerBonusMax);
            return;
        case TriggerAction::kFraudSignal:
            if (const json* policy = reader.find("policy"); policy != nullptr) {
                const auto action = policy->is_string() ? parse_fraud_action(policy->get<std::string>()) : std::nullopt;
                if (!action)
                    reader.problem(reader.field("policy"), "must be flag, hold or block", reason(ReasonKind::kOneOf));
                trigger.policy = action.value_or(FraudAction::kFlag);
            }
            return;
        case TriggerAction::kSegment:
            // The code's form only: the trigger service finds the segment.
            if (const json* code = reader.find("segment"); code == nullptr) {
                reader.problem(reader.field("segment"), "is required: the code of one of the programme's segments",
                               reason(ReasonKind::kRequired));
            } else if (!fits(*code, 32)) {
                reader.problem(reader.field("segment"), "must be a segment's code",
                               reason(ReasonKind::kTextLength, 1, 32));
            } else {
                trigger.segment = code->get<std::string>();
            }
            trigger.segment_days = static_cast<int>(bounded(reader, "days", 1, kTriggerDaysMax));
            return;
    }
}

// The condition and action, read from their own readers; the problems collected in `problems`.
void read_rule(const json& document, Trigger& trigger, std::vector<Error>& problems) {
    Reader reader(document, "", problems);
    if (const json* condition = reader.find("condition"); condition == nullptr) {
        reader.problem("condition", "is required", reason(ReasonKind::kRequired));
    } else {
        Reader condition_reader(*condition, "condition", problems);
        if (condition->is_object()) {
            read_condition(condition_reader, trigger);
        } else {
            condition_reader.problem("condition", "must be an object", reason(ReasonKind::kWrongType));
        }
    }
    if (const json* action = reader.find("action"); action == nullptr) {
        reader.problem("action", "is required", reason(ReasonKind::kRequired));
    } else {
        Reader action_reader(*action, "action", problems);
        if (action->is_object()) {
            read_action(action_reader, trigger);
        } else {
            action_reader.problem("action", "must be an object", reason(ReasonKind::kWrongType));
        }
    }
}

}  // namespace

std::string_view to_string(TriggerState state) { return name_of(kStates, state); }
std::string_view to_string(TriggerCondition condition) { return name_of(kConditions, condition); }
std::string_view to_string(TriggerAction action) { return name_of(kActions, action); }

std::optional<TriggerState> parse_trigger_state(std::string_view name) {
    const json value = std::string(name);
    return lookup(kStates, &value);
}

bool Trigger::marks(int turned) const {
    return condition == TriggerCondition::kAnniversary && turned >= 1 &&
           (years.empty() || std::binary_search(years.begin(), years.end(), turned));
}

bool Trigger::counts(bool returned) const {
    switch (condition) {
        case TriggerCondition::kNoPurchase:
        case TriggerCondition::kAnniversary:
            return false;
        case TriggerCondition::kVisits:
            return !returned;
        case TriggerCondition::kSpend:
            return !returned;  // A return only lowers spend.
        case TriggerCondition::kReturns:
            return returned;
    }
    return false;
}

Result<TriggerDocument> decode_trigger_document(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    TriggerDocument decoded;
    if (!reader.is_object({"name", "state", "condition", "action"})) return std::unexpected(all_problems(problems));
    decoded.trigger.name = reader.words("name", kTriggerNameMax, true);
    if (const json* state = reader.find("state"); state != nullptr) {
        decoded.state = lookup(kStates, state);
        if (!decoded.state || *decoded.state == TriggerState::kEnded) {
            decoded.state.reset();
            reader.problem("state", "must be active or paused (a trigger is ended by PATCHing its state)",
                           reason(ReasonKind::kOneOf));
        }
    }
    read_rule(document, decoded.trigger, problems);
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    decoded.rule_text = json{{"condition", document.at("condition")}, {"action", document.at("action")}}.dump();
    return decoded;
}

Result<TriggerState> decode_trigger_state_change(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    if (!reader.is_object({"state"})) return std::unexpected(all_problems(problems));
    const auto state = lookup(kStates, reader.find("state"));
    if (!state) reader.problem("state", "must be active, paused or ended", reason(ReasonKind::kOneOf));
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return *state;
}

Result<Trigger> parse_stored_trigger(std::string_view name, std::string_view rule_text) {
    const json document = json::parse(rule_text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return fail(ErrorCode::kInternal, "a stored trigger does not read");
    }
    std::vector<Error> problems;
    Trigger trigger;
    trigger.name = std::string(name);
    read_rule(document, trigger, problems);
    if (!problems.empty()) return fail(ErrorCode::kInternal, "a stored trigger does not read: " + problems[0].field);
    return trigger;
}

TriggerWindow trigger_window(const Trigger& trigger, const TimeZone& zone, Timestamp at) {
    const LocalDate today = local_date(zone, at);
    if (trigger.period) {
        const ReportPeriod period = whole_period(today, *trigger.period);
        return {zone.day_start(period.first), day_end(zone, period.last), format_date(period.first)};
    }
    const int days = std::max(trigger.days, 1);
    return {zone.day_start(add_days(today, 1 - days)), day_end(zone, today), format_date(today)};
}

bool trigger_condition_holds(const Trigger& trigger, const TriggerCounts& counts) {
    switch (trigger.condition) {
        case TriggerCondition::kNoPurchase:
        case TriggerCondition::kAnniversary:
            return false;  // Decided by the lapse and anniversary scans, not by counts.
        case TriggerCondition::kVisits:
            return counts.visits >= trigger.at_least;
        case TriggerCondition::kSpend:
            return counts.spend_minor >= trigger.at_least;
        case TriggerCondition::kReturns:
            return counts.returns >= trigger.at_least;
    }
    return false;
}

std::string lapse_key(Timestamp last_purchase) { return "after " + format_utc(last_purchase, TimeFormat::kSql); }

std::string anniversary_key(int years) { return "year " + std::to_string(years); }

std::optional<AnniversaryScan> next_anniversary_scan(LocalDate day, long long after_id, LocalDate today) {
    AnniversaryScan next{day, after_id};
    if (after_id == kAnniversaryDayDone) {
        if (day >= today) return std::nullopt;
        next = {add_days(day, 1), 0};
    }
    if (next.day < add_days(today, -kAnniversaryLateDaysMax)) next = {add_days(today, -kAnniversaryLateDaysMax), 0};
    if (next.day > today) return std::nullopt;  // A clock set back.
    return next;
}

}  // namespace patron::core
