// The demo program that scripts/run starts with: a club in Tehran trading in IRR, one store,
// one terminal, 1 point per 10,000 IRR, three members and a staff token.
#pragma once

#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/program/program_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

struct DemoProgram {
    std::string staff_token;
    std::string store_code;
    std::string terminal_code;
    TerminalKey terminal;
    std::vector<EnrolledMember> members;
    std::string admin_email = {};  // A staff user who signs in (POST /v1/staff/sessions).
    std::string admin_password = {};
};

inline constexpr const char* kDemoProgramCode = "DEMO";

// The demo's three members as they are enrolled (for tests that look for their personal data).
const std::vector<MemberApplication>& demo_members();

// Creates the demo program. Refuses (NOT_AVAILABLE) when it exists already: its secrets are
// kept only in sealed or hashed form, so the credentials written at seeding cannot be shown again.
core::Result<DemoProgram> seed_demo_program(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                            crypto::RandomSource& random);

}  // namespace patron::service
