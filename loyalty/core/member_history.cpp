#include "loyalty/core/member_history.h"

namespace patron::core {
namespace {

struct Wording {
    const char* english;
    const char* persian;
};

// Each kind's sentence; {points} and {where} are filled in.
Wording wording_of(const std::string& kind) {
    if (kind == "earn") return {"Earned {points}{where}", "کسب {points}{where}"};
    if (kind == "release") return {"{points} released from hold", "آزاد شدن {points} از انتظار"};
    if (kind == "redeem") return {"Paid with {points}{where}", "پرداخت با {points}{where}"};
    if (kind == "refund") return {"{points} given back for a return{where}", "بازگشت {points} بابت مرجوعی{where}"};
    if (kind == "reverse") return {"{points} taken back for a return{where}", "کسر {points} بابت مرجوعی{where}"};
    if (kind == "expire") return {"{points} expired", "انقضای {points}"};
    if (kind == "adjust") return {"Adjusted by customer service: {points}", "اصلاح توسط پشتیبانی: {points}"};
    if (kind == "merge")
        return {"{points} moved from a merged membership", "انتقال {points} از عضویت ادغام‌شده"};
    return {"{points}", "{points}"};
}

// Receipt numbers and store codes are identifiers, kept as the till printed them.
std::string where_text(const std::optional<HistoryPurchase>& purchase, Language language) {
    if (!purchase) return "";
    if (language == Language::kPersian) {
        return " با رسید " + purchase->receipt + " در فروشگاه " + purchase->store;
    }
    return " on receipt " + purchase->receipt + " at " + purchase->store;
}

void fill(std::string& text, const std::string& slot, const std::string& value) {
    if (const auto at = text.find(slot); at != std::string::npos) text.replace(at, slot.size(), value);
}

}  // namespace

std::string describe(const HistoryItem& item, Language language) {
    const Wording wording = wording_of(item.kind);
    std::string text = language == Language::kPersian ? wording.persian : wording.english;
    // Points that moved between hold and available are one amount, not two.
    const std::int64_t points = item.kind == "release" ? item.available : item.available + item.pending;
    const bool signed_kind = item.kind == "adjust" || item.kind == "merge";
    fill(text, "{points}", points_text(signed_kind ? points : (points < 0 ? -points : points), language, signed_kind));
    fill(text, "{where}", where_text(item.purchase, language));
    if (item.pending > 0 && item.kind == "earn") {
        text += language == Language::kPersian ? " (در انتظار)" : " (on hold)";
    }
    if (!item.note.empty()) text += " - " + item.note;
    return text;
}

}  // namespace patron::core
