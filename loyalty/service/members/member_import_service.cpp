#include "loyalty/service/members/member_import_service.h"

#include <utility>

#include "loyalty/core/member_profile.h"

namespace patron::service {
namespace {

using core::ErrorCode;

ImportedRow refused(core::Error error) { return {ImportOutcome::kRefused, 0, std::move(error)}; }

// The phone and the email as the member service keeps them (normalised), which a dry run knows
// earlier rows by; what does not normalise is refused by the check itself.
std::vector<std::string> contact_keys(const core::MemberApplication& application,
                                      const std::string& country_calling_code) {
    std::vector<std::string> keys;
    if (application.phone) {
        if (auto phone = core::normalise_phone(*application.phone, country_calling_code, "phone")) {
            keys.push_back("phone:" + *phone);
        }
    }
    if (application.email) {
        if (auto email = core::normalise_email(*application.email, "email")) keys.push_back("email:" + *email);
    }
    return keys;
}

}  // namespace

MemberImportService::MemberImportService(MemberService& members, StaffIdentity staff, std::string country_calling_code,
                                         bool dry_run)
    : members_(members),
      staff_(std::move(staff)),
      country_calling_code_(std::move(country_calling_code)),
      dry_run_(dry_run) {}

ImportedRow MemberImportService::import(const core::MemberApplication& application) {
    if (dry_run_) {
        if (auto earlier = earlier_row(application)) return *earlier;
    }
    const auto enrolled =
        dry_run_ ? members_.check_enrolment(staff_, application) : members_.enrol(staff_, application);
    if (enrolled) {
        if (dry_run_) {
            for (std::string& key : contact_keys(application, country_calling_code_))
                seen_.emplace(std::move(key), application.full_name);
        }
        return {ImportOutcome::kEnrolled, dry_run_ ? 0 : enrolled->id};
    }
    if (enrolled.error().code == ErrorCode::kMemberExists) return already_there(application, enrolled.error());
    return refused(enrolled.error());
}

ImportedRow MemberImportService::already_there(const core::MemberApplication& application, const core::Error& refusal) {
    const std::string& field = refusal.field;
    const std::optional<std::string>& value = field == "phone" ? application.phone : application.email;
    if (!value) return refused(refusal);
    const auto member = members_.search(staff_.program_id, field, *value);
    if (!member) return refused(refusal);
    if (member->profile && member->profile->full_name == application.full_name) {
        return {ImportOutcome::kAlreadyEnrolled, member->id};
    }
    return refused({ErrorCode::kMemberExists,
                    "member " + std::to_string(member->id) + " has this " + field + " under another name", field});
}

std::optional<ImportedRow> MemberImportService::earlier_row(const core::MemberApplication& application) {
    for (const std::string& key : contact_keys(application, country_calling_code_)) {
        const auto found = seen_.find(key);
        if (found == seen_.end()) continue;
        const std::string field = key.substr(0, key.find(':'));
        if (found->second == application.full_name) return ImportedRow{ImportOutcome::kAlreadyEnrolled, 0};
        return refused({ErrorCode::kMemberExists, "an earlier row has this " + field + " under another name", field});
    }
    return std::nullopt;
}

}  // namespace patron::service
