// A customer list's header and rows read into enrolment applications (core/member_import.h),
// refused by the column at fault, through the API's own reading of POST /v1/members.
#include <gtest/gtest.h>

#include "loyalty/core/member_import.h"

namespace patron::core {
namespace {

ImportHeader header_of(std::vector<std::string> cells) {
    auto header = read_import_header(std::move(cells));
    EXPECT_TRUE(header.has_value()) << header.error().message;
    return header.value_or(ImportHeader{});
}

TEST(MemberImportRow, TheHeaderNamesColumnsInAnyOrderAndCase) {
    const ImportHeader header = header_of({"\xEF\xBB\xBF Email", "FULL_NAME", "marketing_sms "});
    EXPECT_EQ(header.columns, (std::vector<std::string>{"email", "full_name", "marketing_sms"}));
}

TEST(MemberImportRow, AHeaderAnImportCannotUseIsRefusedByColumn) {
    const auto unknown = read_import_header({"full_name", "phone", "points"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "points");
    EXPECT_EQ(read_import_header({"full_name", "phone", "Phone"}).error().field, "phone");
    EXPECT_EQ(read_import_header({"phone"}).error().field, "full_name");
    EXPECT_EQ(read_import_header({"full_name", "city"}).error().field, "phone");
    EXPECT_EQ(read_import_header({"full_name", "phone", ""}).error().field, "$");
    // A customer where the header should be is not quoted back.
    const auto customer = read_import_header({"Sara Karimi", "0912 345 6789"});
    ASSERT_FALSE(customer);
    EXPECT_EQ(customer.error().field, "$");
    EXPECT_EQ(customer.error().message.find("Sara"), std::string::npos) << customer.error().message;
    EXPECT_EQ(customer.error().message.rfind("column 1 of the header", 0), 0u) << customer.error().message;
}

TEST(MemberImportRow, ARowIsTheApplicationTheApiWouldRead) {
    const ImportHeader header =
        header_of({"full_name", "phone", "email", "language", "marketing_sms", "marketing_email", "terms_version"});
    const auto row = read_import_row(header, {" Sara Karimi ", "0912 345 6789", "", "fa", "Yes", "0", "v3"});
    ASSERT_TRUE(row) << row.error().message;
    EXPECT_EQ(row->full_name, "Sara Karimi");
    EXPECT_EQ(row->phone, "0912 345 6789");
    EXPECT_FALSE(row->email) << "an empty cell is a field not given";
    EXPECT_EQ(row->language, "fa");
    EXPECT_EQ(row->consents.marketing_sms, true);
    EXPECT_EQ(row->consents.marketing_email, false);
    EXPECT_EQ(row->consents.terms_version, "v3");
}

TEST(MemberImportRow, ARowIsRefusedByTheColumnAtFault) {
    const ImportHeader header = header_of({"full_name", "phone", "language", "marketing_email"});
    EXPECT_EQ(read_import_row(header, {"A", "1", "de", ""}).error().field, "language");
    EXPECT_EQ(read_import_row(header, {"A", "1", "fa", "perhaps"}).error().field, "marketing_email");
    EXPECT_EQ(read_import_row(header, {"", "1", "fa", ""}).error().field, "full_name");
    EXPECT_EQ(read_import_row(header, {"A", "1"}).error().field, "$");
    EXPECT_EQ(read_import_row(header, {std::string(kImportCellMax + 1, 'x'), "1", "fa", ""}).error().field,
              "full_name");
}

TEST(MemberImportRow, ACellThatIsNotUtf8IsRefusedByItsColumn) {
    const ImportHeader header = header_of({"full_name", "phone", "city"});
    const auto refused = read_import_row(header, {"Kamran", "09121234567", "\xE3\xC7\xD1\xED"});  // Windows-1256
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "city");
    EXPECT_TRUE(read_import_row(header, {"کامران", "09121234567", "شیراز"}));
}

TEST(MemberImportRow, NamesCompareWithoutRegardToSpacesCaseOrArabicLetters) {
    EXPECT_EQ(comparable_name("  Shirin   FARAHANI "), "shirin farahani");
    EXPECT_EQ(comparable_name("علي كريمي"), comparable_name("علی کریمی"));  // Arabic yeh and kaf, Persian ones
    EXPECT_NE(comparable_name("Shirin Farahani"), comparable_name("Shirin Farahan"));
}

}  // namespace
}  // namespace patron::core
