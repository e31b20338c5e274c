#include "api/member_documents.h"

#include "loyalty/core/time.h"

namespace patron::api {
namespace {

using nlohmann::json;

json encode_cards(const std::vector<service::CardView>& cards) {
    json list = json::array();
    for (const service::CardView& card : cards) list.push_back(card_document(card.number, card.kind, card.state));
    return list;
}

}  // namespace

json card_document(const std::string& number, const std::string& kind, const std::string& state) {
    return {{"number", number},
            {"kind", kind},
            {"state", state},
            {"scan", {{"code128", number}, {"qr", "patron:card:" + number}}}};
}

json encode_member(const service::MemberView& member) {
    json document = {{"id", member.id},
                     {"status", member.status},
                     {"cards", encode_cards(member.cards)},
                     {"created_at", core::format_utc(member.created_at, core::TimeFormat::kRfc3339)}};
    if (member.profile) {
        const core::MemberProfile& profile = *member.profile;
        document["full_name"] = profile.full_name;
        document["phone"] = profile.phone ? json(*profile.phone) : json(nullptr);
        document["email"] = profile.email ? json(*profile.email) : json(nullptr);
        document["birth_date"] = profile.birth_date ? json(core::format_date(*profile.birth_date)) : json(nullptr);
        document["language"] = profile.language ? json(*profile.language) : json(nullptr);
        document["gender"] = profile.gender ? json(*profile.gender) : json(nullptr);
        document["city"] = profile.city ? json(*profile.city) : json(nullptr);
        document["postal_code"] = profile.postal_code ? json(*profile.postal_code) : json(nullptr);
    }
    document["consents"] = service::consents_document(member.consents);
    return document;
}

json encode_balance(const service::Balance& balance) {
    return {{"member_id", balance.member_id},
            {"points", {{"available", balance.points_available}, {"pending", balance.points_pending}}},
            {"cashback", {{"amount", balance.cashback_amount}, {"currency", balance.currency}}},
            {"tier", {{"name", balance.tier}}}};
}

json encode_history(const service::HistoryPage& page) {
    json entries = json::array();
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        const core::HistoryItem& item = page.items[i];
        json entry = {{"id", item.transfer_id},
                      {"at", core::format_utc(item.at, core::TimeFormat::kRfc3339)},
                      {"kind", item.kind},
                      {"points", {{"available", item.available}, {"pending", item.pending}}},
                      {"rule_id", item.rule_id.empty() ? json(nullptr) : json(item.rule_id)},
                      {"rule_version", item.rule_version == 0 ? json(nullptr) : json(item.rule_version)},
                      {"purchase", nullptr},
                      {"description", page.descriptions[i]}};
        if (item.purchase) {
            entry["purchase"] = {{"kind", item.purchase->kind},       {"store", item.purchase->store},
                                 {"receipt", item.purchase->receipt}, {"business_day", item.purchase->business_day},
                                 {"total", item.purchase->total},     {"currency", item.purchase->currency}};
        }
        entries.push_back(std::move(entry));
    }
    return {{"entries", entries},
            {"language", page.language},
            {"next_before", page.next_before == 0 ? json(nullptr) : json(page.next_before)}};
}

}  // namespace patron::api
