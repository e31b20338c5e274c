#include "loyalty/service/program/demo_program.h"

#include "loyalty/service/access/staff_account_service.h"

namespace patron::service {
namespace {

// The rule's name heads its receipt line, printed in the programme's language (Persian here):
// "باشگاه مشتریان: +۹۰ امتیاز", not an English name among Persian words.
constexpr const char* kDemoRules =
    R"({"rules": [{"id": "base", "name": "باشگاه مشتریان", "points": 1, "per_amount": 10000, "rounding": "floor",)"
    R"( "conditions": {"exclude_categories": ["gift_card"]}}]})";

}  // namespace

const std::vector<MemberApplication>& demo_members() {
    static const std::vector<MemberApplication> kMembers = {
        {"سارا کریمی", "0912 345 6789", "sara.karimi@example.ir", "1990-04-12", "fa"},
        {"Reza Ahmadi", "+98 935 111 2233", "reza@example.com", "1985-11-02", "en"},
        {"Neda Mohammadi", "09123334455", std::nullopt, std::nullopt, "fa"},
    };
    return kMembers;
}

core::Result<DemoProgram> seed_demo_program(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                            crypto::RandomSource& random) {
    ProgramService admin(database, keys, clock, random);
    DemoProgram demo{"", "S001", "T01", {}, {}};
    if (admin.find_program(kDemoProgramCode)) {
        return core::fail(core::ErrorCode::kNotAvailable,
                          "the demo program exists already; its credentials are in var/demo.json");
    }
    auto program_id = admin.create_program(
        store::ProgramRecord{0, kDemoProgramCode, "Patron Demo Club", "IRR", "98", "fa", "7001", "Asia/Tehran"});
    if (!program_id) return std::unexpected(program_id.error());
    auto store_id = admin.create_store(
        store::StoreRecord{0, *program_id, demo.store_code, "شعبه مرکزی تهران", "IRR", "Asia/Tehran"});
    if (!store_id) return std::unexpected(store_id.error());
    auto terminal = admin.create_terminal(*store_id, demo.terminal_code);
    if (!terminal) return std::unexpected(terminal.error());
    demo.terminal = *terminal;
    // 1 point pays 1,000 IRR, from 10 points; points expire 12 months after they are earned.
    const core::PointsPolicy policy{std::chrono::seconds(0), 12, 1000, 10, core::NegativeBalancePolicy::kAllow};
    if (auto set = admin.set_points_policy(*program_id, policy); !set) return std::unexpected(set.error());
    const auto document = core::RuleDocument::parse(kDemoRules);
    if (!document) return std::unexpected(document.error());
    auto rules = admin.publish_rules(*program_id, *document, core::Timestamp{});
    if (!rules) return std::unexpected(rules.error());
    auto token = admin.issue_staff_token(*program_id, "demo admin", core::StaffRole::kAdmin);
    if (!token) return std::unexpected(token.error());
    demo.staff_token = *token;
    demo.admin_email = "admin@demo.patron.example";
    demo.admin_password = random.token_hex(12);
    StaffAccountService staff(database, keys, clock, random);
    auto admin_user = staff.add_user(*program_id, {.email = demo.admin_email,
                                                   .name = "Demo Admin",
                                                   .role = core::StaffRole::kAdmin,
                                                   .password = demo.admin_password});
    if (!admin_user) return std::unexpected(admin_user.error());
    MemberService members(database, keys, clock, random);
    for (const MemberApplication& application : demo_members()) {
        auto enrolled = members.enrol_unattended(*program_id, application);
        if (!enrolled) return std::unexpected(enrolled.error());
        demo.members.push_back(*enrolled);
    }
    return demo;
}

}  // namespace patron::service
