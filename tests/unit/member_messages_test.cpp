// Messages to members without a database or a gateway: which events make one, the channel her
// consents allow, the quiet hours in the programme's zone, and the words in Persian (Persian
// digits, Jalali dates) and English.
#include "loyalty/core/member_messages.h"

#include <gtest/gtest.h>

namespace patron {
namespace {

using core::MessageKind;
using nlohmann::json;
using namespace std::chrono_literals;

core::Timestamp at(const char* text) {
    std::tm tm{};
    strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return core::Timestamp{std::chrono::seconds(timegm(&tm))};
}

TEST(MemberMessages, TheEventsAMemberIsToldOfAndNoOthers) {
    using core::EventType;
    EXPECT_EQ(core::message_kind_of(EventType::kMemberEnrolled, json::object()), MessageKind::kWelcome);
    EXPECT_EQ(core::message_kind_of(EventType::kPointsExpiring, json::object()), MessageKind::kPointsExpiring);
    EXPECT_EQ(core::message_kind_of(EventType::kTierChanged, json{{"direction", "upgrade"}}),
              MessageKind::kTierReached);
    EXPECT_EQ(core::message_kind_of(EventType::kTierChanged, json{{"direction", "downgrade"}}), std::nullopt);
    EXPECT_EQ(core::message_kind_of(EventType::kStampCardCompleted, json::object()), MessageKind::kStampCardCompleted);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "segment"}}), MessageKind::kCouponIssued);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "staff"}}), MessageKind::kCouponIssued);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "stamp_card"}}), std::nullopt)
        << "told with the card it rewards";
    for (const auto type : {EventType::kPurchaseCommitted, EventType::kPointsExpired, EventType::kMemberUpdated,
                            EventType::kCashbackCredited, EventType::kRewardIssued, EventType::kMemberErased}) {
        EXPECT_EQ(core::message_kind_of(type, json::object()), std::nullopt) << core::to_string(type);
    }
    for (const auto kind : {MessageKind::kWelcome, MessageKind::kPointsExpiring, MessageKind::kTierReached,
                            MessageKind::kStampCardCompleted, MessageKind::kCouponIssued}) {
        EXPECT_EQ(core::parse_message_kind(core::to_string(kind)), kind);
    }
}

TEST(MemberMessages, SmsFirstThenEmailOnlyWithTheMatchingConsentAndAWayToReachHer) {
    core::Consents both;
    both.marketing_sms = true;
    both.marketing_email = true;
    EXPECT_EQ(core::message_channel(both, true, true), core::MessageChannel::kSms);
    EXPECT_EQ(core::message_channel(both, false, true), core::MessageChannel::kEmail);
    core::Consents email_only;
    email_only.marketing_email = true;
    EXPECT_EQ(core::message_channel(email_only, true, true), core::MessageChannel::kEmail);
    EXPECT_EQ(core::message_channel(email_only, true, false), std::nullopt);
    EXPECT_EQ(core::message_channel(core::Consents{}, true, true), std::nullopt);
}

TEST(MemberMessages, QuietHoursAreTheProgrammesLocalNightAndEndTheNextMorning) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const core::MessagePolicy night;  // 21:00 to 09:00.
    // 21:30 in Tehran: quiet until 09:00 the next morning (05:30 UTC).
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-18T18:00:00Z")), at("2026-11-19T05:30:00Z"));
    // 07:30 in Tehran: until 09:00 the same morning.
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T04:00:00Z")), at("2026-11-19T05:30:00Z"));
    // 09:00 sharp and the afternoon: not quiet; 20:59 neither.
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T05:30:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T12:00:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T17:29:00Z")), std::nullopt);
    // Quiet hours within one day (01:00 to 06:00), and none when both hours are the same.
    const core::MessagePolicy small_hours{3, 1, 6};
    EXPECT_EQ(core::quiet_until(small_hours, tehran, at("2026-11-18T22:00:00Z")), at("2026-11-19T02:30:00Z"));
    EXPECT_EQ(core::quiet_until(small_hours, tehran, at("2026-11-18T19:00:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(core::MessagePolicy{3, 0, 0}, tehran, at("2026-11-18T22:00:00Z")), std::nullopt);
}

TEST(MemberMessages, PersianReadsPersianDigitsAndJalaliDatesAndEnglishReadsItsOwn) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const json expiring{{"points", 80}, {"last_day", "2027-11-18"}, {"expires_at", "2027-11-18T20:30:00Z"}};
    const auto fa = core::compose_message(MessageKind::kPointsExpiring, expiring,
                                          {core::Language::kPersian, "باشگاه کافه", &tehran});
    EXPECT_EQ(fa.text,
              "۸۰ امتیاز شما در باشگاه کافه پس از ۲۷ آبان ۱۴۰۶ منقضی می‌شود. تا آن روز از آن استفاده "
              "کنید.");
    const auto en =
        core::compose_message(MessageKind::kPointsExpiring, expiring, {core::Language::kEnglish, "Cafe Club", &tehran});
    EXPECT_EQ(en.text, "Your 80 points at Cafe Club expire after 18 November 2027. Use them by then.");
    EXPECT_EQ(en.subject, "Cafe Club: points about to expire");

    EXPECT_EQ(core::date_text(core::LocalDate{2027y, std::chrono::March, 21d}, core::Language::kPersian),
              "۱ فروردین ۱۴۰۶");
    const auto tier = core::compose_message(MessageKind::kTierReached, json{{"to", "Gold"}, {"direction", "upgrade"}},
                                            {core::Language::kEnglish, "Cafe Club", &tehran});
    EXPECT_EQ(tier.text, "Congratulations: you have reached Gold at Cafe Club.");
    const auto two =
        core::compose_message(MessageKind::kStampCardCompleted, json{{"name", "Coffee"}, {"goal", 8}, {"rewards", 2}},
                              {core::Language::kPersian, "باشگاه کافه", &tehran});
    EXPECT_EQ(
        two.text,
        "۲ کارت Coffee شما در باشگاه کافه پر شد و جایزه‌تان آماده است.");
    const auto one = core::compose_message(MessageKind::kStampCardCompleted, json{{"name", "Coffee"}, {"rewards", 1}},
                                           {core::Language::kEnglish, "Cafe Club", &tehran});
    EXPECT_EQ(one.text, "Your Coffee card is full at Cafe Club: your reward is ready.");
    // Every kind has words in both languages.
    for (const auto kind : {MessageKind::kWelcome, MessageKind::kPointsExpiring, MessageKind::kTierReached,
                            MessageKind::kStampCardCompleted, MessageKind::kCouponIssued}) {
        for (const auto language : {core::Language::kPersian, core::Language::kEnglish}) {
            const auto words = core::compose_message(kind, expiring, {language, "Club", &tehran});
            EXPECT_FALSE(words.subject.empty());
            EXPECT_FALSE(words.text.empty());
        }
    }
}

TEST(MemberMessages, PointsWhoseLastDayHasGoneAreNoLongerWorthTelling) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const json expiring{{"points", 80}, {"last_day", "2027-11-18"}};
    // 23:59 on the last day in Tehran is still in time; 00:00 the day after is not.
    EXPECT_FALSE(core::message_out_of_date(MessageKind::kPointsExpiring, expiring, tehran, at("2027-11-18T20:29:00Z")));
    EXPECT_TRUE(core::message_out_of_date(MessageKind::kPointsExpiring, expiring, tehran, at("2027-11-18T20:30:00Z")));
    EXPECT_FALSE(core::message_out_of_date(MessageKind::kWelcome, expiring, tehran, at("2030-01-01T00:00:00Z")));
}

}  // namespace
}  // namespace patron
