#include "loyalty/core/rule_document.h"

#include <algorithm>

namespace patron::core {
namespace {

using nlohmann::json;

bool has_id(const json& entry, const std::string& id) { return entry.value("id", "") == id; }

}  // namespace

std::string_view rule_list_name(RuleList list) {
    switch (list) {
        case RuleList::kRules:
            return "rules";
        case RuleList::kCashback:
            return "cashback";
        case RuleList::kStampCards:
            return "stamp_cards";
    }
    return "rules";
}

Result<RuleEntry> RuleEntry::read(const json& entry, const std::string& id) {
    if (!entry.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    if (const auto named = entry.find("id"); named != entry.end() && *named != id) {
        return fail(ErrorCode::kValidationFailed, "must match the id in the path", "id");
    }
    json with_id = entry;
    with_id["id"] = id;
    return RuleEntry(std::move(with_id), id);
}

RuleDocument::RuleDocument() : document_(json{{"rules", json::array()}}) {}

Result<RuleDocument> RuleDocument::parse(std::string_view text) {
    json document = json::parse(text.begin(), text.end(), nullptr, false);
    if (document.is_discarded()) return fail(ErrorCode::kMalformedJson, "the rule set is not valid JSON");
    return RuleDocument(std::move(document));
}

RuleDocument RuleDocument::stored(std::string_view text) {
    return RuleDocument(json::parse(text.begin(), text.end(), nullptr, false));
}

std::string RuleDocument::text() const { return document_.dump(); }

Result<RuleSet> RuleDocument::validate(RuleIdCheck ids) const {
    auto rules = parse_rule_set(document_, 0, ids);
    if (!rules) return std::unexpected(all_problems(rules.error().problems));
    return std::move(*rules);
}

void RuleDocument::put(RuleList list, const RuleEntry& entry) {
    json& entries = document_[std::string(rule_list_name(list))];
    if (!entries.is_array()) entries = json::array();
    const auto same =
        std::find_if(entries.begin(), entries.end(), [&](const json& e) { return has_id(e, entry.id()); });
    if (same == entries.end()) {
        entries.push_back(entry.as_json());
    } else {
        *same = entry.as_json();
    }
}

bool RuleDocument::remove(RuleList list, const std::string& id) {
    const auto entries = document_.find(std::string(rule_list_name(list)));
    if (entries == document_.end() || !entries->is_array()) return false;
    const auto kept = std::remove_if(entries->begin(), entries->end(), [&](const json& e) { return has_id(e, id); });
    if (kept == entries->end()) return false;
    entries->erase(kept, entries->end());
    return true;
}

}  // namespace patron::core
