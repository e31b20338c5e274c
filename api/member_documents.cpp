#include "api/member_documents.h"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "api/http_types.h"
#include "loyalty/core/time.h"

namespace patron::api {
namespace {

using nlohmann::json;

// The cards as `encode` writes each.
json encode_cards(const std::vector<service::CardView>& cards, json (*encode)(const service::CardView&)) {
    json list = json::array();
    for (const service::CardView& card : cards) list.push_back(encode(card));
    return list;
}

json encode_history_purchase(const std::optional<core::HistoryPurchase>& purchase) {
    if (!purchase) return nullptr;
    return {{"kind", purchase->kind},
            {"store", purchase->store},
            {"store_name", purchase->store_name},
            {"receipt", purchase->receipt},
            {"business_day", purchase->business_day},
            {"total", purchase->total},
            {"currency", purchase->currency},
            {"currency_exponent", currency_exponent(purchase->currency)}};
}

// Each item as `encode` writes it, with its sentence in the member's language.
template <typename Item, typename Encode>
json described(const std::vector<Item>& items, const std::vector<std::string>& descriptions, Encode encode) {
    json list = json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        json entry = encode(items[i]);
        entry["description"] = descriptions[i];
        list.push_back(std::move(entry));
    }
    return list;
}

// A ledger movement (points or cashback) with what it moved.
json movement_document(const core::HistoryItem& item) {
    json entry = {{"id", item.transfer_id},
                  {"at", core::format_utc(item.at, core::TimeFormat::kRfc3339)},
                  {"kind", item.kind},
                  {"rule_id", item.rule_id.empty() ? json(nullptr) : json(item.rule_id)},
                  {"rule_version", item.rule_version == 0 ? json(nullptr) : json(item.rule_version)},
                  {"purchase", encode_history_purchase(item.purchase)}};
    if (item.book == core::HistoryBook::kCashback) {
        entry["amount"] = item.available;
    } else {
        entry["points"] = {{"available", item.available}, {"pending", item.pending}};
    }
    return entry;
}

json stamp_change_document(const core::StampHistoryItem& item) {
    return {{"at", core::format_utc(item.at, core::TimeFormat::kRfc3339)},
            {"card_id", item.card_id},
            {"kind", item.kind},
            {"stamps", item.stamps},
            {"item", item.item.empty() ? json(nullptr) : json(item.item)},
            {"purchase", encode_history_purchase(item.purchase)}};
}

json coupon_used_document(const core::CouponHistoryItem& item) {
    return {{"at", core::format_utc(item.at, core::TimeFormat::kRfc3339)},
            {"code", item.code},
            {"campaign_id", item.campaign_id},
            {"campaign_version", item.campaign_version},
            {"discount", item.discount},
            {"bonus_points", item.bonus_points},
            {"status", item.given_back ? "given_back" : "redeemed"},
            {"purchase", encode_history_purchase(item.purchase)}};
}

json draw_entry_document(const core::DrawHistoryItem& item) {
    return {{"at", core::format_utc(item.at, core::TimeFormat::kRfc3339)},
            {"draw_id", item.draw_id},
            {"draw_name", item.draw_name},
            {"source", item.code.empty() ? "purchase" : "code"},
            {"code", item.code.empty() ? json(nullptr) : json(item.code)},
            {"earned", item.earned},
            {"entries", item.entries},
            {"purchase", encode_history_purchase(item.purchase)}};
}

// The stamp cards in force, the member's stamps on each and what a full card gives: points, or a
// coupon of a campaign (with the marketer's words for it, "free coffee").
json encode_cards_held(const std::vector<service::StampCardHeld>& cards) {
    json list = json::array();
    for (const service::StampCardHeld& held : cards) {
        const core::StampCard& card = held.card;
        const bool coupon = card.reward == core::StampRewardKind::kCoupon;
        json document = {
            {"card_id", card.id},
            {"name", card.name},
            {"basis", card.basis == core::StampBasis::kCollection ? "collection"
                      : card.basis == core::StampBasis::kVisit    ? "visit"
                                                                  : "units"},
            {"count", held.count},
            {"goal", card.goal},
            {"reward",
             {{"points", card.reward == core::StampRewardKind::kPoints ? json(card.reward_points) : json(nullptr)},
              {"coupon_campaign", coupon ? json(card.reward_campaign) : json(nullptr)},
              {"cashback",
               card.reward == core::StampRewardKind::kCashback ? json(card.reward_cashback) : json(nullptr)},
              {"label", card.reward_label.empty() ? json(nullptr) : json(card.reward_label)}}},
            {"valid_until",
             card.valid_until ? json(core::format_utc(*card.valid_until, core::TimeFormat::kRfc3339)) : json(nullptr)}};
        if (card.basis == core::StampBasis::kCollection) {
            // The set, each item held or still missing (owed: a return took it back after its
            // reward was used, and it must be bought that many times more before it counts).
            json items = json::array();
            for (const core::CollectionItem& item : card.items) {
                const auto found = held.items.find(item.id);
                const std::int64_t count = found == held.items.end() ? 0 : found->second;
                items.push_back({{"id", item.id},
                                 {"name", item.name},
                                 {"held", count > 0},
                                 {"owed", std::max<std::int64_t>(-count, 0)}});
            }
            document["items"] = std::move(items);
        }
        list.push_back(std::move(document));
    }
    return list;
}

json optional_text(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

json date_or_null(const std::optional<core::LocalDate>& date) {
    return date ? json(core::format_date(*date)) : json(nullptr);
}

// Points by local date: {points, <date_key>: "YYYY-MM-DD", <time_key>: RFC 3339}.
json encode_dated_points(const std::vector<core::DatedPoints>& dates, const char* date_key, const char* time_key) {
    json list = json::array();
    for (const core::DatedPoints& dated : dates) {
        list.push_back({{"points", dated.points},
                        {date_key, core::format_date(dated.date)},
                        {time_key, core::format_utc(dated.at, core::TimeFormat::kRfc3339)}});
    }
    return list;
}

json encode_tier_standing(const service::TierStanding& tier) {
    json next = nullptr;
    if (tier.next) next = {{"name", tier.next->name}, {"threshold", tier.next->threshold}, {"needed", tier.needed}};
    json window = nullptr;
    if (tier.window) {
        window = {{"from", core::format_date(tier.window->first)}, {"to", core::format_date(tier.window->last)}};
    }
    return {{"since", time_or_null(tier.since)},
            {"secured_until", date_or_null(tier.secured_until)},
            {"measure", tier.measure ? json(core::measure_name(*tier.measure)) : json(nullptr)},
            {"qualifying", tier.qualifying},
            {"window", window},
            {"next", next}};
}

json encode_member_coupons(const std::vector<core::MemberCoupon>& coupons) {
    json list = json::array();
    for (const core::MemberCoupon& coupon : coupons) {
        const core::CouponCampaign& campaign = coupon.campaign;
        const std::optional<std::int64_t> value = core::coupon_value(campaign);
        list.push_back({{"code", coupon.code},
                        {"campaign_id", campaign.id},
                        {"name", campaign.name},
                        {"state", core::to_string(coupon.state)},
                        {"kind", core::coupon_type_name(campaign.type)},
                        {"value", value ? json(*value) : json(nullptr)},
                        {"valid_from", time_or_null(campaign.valid_from)},
                        {"valid_until", time_or_null(campaign.valid_until)},
                        {"min_basket", campaign.min_basket > 0 ? json(campaign.min_basket) : json(nullptr)},
                        {"stores", campaign.stores.empty() ? json(nullptr) : json(campaign.stores)},
                        {"scan", {{"qr", "patron:coupon:" + coupon.code}}}});
    }
    return list;
}

// The profile as the export shows it, or null once the member is erased.
json export_profile(const std::optional<core::MemberProfile>& profile) {
    if (!profile) return nullptr;
    return {{"full_name", profile->full_name},
            {"phone", optional_text(profile->phone)},
            {"email", optional_text(profile->email)},
            {"birth_date", profile->birth_date ? json(core::format_date(*profile->birth_date)) : json(nullptr)},
            {"language", optional_text(profile->language)},
            {"gender", optional_text(profile->gender)},
            {"city", optional_text(profile->city)},
            {"postal_code", optional_text(profile->postal_code)},
            {"time_zone", optional_text(profile->time_zone)}};
}

// A stored row as an object named by its columns: NULL as null, numbers as numbers, the rest as text.
json encode_row(const store::RecordRow& row) {
    json object = json::object();
    for (const auto& [column, value] : row) {
        object[column] = std::visit(
            [](const auto& held) -> json {
                if constexpr (std::is_same_v<std::decay_t<decltype(held)>, std::monostate>) {
                    return nullptr;
                } else {
                    return held;
                }
            },
            value);
    }
    return object;
}

json encode_rows(const std::vector<store::RecordRow>& rows) {
    json list = json::array();
    for (const store::RecordRow& row : rows) list.push_back(encode_row(row));
    return list;
}

json optional_row(const std::optional<store::RecordRow>& row) { return row ? encode_row(*row) : json(nullptr); }

}  // namespace

json card_document(const service::CardView& card) {
    return {{"number", card.number},
            {"kind", card.kind},
            {"state", core::to_string(card.state)},
            {"primary", card.primary},
            {"scan", {{"code128", card.number}, {"qr", "patron:card:" + card.number}}}};
}

json staff_card_document(const service::CardView& card) {
    json document = card_document(card);
    document["issued_at"] = core::format_utc(card.issued_at, core::TimeFormat::kRfc3339);
    document["state_changed_at"] = core::format_utc(card.state_changed_at, core::TimeFormat::kRfc3339);
    document["state_reason"] = optional_text(card.state_reason);
    return document;
}

json member_cards_document(const std::vector<service::CardView>& cards) {
    return {{"cards", encode_cards(cards, staff_card_document)}};
}

json encode_member(const service::MemberView& member) {
    json document = {{"id", member.id},
                     {"status", core::to_string(member.status)},
                     {"cards", encode_cards(member.cards, card_document)},
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
        document["time_zone"] = profile.time_zone ? json(*profile.time_zone) : json(nullptr);
    }
    document["consents"] = consents_document(member.consents);
    return document;
}

json encode_balance(const service::Balance& balance) {
    json document = {{"member_id", balance.member_id},
                     {"points", {{"available", balance.points_available}, {"pending", balance.points_pending}}},
                     {"cashback",
                      {{"amount", balance.cashback_amount},
                       {"currency", balance.currency},
                       {"currency_exponent", currency_exponent(balance.currency)}}},
                     {"tier", {{"name", balance.tier}}},
                     {"stamps", encode_cards_held(balance.stamps)}};
    if (!balance.outlook) return document;
    const service::BalanceOutlook& outlook = *balance.outlook;
    document["time_zone"] = outlook.time_zone;
    document["points"]["pending_lots"] = encode_dated_points(outlook.pending, "available_on", "available_at");
    document["points"]["held_for_review"] = outlook.held;
    document["points"]["expiring"] = encode_dated_points(outlook.expiring, "expires_on", "expires_at");
    document["points"]["expiring_soon"] = {{"points", outlook.expiring_soon},
                                           {"within_days", service::kExpiringSoonDays}};
    document["tier"].update(encode_tier_standing(outlook.tier));
    document["coupons"] = encode_member_coupons(outlook.coupons);
    document["card"] = outlook.card ? card_document(*outlook.card) : json(nullptr);
    return document;
}

json encode_history(const service::HistoryPage& page) {
    return {{"entries", described(page.items, page.descriptions, movement_document)},
            {"cashback", described(page.cashback, page.cashback_descriptions, movement_document)},
            {"stamps", described(page.stamps, page.stamp_descriptions, stamp_change_document)},
            {"coupons", described(page.coupons, page.coupon_descriptions, coupon_used_document)},
            {"draws", described(page.draws, page.draw_descriptions, draw_entry_document)},
            {"language", page.language},
            {"next_before", page.next_before == 0 ? json(nullptr) : json(page.next_before)}};
}

json encode_history_list(const service::HistoryListPage& page) {
    // Stamp, coupon and draw entries carry the id their list pages by; movements have theirs already.
    const auto with_id = [](auto document) {
        return [document](const auto& item) {
            json entry = document(item);
            entry["id"] = item.id;
            return entry;
        };
    };
    json entries;
    if (page.list == core::HistoryList::kStamps) {
        entries = described(page.stamps, page.descriptions, with_id(stamp_change_document));
    } else if (page.list == core::HistoryList::kCoupons) {
        entries = described(page.coupons, page.descriptions, with_id(coupon_used_document));
    } else if (page.list == core::HistoryList::kDraws) {
        entries = described(page.draws, page.descriptions, with_id(draw_entry_document));
    } else {
        entries = described(page.movements, page.descriptions, movement_document);
    }
    // Each entry names its store on its own (code and name), for a list shown by store and date.
    for (json& entry : entries) {
        const bool bought = entry["purchase"].is_object();
        json store = bought ? entry["purchase"]["store"] : json(nullptr);
        json store_name = bought ? entry["purchase"]["store_name"] : json(nullptr);
        entry["store"] = std::move(store);
        entry["store_name"] = std::move(store_name);
    }
    return {{"kind", core::to_string(page.list)},
            {"entries", entries},
            {"language", page.language},
            {"next_before", page.next_before == 0 ? json(nullptr) : json(page.next_before)}};
}

json consents_document(const core::Consents& consents) {
    return {{"terms_version", optional_text(consents.terms_version)},
            {"terms_accepted_at", time_or_null(consents.terms_accepted_at)},
            {"marketing_sms", {{"granted", consents.marketing_sms}, {"at", time_or_null(consents.marketing_sms_at)}}},
            {"marketing_email",
             {{"granted", consents.marketing_email}, {"at", time_or_null(consents.marketing_email_at)}}}};
}

json feedback_answer_document(const service::FeedbackComment& answer) {
    const store::FeedbackEntry& entry = answer.entry;
    const auto score = [](const std::optional<int>& value) { return value ? json(*value) : json(nullptr); };
    return {{"purchase_id", entry.purchase_id},
            {"store", entry.store_code},
            {"visit_day", core::format_date(entry.visit_day)},
            {"answered_at", core::format_utc(entry.answered_at, core::TimeFormat::kRfc3339)},
            {"nps", score(entry.nps)},
            {"csat", score(entry.csat)},
            {"ces", score(entry.ces)},
            {"comment", optional_text(answer.comment)}};
}

namespace {

// The sections of a member's records, each under its name.
json records_document(const store::MemberRecords& records) {
    return {{"cards", encode_rows(records.cards)},
            {"lookups", encode_rows(records.lookups)},
            {"merged_members", encode_rows(records.merged_members)},
            {"consent_history", encode_rows(records.consent_history)},
            {"account", optional_row(records.account)},
            {"point_lots", encode_rows(records.point_lots)},
            {"point_lot_uses", encode_rows(records.point_lot_uses)},
            {"ledger_entries", encode_rows(records.ledger_entries)},
            {"rule_usage", encode_rows(records.rule_usage)},
            {"cashback_entries", encode_rows(records.cashback_entries)},
            {"reward_days", encode_rows(records.reward_days)},
            {"stamp_progress", encode_rows(records.stamp_progress)},
            {"stamp_events", encode_rows(records.stamp_events)},
            {"stamp_rewards", encode_rows(records.stamp_rewards)},
            {"coupon_codes", encode_rows(records.coupon_codes)},
            {"coupon_redemptions", encode_rows(records.coupon_redemptions)},
            {"purchases", encode_rows(records.purchases)},
            {"purchase_lines", encode_rows(records.purchase_lines)},
            {"return_lines", encode_rows(records.return_lines)},
            {"line_points", encode_rows(records.line_points)},
            {"cashback_line_earnings", encode_rows(records.cashback_line_earnings)},
            {"quote_holds", encode_rows(records.quote_holds)},
            {"claim_failures", encode_rows(records.claim_failures)},
            {"tier_history", encode_rows(records.tier_history)},
            {"password", optional_row(records.password)},
            {"sign_in_codes", encode_rows(records.sign_in_codes)},
            {"sessions", encode_rows(records.sessions)},
            {"scores", optional_row(records.scores)},
            {"segments", encode_rows(records.segments)},
            {"campaign_exposures", encode_rows(records.campaign_exposures)},
            {"messages", encode_rows(records.messages)},
            {"trigger_firings", encode_rows(records.trigger_firings)},
            {"segment_additions", encode_rows(records.segment_additions)},
            {"referral_code", optional_row(records.referral_code)},
            {"invitations", encode_rows(records.invitations)},
            {"referred_by", encode_rows(records.referred_by)},
            {"draw_entries", encode_rows(records.draw_entries)},
            {"draw_codes", encode_rows(records.draw_codes)},
            {"draw_entrants", encode_rows(records.draw_entrants)},
            {"draw_places", encode_rows(records.draw_places)},
            {"audit", encode_rows(records.audit)}};
}

}  // namespace

json encode_member_export(const service::MemberExport& member) {
    json feedback = json::array();
    for (const service::FeedbackComment& answer : member.feedback) feedback.push_back(feedback_answer_document(answer));
    json document = {{"member",
                      {{"id", member.member_id},
                       {"status", core::to_string(member.status)},
                       {"created_at", core::format_utc(member.created_at, core::TimeFormat::kRfc3339)},
                       {"profile", export_profile(member.profile)}}},
                     {"consents", consents_document(member.consents)},
                     {"feedback", std::move(feedback)}};
    document.update(records_document(member.records));
    // Each record merged into the member with what it still holds, in the same sections.
    json merged = json::array();
    for (const auto& [id, records] : member.merged_records) {
        json record = {{"id", id}};
        record.update(records_document(records));
        merged.push_back(std::move(record));
    }
    document["merged_records"] = std::move(merged);
    document["exported_at"] = core::format_utc(member.exported_at, core::TimeFormat::kRfc3339);
    return document;
}

}  // namespace patron::api
