#include "loyalty/service/posting/member_vault.h"

#include <nlohmann/json.hpp>

#include "crypto/aead.h"

namespace patron::service {
namespace {

std::string binding(const char* column, long long member_id) {
    return std::string("members.") + column + ":" + std::to_string(member_id);
}

crypto::Bytes seal_text(const crypto::SecretBytes& key, const std::optional<std::string>& text, const char* column,
                        long long member_id, crypto::RandomSource& random) {
    if (!text) return {};
    return crypto::seal(key, crypto::as_bytes(*text), binding(column, member_id), random);
}

// nullopt for an absent field; a field that does not open makes the whole profile unreadable.
bool open_text(const crypto::SecretBytes& key, const crypto::Bytes& sealed, const char* column, long long member_id,
               std::optional<std::string>& out) {
    if (sealed.empty()) return true;
    auto plain = crypto::open(key, sealed, binding(column, member_id));
    if (!plain) return false;
    out = crypto::as_string(plain->view());
    return true;
}

}  // namespace

std::string data_key_binding(long long member_id) { return binding("data_key", member_id); }

store::SealedProfile seal_profile(const crypto::SecretBytes& data_key, long long member_id,
                                  const core::MemberProfile& profile, crypto::RandomSource& random) {
    const std::optional<std::string> birth =
        profile.birth_date ? std::optional(core::format_date(*profile.birth_date)) : std::nullopt;
    nlohmann::json details = nlohmann::json::object();
    for (const auto& [name, value] :
         {std::pair{"gender", &profile.gender}, std::pair{"city", &profile.city},
          std::pair{"postal_code", &profile.postal_code}, std::pair{"time_zone", &profile.time_zone}}) {
        if (*value) details[name] = **value;
    }
    return store::SealedProfile{
        seal_text(data_key, std::optional(profile.full_name), "full_name", member_id, random),
        seal_text(data_key, profile.phone, "phone", member_id, random),
        seal_text(data_key, profile.email, "email", member_id, random),
        seal_text(data_key, birth, "birth_date", member_id, random),
        seal_text(data_key, details.empty() ? std::nullopt : std::optional(details.dump()), "details", member_id,
                  random),
    };
}

std::optional<core::MemberProfile> open_profile(const crypto::KeyRing& ring, const store::MemberRecord& member) {
    if (member.data_key.sealed.empty()) return std::nullopt;
    const auto key = crypto::unwrap_data_key(ring, member.data_key, data_key_binding(member.id));
    if (!key) return std::nullopt;
    core::MemberProfile profile;
    std::optional<std::string> name, birth, details;
    const bool opened = open_text(*key, member.profile.full_name, "full_name", member.id, name) &&
                        open_text(*key, member.profile.phone, "phone", member.id, profile.phone) &&
                        open_text(*key, member.profile.email, "email", member.id, profile.email) &&
                        open_text(*key, member.profile.birth_date, "birth_date", member.id, birth) &&
                        open_text(*key, member.profile.details, "details", member.id, details);
    if (!opened) return std::nullopt;
    if (details) {
        const auto parsed = nlohmann::json::parse(*details, nullptr, false);
        if (!parsed.is_object()) return std::nullopt;
        for (const auto& [name_of, target] :
             {std::pair{"gender", &profile.gender}, std::pair{"city", &profile.city},
              std::pair{"postal_code", &profile.postal_code}, std::pair{"time_zone", &profile.time_zone}}) {
            if (parsed.contains(name_of) && parsed[name_of].is_string()) *target = parsed[name_of].get<std::string>();
        }
    }
    profile.full_name = name.value_or("");
    if (birth) profile.birth_date = core::parse_date(*birth);
    profile.language = member.language;
    return profile;
}

}  // namespace patron::service
