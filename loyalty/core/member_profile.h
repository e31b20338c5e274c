// Who a member is: the personal data a club keeps, in normalised form (phone in E.164,
// email lower-cased), so that uniqueness and look-ups compare like with like. This type is
// plaintext and lives only in memory; it is encrypted by crypto/ before it reaches storage.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::core {

struct MemberProfile {
    std::string full_name;
    std::optional<std::string> phone;  // E.164, e.g. "+989121234567".
    std::optional<std::string> email;  // Lower case.
    std::optional<std::chrono::year_month_day> birth_date;
    std::optional<std::string> language;     // "fa", "en".
    std::optional<std::string> gender = {};  // "female", "male", "other".
    std::optional<std::string> city = {};
    std::optional<std::string> postal_code = {};
    // Her time zone in the tz database ("Europe/Berlin"), for the quiet hours of her messages; none:
    // the programme's.
    std::optional<std::string> time_zone = {};
};

// What the member agreed to, each with when it was given or withdrawn.
struct Consents {
    std::optional<std::string> terms_version;
    std::optional<Timestamp> terms_accepted_at;
    bool marketing_sms = false;
    std::optional<Timestamp> marketing_sms_at;
    bool marketing_email = false;
    std::optional<Timestamp> marketing_email_at;
};

// A phone number in E.164. Accepts "+98 912 123 4567", "00989121234567" and, with the program's
// default country calling code, a local number such as "0912 123 4567"; Persian and Arabic-Indic
// digits are read as digits. `field` names the JSON path used in the error.
Result<std::string> normalise_phone(std::string_view raw, std::string_view default_country_code,
                                    const std::string& field);

// An email address, trimmed and lower-cased, with one '@' and a dotted domain.
Result<std::string> normalise_email(std::string_view raw, const std::string& field);

// A name as a cashier may see it: "Sara Karimi" -> "S. Ka***".
std::string masked_name(std::string_view full_name);

// A "YYYY-MM-DD" date that exists in the calendar.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
std::string format_date(std::chrono::year_month_day date);

}  // namespace patron::core
