#include "loyalty/service/members/member_import_service.h"

#include <utility>

#include "loyalty/core/member_import.h"
#include "loyalty/core/member_profile.h"

namespace patron::service {
namespace {

using core::ErrorCode;

ImportedRow refused(core::Error error) { return {ImportOutcome::kRefused, std::move(error)}; }

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
            ++rows_enrolled_;
            for (std::string& key : contact_keys(application, country_calling_code_)) {
                seen_.emplace(std::move(key), Seen{rows_enrolled_, application.full_name});
            }
        }
        return {ImportOutcome::kEnrolled};
    }
    if (enrolled.error().code == ErrorCode::kMemberExists) return already_there(application, enrolled.error());
    return refused(enrolled.error());
}

ImportedRow MemberImportService::already_there(const core::MemberApplication& application, const core::Error& refusal) {
    // Every contact the row gives must be one member's, under the row's name.
    std::optional<long long> member_id;
    for (const auto& [field, value] :
         {std::pair{"phone", &application.phone}, std::pair{"email", &application.email}}) {
        if (!*value) continue;
        const auto member = members_.search(staff_.program_id, field, **value);
        if (!member) {
            if (member.error().code != ErrorCode::kMemberNotFound) return refused(member.error());
            return refused({ErrorCode::kMemberExists,
                            "a member has this row's " + refusal.field + ", but not its " + field +
                                "; change that member in the console",
                            field});
        }
        if (member_id && *member_id != member->id) {
            return refused({ErrorCode::kMemberExists,
                            "the row's phone is member " + std::to_string(*member_id) + "'s, its email member " +
                                std::to_string(member->id) + "'s",
                            field});
        }
        member_id = member->id;
        if (!member->profile ||
            core::comparable_name(member->profile->full_name) != core::comparable_name(application.full_name)) {
            return refused({ErrorCode::kMemberExists,
                            "member " + std::to_string(member->id) + " has this " + field + " under another name",
                            field});
        }
    }
    return {ImportOutcome::kAlreadyEnrolled};
}

std::optional<ImportedRow> MemberImportService::earlier_row(const core::MemberApplication& application) {
    // As already_there judges the database's members: every contact one earlier row's, its name.
    const std::vector<std::string> keys = contact_keys(application, country_calling_code_);
    const Seen* earlier = nullptr;
    std::string found_field;
    std::string missing_field;
    for (const std::string& key : keys) {
        const std::string field = key.substr(0, key.find(':'));
        const auto found = seen_.find(key);
        if (found == seen_.end()) {
            missing_field = field;
            continue;
        }
        if (earlier != nullptr && earlier->row != found->second.row) {
            return refused({ErrorCode::kMemberExists, "the row's phone and email are two earlier rows'", field});
        }
        earlier = &found->second;
        found_field = field;
    }
    if (earlier == nullptr) return std::nullopt;
    if (!missing_field.empty()) {
        return refused({ErrorCode::kMemberExists,
                        "a member has this row's " + found_field + ", but not its " + missing_field +
                            "; change that member in the console",
                        missing_field});
    }
    if (core::comparable_name(earlier->full_name) != core::comparable_name(application.full_name)) {
        return refused(
            {ErrorCode::kMemberExists, "an earlier row has this " + found_field + " under another name", found_field});
    }
    return ImportedRow{ImportOutcome::kAlreadyEnrolled};
}

}  // namespace patron::service
