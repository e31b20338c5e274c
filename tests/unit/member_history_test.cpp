#include "loyalty/core/member_history.h"

#include <gtest/gtest.h>

namespace patron::core {
namespace {

HistoryItem item(std::string kind, std::int64_t available, std::int64_t pending = 0, bool at_till = true) {
    HistoryItem made;
    made.kind = std::move(kind);
    made.available = available;
    made.pending = pending;
    if (at_till) made.purchase = HistoryPurchase{"purchase", "S001", "1532", "2026-11-22", 330000, "IRR"};
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
        {item("earn", 330), "Earned 330 points on receipt 1532 at S001", "کسب ۳۳۰ امتیاز با رسید 1532 در فروشگاه S001"},
        {item("earn", 0, 330), "Earned 330 points on receipt 1532 at S001 (on hold)",
         "کسب ۳۳۰ امتیاز با رسید 1532 در فروشگاه S001 (در انتظار)"},
        {item("release", 330, -330, false), "330 points released from hold", "آزاد شدن ۳۳۰ امتیاز از انتظار"},
        {item("redeem", -200), "Paid with 200 points on receipt 1532 at S001",
         "پرداخت با ۲۰۰ امتیاز با رسید 1532 در فروشگاه S001"},
        {item("reverse", -30), "30 points taken back for a return on receipt 1532 at S001",
         "کسر ۳۰ امتیاز بابت مرجوعی با رسید 1532 در فروشگاه S001"},
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

}  // namespace
}  // namespace patron::core
