// Someone holding a database dump learns no member's personal data: after enrolling members and
// trading, a full `mariadb-dump` of the database holds none of their names, phones (E.164 or as
// typed), emails, birth dates, cities or postal codes, in plain text, hex or base64 at any alignment.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>

#include "crypto/bytes.h"
#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

// The output of a shell command (its arguments come from the test's own database URL).
std::string run(const std::string& command) {
    std::string output;
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe) return output;
    std::array<char, 65536> buffer{};
    while (const std::size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) {
        output.append(buffer.data(), read);
    }
    return output;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Every way the value could sit in the dump: as is, as hex (either case) and inside base64 at
// each of the three byte alignments (the characters that depend only on the value itself).
std::vector<std::string> encodings(const std::string& value) {
    std::vector<std::string> forms = {value, lower(crypto::to_hex(crypto::as_bytes(value))),
                                      crypto::to_hex(crypto::as_bytes(value))};
    for (auto& c : forms[2]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::size_t shift = 0; shift < 3; ++shift) {
        const std::string padded = std::string(shift, '\0') + value;
        const std::string encoded = crypto::to_base64(crypto::as_bytes(padded));
        // Whole groups of 3 bytes that hold only the value's bytes encode the same wherever it sits.
        const std::size_t skip = shift > 0 ? 4 : 0;
        const std::size_t keep = (padded.size() / 3) * 4;
        if (keep >= skip + 8) forms.push_back(encoded.substr(skip, keep - skip));
    }
    return forms;
}

TEST(DatabaseDump, TheSearchFindsAValueHiddenInHexOrBase64) {
    const std::string secret = "Shirin Tehrani";
    for (const std::string& around : {std::string("a"), std::string("ab"), std::string("abc")}) {
        const std::string base64 = crypto::to_base64(crypto::as_bytes(around + secret + "xyz"));
        bool found = false;
        for (const std::string& form : encodings(secret)) found = found || base64.find(form) != std::string::npos;
        EXPECT_TRUE(found) << "after " << around.size() << " bytes";
    }
    const std::string hex = "00" + crypto::to_hex(crypto::as_bytes(secret)) + "ff";
    EXPECT_NE(hex.find(encodings(secret)[1]), std::string::npos);
}

TEST(DatabaseDump, HoldsNoMembersPersonalDataInAnyEncoding) {
    testing::TestWorld world;
    struct Person {
        std::string name, phone_typed, phone_e164, email, birth;
    };
    const std::vector<Person> people = {
        {"Shirin Tehrani-Moghaddam", "0912 555 7788", "+989125557788", "shirin.tm@example.ir", "1987-03-21"},
        {"Kourosh Ebrahimzadeh", "09351239876", "+989351239876", "kourosh.e@example.com", "1979-12-01"},
        {"نازنین فرهادی", "+98 912 000 4433", "+989120004433", "nazanin.f@example.ir", "2001-07-30"}};
    for (const Person& person : people) {
        service::MemberApplication application{person.name, person.phone_typed, person.email, person.birth, "fa"};
        application.city = "Persepolis-" + person.birth;
        application.postal_code = "PC" + person.phone_e164.substr(4);
        const auto member = world.members.enrol_unattended(world.program_id, application);
        ASSERT_TRUE(member.has_value()) << member.error().message;
        const auto bought = world.purchases.commit(
            world.terminal, world.purchase("D-" + std::to_string(member->id), 300000, member->card_number),
            crypto::sha256(crypto::as_bytes(person.email)), pos::encode_purchase_answer);
        ASSERT_TRUE(bought.has_value()) << bought.error().message;
    }

    const std::smatch parts = [&] {
        static const std::regex kUrl(R"(mysql://([^:]+):([^@]*)@[^/]*/([^?]+)\?socket=(.+))");
        std::smatch match;
        EXPECT_TRUE(std::regex_match(world.db.url(), match, kUrl)) << world.db.url();
        return match;
    }();
    const std::string dump = run("mariadb-dump --skip-comments -u'" + parts[1].str() + "' -p'" + parts[2].str() +
                                 "' -S '" + parts[4].str() + "' '" + parts[3].str() + "' 2>&1");
    ASSERT_NE(dump.find("CREATE TABLE `members`"), std::string::npos) << dump.substr(0, 500);
    ASSERT_NE(dump.find("INSERT INTO `members`"), std::string::npos) << "the dump holds the member rows";
    ASSERT_NE(dump.find(world.terminal.store_code), std::string::npos) << "plain data is found where it is";
    for (const Person& person : people) {
        for (const std::string& value :
             {person.name, person.phone_e164, person.phone_e164.substr(3), person.email, person.birth,
              "Persepolis-" + person.birth, "PC" + person.phone_e164.substr(4)}) {
            for (const std::string& form : encodings(value)) {
                EXPECT_EQ(dump.find(form), std::string::npos) << "'" << value << "' is in the dump as '" << form << "'";
            }
        }
        const std::string last_name = person.name.substr(person.name.find(' ') + 1);
        EXPECT_EQ(dump.find(last_name), std::string::npos) << last_name;
    }
}

}  // namespace
}  // namespace patron
