#include "loyalty/core/member_history.h"

#include <array>
#include <cstdlib>

#include "loyalty/core/referrals.h"

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
    if (kind == "bonus") return {"Bonus: {points}", "امتیاز هدیه: {points}"};
    if (kind == "forfeit") return {"{points} withheld after a review", "{points} پس از بررسی تأیید نشد"};
    if (kind == "merge")
        return {"{points} moved from a merged membership", "انتقال {points} از عضویت ادغام‌شده"};
    return {"{points}", "{points}"};
}

// Each cashback movement's sentence; {money} and {where} are filled in.
Wording cashback_wording_of(const std::string& kind) {
    if (kind == "earn") return {"Cashback {money}{where}", "کش‌بک {money}{where}"};
    if (kind == "spend") return {"Paid with cashback: {money}{where}", "پرداخت با کش‌بک: {money}{where}"};
    if (kind == "refund")
        return {"{money} cashback given back for a return{where}",
                "بازگشت {money} کش‌بک بابت مرجوعی{where}"};
    if (kind == "reverse")
        return {"{money} cashback taken back for a return{where}",
                "کسر {money} کش‌بک بابت مرجوعی{where}"};
    if (kind == "merge")
        return {"{money} cashback moved from a merged membership",
                "انتقال {money} کش‌بک از عضویت ادغام‌شده"};
    return {"{money}", "{money}"};
}

// Each stamp card change's sentence; {stamps}, {card} and {where} are filled in.
Wording stamp_wording_of(const std::string& kind) {
    if (kind == "earn") return {"{stamps} stamps on {card}{where}", "{stamps} مهر روی {card}{where}"};
    if (kind == "return")
        return {"{stamps} stamps taken back from {card} for a return", "کسر {stamps} مهر از {card} بابت مرجوعی"};
    if (kind == "expire") return {"{stamps} stamps on {card} expired", "انقضای {stamps} مهر {card}"};
    if (kind == "forgive") return {"{stamps} missing stamps on {card} forgiven", "بخشش {stamps} مهر کسری {card}"};
    if (kind == "merge") return {"{stamps} stamps on {card} moved by a merge", "انتقال {stamps} مهر {card} با ادغام"};
    if (kind == "drop")
        return {"{card}: {stamps} held twice, counted once", "{card}: {stamps} مورد تکراری یک بار شمرده شد"};
    if (kind == "reward") return {"{card} filled: reward earned{where}", "{card} کامل شد: جایزه{where}"};
    if (kind == "revoked") return {"{card} reward revoked by a return", "لغو جایزه {card} بابت مرجوعی"};
    return {"{card}", "{card}"};
}

// Receipt numbers are identifiers, kept as the till printed them. The store by its name, which
// is what a member recognises; by its code ("at S001", "در فروشگاه S001") only without one.
std::string where_text(const std::optional<HistoryPurchase>& purchase, Language language) {
    if (!purchase) return "";
    const bool named = !purchase->store_name.empty();
    if (language == Language::kPersian) {
        return " با رسید " + purchase->receipt +
               (named ? " در " + purchase->store_name : " در فروشگاه " + purchase->store);
    }
    return " on receipt " + purchase->receipt + " at " + (named ? purchase->store_name : purchase->store);
}

void fill(std::string& text, const std::string& slot, const std::string& value) {
    if (const auto at = text.find(slot); at != std::string::npos) text.replace(at, slot.size(), value);
}

struct ListName {
    HistoryList list;
    const char* name;
    std::span<const char* const> transfer_kinds;
};

constexpr const char* kEarnedKinds[] = {"earn", "release", "bonus", "referral"};
constexpr const char* kSpentKinds[] = {"redeem"};
constexpr const char* kExpiredKinds[] = {"expire"};
constexpr const char* kReturnedKinds[] = {"reverse", "refund", "referral_back"};
constexpr const char* kAdjustedKinds[] = {"adjust", "merge", "forfeit"};

constexpr std::array<ListName, 9> kLists = {{
    {HistoryList::kEarned, "earned", kEarnedKinds},
    {HistoryList::kSpent, "spent", kSpentKinds},
    {HistoryList::kExpired, "expired", kExpiredKinds},
    {HistoryList::kReturned, "returned", kReturnedKinds},
    {HistoryList::kAdjusted, "adjusted", kAdjustedKinds},
    {HistoryList::kCashback, "cashback", {}},
    {HistoryList::kStamps, "stamps", {}},
    {HistoryList::kCoupons, "coupons", {}},
    {HistoryList::kDraws, "draws", {}},
}};

const ListName& entry_of(HistoryList list) {
    for (const ListName& entry : kLists) {
        if (entry.list == list) return entry;
    }
    return kLists.front();  // Not reached: every list is in the table.
}

}  // namespace

std::optional<HistoryList> parse_history_list(std::string_view name) {
    for (const ListName& entry : kLists) {
        if (name == entry.name) return entry.list;
    }
    return std::nullopt;
}

std::string_view to_string(HistoryList list) { return entry_of(list).name; }

std::string history_list_names() {
    std::string names;
    for (const ListName& entry : kLists) names += (names.empty() ? "" : ", ") + std::string(entry.name);
    return names;
}

std::span<const char* const> transfer_kinds(HistoryList list) { return entry_of(list).transfer_kinds; }

std::string describe(const HistoryItem& item, Language language, const Currency& currency) {
    if (item.kind == "referral" || item.kind == "referral_back") {
        // A referral's reward to the friend or the referrer (the note says which), or taken back.
        const std::int64_t amount = item.available + item.pending;
        const std::int64_t size = amount < 0 ? -amount : amount;
        const std::string what = item.book == HistoryBook::kCashback ? money_text({size, currency}, language)
                                                                     : points_text(size, language, false);
        return referral_history_text(item.note == "referrer" ? ReferralSide::kReferrer : ReferralSide::kFriend,
                                     amount < 0, what, language);
    }
    if (item.book == HistoryBook::kCashback) {
        const Wording wording = cashback_wording_of(item.kind);
        std::string text = language == Language::kPersian ? wording.persian : wording.english;
        const Currency shown = item.purchase ? find_currency(item.purchase->currency).value_or(currency) : currency;
        const std::int64_t amount = item.kind == "merge" ? item.available : std::abs(item.available);
        fill(text, "{money}",
             item.kind == "earn" ? signed_money_text('+', {amount, shown}, language)
                                 : money_text({amount, shown}, language));
        fill(text, "{where}", where_text(item.purchase, language));
        return text;
    }
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

std::string describe(const StampHistoryItem& item, Language language) {
    // A collection's item: "Green tea collected on Tea trail".
    Wording wording = stamp_wording_of(item.kind);
    if (!item.item.empty() && item.kind == "earn") {
        wording = {"{item} collected on {card}{where}", "{item}{where} در {card} جمع شد"};
    } else if (!item.item.empty() && item.kind == "return") {
        wording = {"{item} taken back from {card} for a return", "کسر {item} از {card} بابت مرجوعی"};
    }
    std::string text = language == Language::kPersian ? wording.persian : wording.english;
    const std::int64_t stamps = std::abs(item.stamps);
    if (language == Language::kEnglish && stamps == 1) {
        // "+1 stamp on Coffee card", not "+1 stamps" (Persian counts with the singular anyway).
        fill(text, "{stamps} stamps", "{stamps} stamp");
        fill(text, "{stamps} missing stamps", "{stamps} missing stamp");
    }
    fill(text, "{item}", item.item_name.empty() ? item.item : item.item_name);
    fill(text, "{stamps}",
         localized_digits(item.kind == "earn" ? signed_number('+', stamps) : std::to_string(stamps), language));
    fill(text, "{card}", item.card_name.empty() ? item.card_id : item.card_name);
    fill(text, "{where}", where_text(item.purchase, language));
    return text;
}

std::string describe(const CouponHistoryItem& item, Language language, const Currency& currency) {
    const bool persian = language == Language::kPersian;
    const Currency shown = item.purchase ? find_currency(item.purchase->currency).value_or(currency) : currency;
    std::string text = (persian ? "کوپن " : "Coupon ") + item.code + ": ";
    if (item.bonus_points > 0) {
        text += points_text(item.bonus_points, language);
    } else {
        text += money_text({item.discount, shown}, language) + (persian ? " تخفیف" : " off");
    }
    text += where_text(item.purchase, language);
    if (item.given_back) text += persian ? " (با مرجوعی بازگشت)" : " (given back by a return)";
    return text;
}

std::string describe(const DrawHistoryItem& item, Language language) {
    const bool persian = language == Language::kPersian;
    const std::string entries = localized_digits(signed_number('+', item.earned), language);
    std::string text = persian ? entries + " شانس در قرعه‌کشی " + item.draw_name
                               : entries + (item.earned == 1 ? " entry in " : " entries in ") + item.draw_name;
    if (!item.code.empty()) {
        text += (persian ? " با کد " : " for code ") + item.code;
    } else {
        text += where_text(item.purchase, language);
    }
    if (item.entries < item.earned) {
        const std::string back = localized_digits(std::to_string(item.earned - item.entries), language);
        text += persian ? "؛ " + back + " شانس بابت مرجوعی کسر شد" : "; " + back + " taken back by a return";
    }
    return text;
}

}  // namespace patron::core
