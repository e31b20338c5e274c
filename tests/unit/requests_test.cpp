// The request decoders of loyalty/core (member, settings, store and terminal documents): what
// each accepts, and that each refusal names its field with the message the API has always sent.
#include <gtest/gtest.h>

#include "loyalty/core/member_requests.h"
#include "loyalty/core/settings_request.h"
#include "loyalty/core/sign_in_requests.h"
#include "loyalty/core/staff_requests.h"
#include "loyalty/core/terminal_requests.h"

namespace patron::core {
namespace {

using nlohmann::json;

struct Refusal {
    const char* document;
    const char* field;
    const char* message;
};

// The first error of `decode` on each document, as field and message.
template <typename Decode>
void expect_refusals(Decode decode, std::initializer_list<Refusal> refusals) {
    for (const Refusal& refusal : refusals) {
        SCOPED_TRACE(refusal.document);
        const auto decoded = decode(json::parse(refusal.document));
        ASSERT_FALSE(decoded.has_value());
        EXPECT_EQ(decoded.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(decoded.error().field, refusal.field);
        EXPECT_EQ(decoded.error().message, refusal.message);
    }
}

TEST(MemberRequests, AnEnrolmentReadsEveryField) {
    const auto application = decode_member_application(json::parse(
        R"({"full_name": "Sara", "phone": "0912", "city": null, "language": "fa", "consents": {"marketing_sms": true}})"));
    ASSERT_TRUE(application.has_value()) << application.error().message;
    EXPECT_EQ(application->full_name, "Sara");
    EXPECT_EQ(application->phone, "0912");
    EXPECT_FALSE(application->city.has_value());
    EXPECT_EQ(application->consents.marketing_sms, true);
    EXPECT_FALSE(application->consents.terms_version.has_value());
}

TEST(MemberRequests, AnEnrolmentRefusalNamesItsField) {
    expect_refusals(decode_member_application,
                    {{"[]", "$", "the member must be a JSON object"},
                     {"{}", "full_name", "full_name is required"},
                     {R"({"full_name": 7})", "full_name", "must be a string"},
                     {R"({"full_name": "S", "phone": 912})", "phone", "must be a string"},
                     {R"({"full_name": "S", "language": "de"})", "language", "language must be fa or en"},
                     {R"({"full_name": "S", "consents": []})", "consents", "must be an object"},
                     {R"({"full_name": "S", "consents": {"marketing_sms": "yes"}})", "consents.marketing_sms",
                      "must be true or false"},
                     {R"({"full_name": "S", "consents": {"spam": true}})", "consents.spam", "is not a consent"}});
}

TEST(MemberRequests, AnUpdateChangesOnlyWhatIsSent) {
    const auto update =
        decode_member_update(json::parse(R"({"email": null, "city": "Shiraz", "full_name": "Sara K"})"));
    ASSERT_TRUE(update.has_value()) << update.error().message;
    EXPECT_EQ(update->changed, (std::vector<std::string>{"city", "email", "full_name"}));
    MemberApplication member{"Sara", "+989121234567", "sara@example.com", std::nullopt, "fa"};
    ASSERT_TRUE(apply_member_update(*update, member).has_value());
    EXPECT_EQ(member.full_name, "Sara K");
    EXPECT_EQ(member.phone, "+989121234567");
    EXPECT_FALSE(member.email.has_value());
    EXPECT_EQ(member.city, "Shiraz");
    EXPECT_EQ(member.language, "fa");
}

TEST(MemberRequests, AnUpdateRefusalNamesItsField) {
    expect_refusals(decode_member_update,
                    {{"{}", "$", "send an object with the fields to change"},
                     {"[1]", "$", "send an object with the fields to change"},
                     {R"({"full_name": null})", "full_name", "must be a string"},
                     {R"({"phone": 912})", "phone", "must be a string or null"},
                     {R"({"status": "erased"})", "status", "is not a member field that can be changed"},
                     {R"({"language": "de"})", "language", "must be fa or en"},
                     {R"({"consents": {"terms_version": 1}})", "consents.terms_version", "must be a string"}});
}

TEST(MemberRequests, AMemberChangesTheirOwnProfileButNotThePhoneTheySignInWith) {
    const auto update = decode_own_member_update(json::parse(
        R"({"full_name": "Sara K", "email": "s@example.ir", "birth_date": null, "city": "Shiraz", "language": "en",
            "consents": {"marketing_sms": true, "marketing_email": false}})"));
    ASSERT_TRUE(update.has_value()) << update.error().message;
    EXPECT_EQ(update->changed,
              (std::vector<std::string>{"birth_date", "city", "consents", "email", "full_name", "language"}));
    EXPECT_EQ(update->consents->marketing_sms, true);
    EXPECT_EQ(update->consents->marketing_email, false);
    expect_refusals(decode_own_member_update,
                    {{"{}", "$", "send an object with the fields to change"},
                     {R"({"phone": "09120000000"})", "phone",
                      "the phone is how you sign in and cannot be changed here; ask at the store"},
                     {R"({"city": "Shiraz", "phone": null})", "phone",
                      "the phone is how you sign in and cannot be changed here; ask at the store"},
                     {R"({"gender": "female"})", "gender", "unknown field"},
                     {R"({"status": "erased"})", "status", "unknown field"},
                     {R"({"consents": {"terms_version": "2"}})", "consents.terms_version", "unknown field"},
                     {R"({"consents": []})", "consents", "must be an object"},
                     {R"({"language": "de"})", "language", "must be fa or en"},
                     {R"({"email": 7})", "email", "must be a string or null"}});
}

TEST(MemberRequests, AdjustmentsMergesAndCards) {
    EXPECT_EQ(decode_points_adjustment(json::parse(R"({"points": -50, "reason": "typo"})"))->points, -50);
    EXPECT_EQ(decode_member_merge(json::parse(R"({"from": 7})"))->from, 7);
    EXPECT_EQ(decode_card_state_change(json::parse(R"({"state": "lost"})"))->reason, "");
    EXPECT_EQ(decode_card_state_change(json::parse(R"({"state": "lost"})"))->state, CardState::kLost);
    EXPECT_EQ(decode_card_state_change(json::parse(R"({"state": "Lost"})"))->state, std::nullopt)
        << "a state no card has is the card service's to refuse, after the number and reason";
    EXPECT_EQ(decode_card_replacement(json::parse(R"({"reason": "worn"})"))->reason, "worn");
    expect_refusals(decode_points_adjustment,
                    {{"[]", "$", "the adjustment must be a JSON object"},
                     {R"({"points": 1.5})", "points", "points must be a whole number (negative to remove)"},
                     {R"({"points": 1000000001})", "points", "points must be a whole number (negative to remove)"},
                     {R"({"points": 5, "reason": 5})", "reason", "must be a string"}});
    expect_refusals(decode_member_merge, {{"[]", "from", "name the member to merge in: {\"from\": id}"},
                                          {R"({"from": "7"})", "from", "name the member to merge in: {\"from\": id}"}});
    expect_refusals(decode_card_state_change,
                    {{"1", "$", "must be an object"}, {R"({"state": true})", "state", "must be a string"}});
    expect_refusals(decode_card_replacement,
                    {{"null", "$", "must be an object"}, {R"({"reason": []})", "reason", "must be a string"}});
}

TEST(MemberRequests, AnotherCardIsDrawnOrPrePrintedAndMayBePrimary) {
    const auto drawn = decode_card_issue(json::parse(R"({"kind": "virtual"})"));
    ASSERT_TRUE(drawn.has_value()) << drawn.error().message;
    EXPECT_EQ(drawn->kind, "virtual");
    EXPECT_FALSE(drawn->number.has_value());
    EXPECT_FALSE(drawn->primary);
    const auto printed =
        decode_card_issue(json::parse(R"({"kind": "physical", "number": "6390010000000079", "primary": true})"));
    ASSERT_TRUE(printed.has_value()) << printed.error().message;
    EXPECT_EQ(printed->number, "6390010000000079") << "the card service checks the number";
    EXPECT_TRUE(printed->primary);
    EXPECT_FALSE(decode_card_issue(json::parse(R"({"kind": "virtual", "number": null, "primary": null})"))->primary);
    expect_refusals(decode_card_issue,
                    {{"[]", "$", "must be an object"},
                     {"{}", "kind", "must be physical or virtual"},
                     {R"({"kind": "plastic"})", "kind", "must be physical or virtual"},
                     {R"({"kind": "physical", "number": 6390010000000079})", "number", "must be a string"},
                     {R"({"kind": "virtual", "primary": "yes"})", "primary", "must be true or false"},
                     {R"({"kind": "virtual", "primay": true})", "primay", "unknown field"}});
}

TEST(MemberRequests, ACardRangeHasANameOfAtMost100Characters) {
    const std::string persian_100 = [] {
        std::string name;
        for (int i = 0; i < 100; ++i) name += "ک";
        return name;
    }();
    const auto range = decode_card_range_registration(
        json{{"name", persian_100}, {"first", "6390010000000012"}, {"last", "6390010000050009"}});
    ASSERT_TRUE(range.has_value()) << "100 characters of 2 bytes each: " << range.error().message;
    EXPECT_EQ(range->range.first, "6390010000000012");
    EXPECT_EQ(range->range.last, "6390010000050009");
    expect_refusals(
        decode_card_range_registration,
        {{"7", "$", "must be an object"},
         {R"({"first": "6390010000000012", "last": "6390010000050009"})", "name", "must be 1 to 100 characters"},
         {R"({"name": "  ", "first": "1", "last": "2"})", "name", "must be 1 to 100 characters"},
         {R"({"name": "Batch", "first": 6390010000000012})", "first", "must be a string"},
         {R"({"name": "Batch", "size": 100})", "size", "unknown field"}});
    expect_refusals(decode_card_range_registration,
                    {{json{{"name", persian_100 + "ک"}, {"first", "1"}, {"last", "2"}}.dump().c_str(), "name",
                      "must be 1 to 100 characters"}});
}

TEST(SettingsRequest, APartialChangeSetsOnlyWhatIsSent) {
    const auto change = decode_program_settings(
        json::parse(R"({"name": "Patron", "points": {"hold_days": 2, "expiry": {"mode": "quarter_end"}}})"));
    ASSERT_TRUE(change.has_value()) << change.error().message;
    EXPECT_EQ(change->fields, (std::vector<std::string>{"name", "points.hold_days", "points.expiry.mode"}));
    EXPECT_FALSE(change->currency.has_value());
    PointsPolicy policy;
    policy.quote_hold = std::chrono::seconds(120);
    apply_points_change(change->points, policy);
    EXPECT_EQ(policy.hold, std::chrono::hours(48));
    EXPECT_EQ(policy.expiry_mode, ExpiryMode::kQuarterEnd);
    EXPECT_EQ(policy.quote_hold, std::chrono::seconds(120));
}

TEST(SettingsRequest, TheExpiryNoticeIsWholeDaysUpToNinetyAndZeroTurnsItOff) {
    PointsPolicy policy;
    EXPECT_EQ(policy.expiry_notice, std::chrono::days(14)) << "by default";
    for (const int days : {0, 7, 90}) {
        const auto change = decode_program_settings(json{{"points", {{"expiry_notice_days", days}}}});
        ASSERT_TRUE(change.has_value()) << change.error().message;
        EXPECT_EQ(change->fields, (std::vector<std::string>{"points.expiry_notice_days"}));
        apply_points_change(change->points, policy);
        EXPECT_EQ(policy.expiry_notice, std::chrono::days(days));
    }
    for (const char* refused :
         {R"({"points": {"expiry_notice_days": 91}})", R"({"points": {"expiry_notice_days": -1}})",
          R"({"points": {"expiry_notice_days": 1.5}})", R"({"points": {"expiry_notice_days": "7"}})"}) {
        const auto change = decode_program_settings(json::parse(refused));
        ASSERT_FALSE(change.has_value()) << refused;
        EXPECT_EQ(change.error().field, "points.expiry_notice_days") << refused;
    }
}

TEST(SettingsRequest, TheMessagePolicyIsACapOfUpToTwentyOneAWeekAndQuietHoursOfTheDay) {
    core::MessagePolicy policy;
    EXPECT_EQ(policy, (core::MessagePolicy{3, 21, 9, false})) << "by default";
    const auto change = decode_program_settings(
        json{{"messages",
              {{"weekly_cap", 0}, {"quiet_from_hour", 22}, {"quiet_until_hour", 7}, {"warnings_past_cap", true}}}});
    ASSERT_TRUE(change.has_value()) << change.error().message;
    EXPECT_EQ(change->fields, (std::vector<std::string>{"messages.weekly_cap", "messages.quiet_from_hour",
                                                        "messages.quiet_until_hour", "messages.warnings_past_cap"}));
    apply_message_change(change->messages, policy);
    EXPECT_EQ(policy, (core::MessagePolicy{0, 22, 7, true}));
    for (const auto& [refused, field] : std::vector<std::pair<const char*, const char*>>{
             {R"({"messages": {"weekly_cap": 22}})", "messages.weekly_cap"},
             {R"({"messages": {"weekly_cap": -1}})", "messages.weekly_cap"},
             {R"({"messages": {"quiet_from_hour": 24}})", "messages.quiet_from_hour"},
             {R"({"messages": {"quiet_until_hour": "9"}})", "messages.quiet_until_hour"},
             {R"({"messages": {"quiet": 1}})", "messages.quiet"},
             {R"({"messages": {"warnings_past_cap": 1}})", "messages.warnings_past_cap"},
             {R"({"messages": 3})", "messages"}}) {
        const auto refusal = decode_program_settings(json::parse(refused));
        ASSERT_FALSE(refusal.has_value()) << refused;
        EXPECT_EQ(refusal.error().field, field) << refused;
    }
}

TEST(SettingsRequest, EveryProblemIsReportedByPath) {
    const auto change = decode_program_settings(json::parse(
        R"({"colour": 1, "name": "", "currency": "XXX", "points": {"hold_days": -1, "expiry": {"months": 0}}})"));
    ASSERT_FALSE(change.has_value());
    EXPECT_EQ(change.error().field, "colour");
    // Each with the reason a page words in its own language, and the bounds it names.
    const std::vector<Problem> expected = {
        {"colour", "unknown field", reason(ReasonKind::kUnknownField)},
        {"name", "must be 1 to 200 characters", reason(ReasonKind::kTextLength, 1, 200)},
        {"currency", "is not a currency Patron knows (ISO 4217)", reason(ReasonKind::kOneOf)},
        {"points.hold_days", "must be a whole number from 0 to 365", reason(ReasonKind::kRange, 0, 365)},
        {"points.expiry.months", "must be a whole number from 1 to 120", reason(ReasonKind::kRange, 1, 120)}};
    EXPECT_EQ(change.error().problems, expected);
    expect_refusals(decode_program_settings, {{"[]", "$", "must be a JSON object"}});
}

// GET answers the currency's exponent beside the currency; what a client read may be sent back.
TEST(SettingsRequest, TheCurrencysExponentSentBackIsCheckedAndChangesNothing) {
    const auto change = decode_program_settings(json::parse(R"({"currency": "PKR", "currency_exponent": 2})"));
    ASSERT_TRUE(change.has_value()) << change.error().message;
    EXPECT_EQ(change->fields, (std::vector<std::string>{"currency"}));
    expect_refusals(decode_program_settings,
                    {{R"({"currency_exponent": "2"})", "currency_exponent", "must be a whole number from 0 to 3"},
                     {R"({"currency_exponent": 4})", "currency_exponent", "must be a whole number from 0 to 3"}});
}

TEST(TerminalRequests, AStoreIsReadWithItsChecks) {
    const auto store = decode_store_registration(json::parse(R"({"code": "T-1", "name": "T", "time_zone": "UTC"})"));
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ(store->currency, "");
    expect_refusals(
        decode_store_registration,
        {{"7", "$", "the store must be a JSON object"},
         {R"({"code": 1})", "code", "must be a string"},
         {R"({"code": "a b", "name": "T", "time_zone": "UTC"})", "code", "must be 1 to 32 of A-Z a-z 0-9 _ -"},
         {R"({"code": "T", "time_zone": "UTC"})", "name", "must be 1 to 128 characters"},
         {R"({"code": "T", "name": "T", "time_zone": "Mars/Base"})", "time_zone",
          "must be an IANA time zone such as Asia/Tehran"}});
}

TEST(TerminalRequests, TerminalsAndKeyRotations) {
    EXPECT_EQ(decode_terminal_registration(json::parse(R"({"code": "till_7"})"))->code, "till_7");
    EXPECT_FALSE(decode_key_rotation(json::object())->grace.has_value());
    EXPECT_EQ(decode_key_rotation(json::parse(R"({"grace_s": 60})"))->grace, std::chrono::seconds(60));
    expect_refusals(decode_terminal_registration,
                    {{"[]", "$", "must be a JSON object"}, {R"({"code": ["T"]})", "code", "must be a string"}});
    expect_refusals(decode_key_rotation, {{"null", "$", "must be a JSON object"},
                                          {R"({"grace_s": null})", "grace_s", "must be a whole number of seconds"},
                                          {R"({"grace_s": -1})", "grace_s", "must be a whole number of seconds"},
                                          {R"({"grace_s": 1.5})", "grace_s", "must be a whole number of seconds"}});
}

TEST(StaffRequests, SignInAndUsers) {
    EXPECT_EQ(decode_staff_sign_in(json::parse(R"({"email": "a@b.example"})"))->password, "");
    const auto user = decode_new_staff_user(json::parse(
        R"({"email": " Neda@Patron.Example ", "name": "Neda", "role": "analyst", "password": "twelve chars"})"));
    ASSERT_TRUE(user.has_value()) << user.error().message;
    EXPECT_EQ(user->email, "neda@patron.example");
    EXPECT_EQ(user->role, StaffRole::kAnalyst);
    const auto change = decode_staff_user_change(json::parse(R"({"status": "disabled", "role": "support"})"));
    ASSERT_TRUE(change.has_value()) << change.error().message;
    EXPECT_EQ(change->fields, "role,status");
    EXPECT_FALSE(change->name.has_value());
}

TEST(StaffRequests, ARefusalNamesItsField) {
    expect_refusals(decode_staff_sign_in,
                    {{"[]", "$", "must be a JSON object"},
                     {R"({"email": "a@b.example", "password": 1})", "password", "must be a string"}});
    expect_refusals(
        decode_new_staff_user,
        {{"1", "$", "the user must be a JSON object"},
         {R"({"name": false})", "name", "must be a string"},
         {R"({"email": "a@b.example", "name": "", "role": "admin"})", "name", "must be 1 to 100 characters"},
         {R"({"email": "a@b.example", "name": "N", "role": "owner"})", "role",
          "must be admin, marketer, support or analyst"},
         {R"({"email": "a@b.example", "name": "N", "role": "admin", "password": "short"})", "password",
          "must be 12 to 256 characters"}});
    expect_refusals(decode_staff_user_change, {{"[]", "$", "the changes must be a JSON object"},
                                               {R"({"email": "x"})", "email", "only name, role and status can change"},
                                               {R"({"role": null})", "role", "must be a string"}});
}

TEST(SignInRequests, EveryFieldIsText) {
    const auto request =
        decode_member_sign_in(json::parse(R"({"program": "DEMO", "phone": null, "email": "a@b.example"})"));
    ASSERT_TRUE(request.has_value()) << request.error().message;
    EXPECT_EQ(request->contact.program, "DEMO");
    EXPECT_EQ(request->contact.phone, "");
    EXPECT_EQ(request->password, "");
    expect_refusals(decode_member_sign_in, {{"[]", "$", "the request must be a JSON object"},
                                            {R"({"phone": 9121234567})", "phone", "must be a string"},
                                            {R"({"phone": "0912", "password": 1})", "password", "must be a string"}});
}

TEST(SignInRequests, APasswordIsSetWithSixDigitsAndEightCharacters) {
    EXPECT_TRUE(decode_member_password(json::parse(R"({"code": "012345", "password": "8 chars!"})")).has_value());
    expect_refusals(
        decode_member_password,
        {{R"({"code": 123456})", "code", "must be a string"},
         {R"({"code": "12345"})", "code", "the code is the six digits that were sent"},
         {R"({"code": "12345x", "password": "long enough"})", "code", "the code is the six digits that were sent"},
         {R"({"code": "123456", "password": "short"})", "password", "a password has 8 to 256 characters"}});
}

TEST(SignInRequests, ASignedInMemberChangesThePasswordGivingTheOneTheyHave) {
    const auto change =
        decode_member_password_change(json::parse(R"({"current_password": "x", "new_password": "8 chars!"})"));
    ASSERT_TRUE(change.has_value()) << change.error().message;
    EXPECT_EQ(change->current_password, "x") << "a wrong one is the service's to refuse, after counting it";
    EXPECT_EQ(change->new_password, "8 chars!");
    expect_refusals(
        decode_member_password_change,
        {{"[]", "$", "the request must be a JSON object"},
         {R"({"new_password": "long enough"})", "current_password", "type your password"},
         {R"({"current_password": 7, "new_password": "long enough"})", "current_password", "must be a string"},
         {R"({"current_password": "x", "new_password": "short"})", "new_password",
          "a password has 8 to 256 characters"},
         {R"({"current_password": "x", "new_password": "long enough", "password": "y"})", "password",
          "unknown field"}});
    EXPECT_FALSE(decode_member_password_change(json{{"current_password", "x"}, {"new_password", std::string(257, 'p')}})
                     .has_value());
}

TEST(SignInRequests, DeletingTheAccountTakesThePassword) {
    EXPECT_EQ(decode_account_deletion(json::parse(R"({"password": "secret"})")).value(), "secret");
    expect_refusals(decode_account_deletion, {{"[]", "$", "the request must be a JSON object"},
                                              {"{}", "password", "type your password"},
                                              {R"({"password": ""})", "password", "type your password"},
                                              {R"({"password": "x", "sure": true})", "sure", "unknown field"}});
}

}  // namespace
}  // namespace patron::core
