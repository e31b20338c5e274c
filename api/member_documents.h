// The member as staff and the member's own portal see it: profile, cards with their scan
// payloads, balances and history. One encoding for both, so the portal shows what support sees.
// Also the right-of-access export, which holds everything Patron keeps about the member.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/service/members/card_service.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_service.h"

namespace patron::api {

// A card with what to print or show for scanning (the number as Code 128 text and a QR payload)
// and whether it is the member's primary card.
nlohmann::json card_document(const service::CardView& card);
// The same with what staff see besides: issued_at, state_changed_at and state_reason.
nlohmann::json staff_card_document(const service::CardView& card);
// {"cards": [...]}, each as staff_card_document, in the order given.
nlohmann::json member_cards_document(const std::vector<service::CardView>& cards);
nlohmann::json encode_member(const service::MemberView& member);
nlohmann::json encode_balance(const service::Balance& balance);
nlohmann::json encode_history(const service::HistoryPage& page);
// One list of the history (?kind=): {"kind", "entries", "language", "next_before"}, each entry as
// in encode_history's list of its kind, with its "store" (its purchase's, or null); stamp and
// coupon entries also with the "id" that pages them.
nlohmann::json encode_history_list(const service::HistoryListPage& page);
// terms_version, terms_accepted_at, marketing_sms and marketing_email {granted, at}.
nlohmann::json consents_document(const core::Consents& consents);
// An answer to the post-purchase survey as the comments list and the export show it: purchase_id,
// store, visit_day, answered_at, nps, csat, ces and comment (null when absent).
nlohmann::json feedback_answer_document(const service::FeedbackComment& answer);
// member {id, status, created_at, profile}, consents, feedback (each as feedback_answer_document),
// the stored rows by section, exported_at.
nlohmann::json encode_member_export(const service::MemberExport& member);

}  // namespace patron::api
