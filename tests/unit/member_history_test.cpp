#include "loyalty/core/member_history.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "loyalty/core/ledger.h"

namespace patron::core {
namespace {

HistoryItem item(std::string kind, std::int64_t available, std::int64_t pending = 0, bool at_till = true) {
    HistoryItem made;
    made.kind = std::move(kind);
    made.available = available;
    made.pending = pending;
    if (at_till) {
        made.purchase = HistoryPurchase{"purchase", "S001", "1532", "2026-11-22", 330000, "IRR", "Tehran Central"};
    }
    return made;
}

TEST(MemberHistory, EachMovementReadsAsOneSentenceInTheMembersLanguage) {
    struct Case {
        HistoryItem item;
        const char* english;
        const char* persian;
    };
    HistoryItem adjusted = item("adjust", -20, 0, false);
    adjusted.note = "duplicate scan";
    const Case cases[] = {
        {item("earn", 330), "Earned 330 points on receipt 1532 at Tehran Central",
         "کسب ۳۳۰ امتیاز با رسید 1532 در Tehran Central"},
        {item("earn", 0, 330), "Earned 330 points on receipt 1532 at Tehran Central (on hold)",
         "کسب ۳۳۰ امتیاز با رسید 1532 در Tehran Central (در انتظار)"},
        {item("release", 330, -330, false), "330 points released from hold", "آزاد شدن ۳۳۰ امتیاز از انتظار"},
        {item("redeem", -200), "Paid with 200 points on receipt 1532 at Tehran Central",
         "پرداخت با ۲۰۰ امتیاز با رسید 1532 در Tehran Central"},
        {item("reverse", -30), "30 points taken back for a return on receipt 1532 at Tehran Central",
         "کسر ۳۰ امتیاز بابت مرجوعی با رسید 1532 در Tehran Central"},
        {item("expire", -45, 0, false), "45 points expired", "انقضای ۴۵ امتیاز"},
        {adjusted, "Adjusted by customer service: -20 points - duplicate scan",
         "اصلاح توسط پشتیبانی: -۲۰ امتیاز - duplicate scan"},
        {item("merge", 70, 5, false), "+75 points moved from a merged membership",
         "انتقال +۷۵ امتیاز از عضویت ادغام‌شده"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(describe(c.item, Language::kEnglish), c.english) << c.item.kind;
        EXPECT_EQ(describe(c.item, Language::kPersian), c.persian) << c.item.kind;
    }
}

// The store is named as its members know it; a purchase read without its store's name reads its
// code.
TEST(MemberHistory, APurchaseNamesItsStoreByNameAndByCodeOnlyWithoutOne) {
    HistoryItem earned = item("earn", 330);
    EXPECT_EQ(describe(earned, Language::kEnglish), "Earned 330 points on receipt 1532 at Tehran Central");
    earned.purchase->store_name = "شعبه ونک";
    EXPECT_EQ(describe(earned, Language::kPersian), "کسب ۳۳۰ امتیاز با رسید 1532 در شعبه ونک");
    earned.purchase->store_name.clear();
    EXPECT_EQ(describe(earned, Language::kEnglish), "Earned 330 points on receipt 1532 at S001");
    EXPECT_EQ(describe(earned, Language::kPersian), "کسب ۳۳۰ امتیاز با رسید 1532 در فروشگاه S001");
}

// One point is a point in English, with its sign or without, taken or given.
TEST(MemberHistory, OnePointReadsInTheSingular) {
    EXPECT_EQ(describe(item("earn", 1), Language::kEnglish), "Earned 1 point on receipt 1532 at Tehran Central");
    EXPECT_EQ(describe(item("earn", 1), Language::kPersian), "کسب ۱ امتیاز با رسید 1532 در Tehran Central");
    EXPECT_EQ(describe(item("reverse", -1), Language::kEnglish),
              "1 point taken back for a return on receipt 1532 at Tehran Central");
    EXPECT_EQ(describe(item("adjust", -1, 0, false), Language::kEnglish), "Adjusted by customer service: -1 point");
    EXPECT_EQ(describe(item("merge", 1, 0, false), Language::kEnglish), "+1 point moved from a merged membership");
    EXPECT_EQ(points_text(1, Language::kEnglish), "+1 point");
    EXPECT_EQ(points_text(-1, Language::kEnglish), "-1 point");
    EXPECT_EQ(points_text(0, Language::kEnglish), "0 points");
    EXPECT_EQ(points_text(11, Language::kEnglish), "+11 points");
}

// One stamp is a stamp in English; Persian counts with the singular whatever the number.
TEST(MemberHistory, OneStampReadsInTheSingular) {
    StampHistoryItem change;
    change.card_id = "coffee";
    change.card_name = "Coffee card";
    change.kind = "earn";
    change.stamps = 1;
    change.purchase = item("earn", 0).purchase;
    EXPECT_EQ(describe(change, Language::kEnglish), "+1 stamp on Coffee card on receipt 1532 at Tehran Central");
    EXPECT_EQ(describe(change, Language::kPersian), "+۱ مهر روی Coffee card با رسید 1532 در Tehran Central");
    change.stamps = 2;
    EXPECT_EQ(describe(change, Language::kEnglish), "+2 stamps on Coffee card on receipt 1532 at Tehran Central");
    change.purchase.reset();
    const std::pair<const char*, const char*> kinds[] = {
        {"return", "1 stamp taken back from Coffee card for a return"},
        {"expire", "1 stamp on Coffee card expired"},
        {"forgive", "1 missing stamp on Coffee card forgiven"},
        {"merge", "1 stamp on Coffee card moved by a merge"},
    };
    for (const auto& [kind, english] : kinds) {
        change.kind = kind;
        change.stamps = std::string(kind) == "return" ? -1 : 1;
        EXPECT_EQ(describe(change, Language::kEnglish), english) << kind;
    }
    change.kind = "expire";
    change.stamps = -3;
    EXPECT_EQ(describe(change, Language::kEnglish), "3 stamps on Coffee card expired");
}

TEST(MemberHistory, EachListIsNamedAsTheQueryNamesIt) {
    const std::map<std::string, HistoryList> lists = {
        {"earned", HistoryList::kEarned},     {"spent", HistoryList::kSpent},
        {"expired", HistoryList::kExpired},   {"returned", HistoryList::kReturned},
        {"adjusted", HistoryList::kAdjusted}, {"cashback", HistoryList::kCashback},
        {"stamps", HistoryList::kStamps},     {"coupons", HistoryList::kCoupons},
        {"draws", HistoryList::kDraws},
    };
    for (const auto& [name, list] : lists) {
        EXPECT_EQ(parse_history_list(name), list) << name;
        EXPECT_EQ(to_string(list), name);
    }
    EXPECT_EQ(history_list_names(), "earned, spent, expired, returned, adjusted, cashback, stamps, coupons, draws");
    for (const char* near : {"", "Earned", "earn", "points", "earned ", "coupon"}) {
        EXPECT_EQ(parse_history_list(near), std::nullopt) << near;
    }
}

// Every kind of transfer the points ledger writes is in exactly one points list, and the other
// lists hold none: a new kind of transfer cannot go missing from the filtered history.
TEST(MemberHistory, EveryPointsTransferKindIsInExactlyOneList) {
    const std::vector<LedgerTransfer> written = {
        earn_transfer(1, 10, "base", 1, false),
        release_transfer(1, 10),
        redeem_transfer(1, 10, 1),
        adjust_transfer(1, -5, "typo"),
        merge_transfer(2, 1, 10, 0),
        expire_transfer(1, 10),
        reverse_transfer(1, 0, 10, "base", 1),
        refund_transfer(1, 10, 1),
        bonus_transfer(1, 250, 7),
        forfeit_transfer(1, 10, 3),
        referral_transfer(1, 40, 2, false),
        referral_transfer(1, -40, 2, true),
    };
    const std::map<std::string, HistoryList> expected = {
        {"earn", HistoryList::kEarned},      {"release", HistoryList::kEarned},
        {"redeem", HistoryList::kSpent},     {"expire", HistoryList::kExpired},
        {"reverse", HistoryList::kReturned}, {"refund", HistoryList::kReturned},
        {"adjust", HistoryList::kAdjusted},  {"merge", HistoryList::kAdjusted},
        {"bonus", HistoryList::kEarned},     {"forfeit", HistoryList::kAdjusted},
        {"referral", HistoryList::kEarned},  {"referral_back", HistoryList::kReturned},
    };
    std::map<std::string, int> listed;
    for (const HistoryList list :
         {HistoryList::kEarned, HistoryList::kSpent, HistoryList::kExpired, HistoryList::kReturned,
          HistoryList::kAdjusted, HistoryList::kCashback, HistoryList::kStamps, HistoryList::kCoupons}) {
        for (const char* kind : transfer_kinds(list)) {
            ++listed[kind];
            EXPECT_EQ(expected.at(kind), list) << kind;
        }
    }
    for (const LedgerTransfer& transfer : written) EXPECT_EQ(listed[transfer.kind], 1) << transfer.kind;
    EXPECT_EQ(listed.size(), expected.size());
}

}  // namespace
}  // namespace patron::core
