#include "loyalty/store/members/member_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <tuple>

#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/json_rows.h"
#include "loyalty/store/db/known_value.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {
namespace {

// Hex for UNHEX(), with NULL for an absent field.
struct HexField {
    explicit HexField(const crypto::Bytes& bytes)
        : text(crypto::to_hex(bytes)), indicator(bytes.empty() ? soci::i_null : soci::i_ok) {}
    std::string text;
    soci::indicator indicator;
};

crypto::Bytes bytes_of(const std::string& hex, soci::indicator indicator) {
    if (indicator != soci::i_ok) return {};
    return crypto::from_hex(hex).value_or(crypto::Bytes{});
}

}  // namespace

long long insert_member_row(soci::session& sql, long long program_id, const std::optional<std::string>& language,
                            core::Timestamp now) {
    const std::string created = to_sql_time(now);
    const std::string language_text = language.value_or("");
    soci::indicator language_indicator = language ? soci::i_ok : soci::i_null;
    const std::string active(core::to_string(core::MemberStatus::kActive));
    sql << "INSERT INTO members (program_id, status, language, created_at, updated_at)"
           " VALUES (:program, :status, :language, :created, :created)",
        soci::use(program_id, "program"), soci::use(active, "status"),
        soci::use(language_text, language_indicator, "language"), soci::use(created, "created");
    return last_insert_id(sql);
}

void store_sealed_profile(soci::session& sql, long long member_id, const crypto::WrappedKey& data_key,
                          const SealedProfile& profile, core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    const std::string key = crypto::to_hex(data_key.sealed);
    HexField name(profile.full_name), phone(profile.phone), email(profile.email), birth(profile.birth_date),
        details(profile.details);
    sql << "UPDATE members SET data_key_sealed = UNHEX(:key), master_key_id = :master,"
           " full_name_sealed = UNHEX(:name), phone_sealed = UNHEX(:phone), email_sealed = UNHEX(:email),"
           " birth_date_sealed = UNHEX(:birth), details_sealed = UNHEX(:details), updated_at = :updated WHERE id = :id",
        soci::use(key, "key"), soci::use(data_key.master_key_id, "master"),
        soci::use(name.text, name.indicator, "name"), soci::use(phone.text, phone.indicator, "phone"),
        soci::use(email.text, email.indicator, "email"), soci::use(birth.text, birth.indicator, "birth"),
        soci::use(details.text, details.indicator, "details"), soci::use(updated, "updated"),
        soci::use(member_id, "id");
}

namespace {

// A member row's columns of table or derived table `t`, bound to a statement and decoded: shared
// by the reads of a member by id and of a card with its holder. Its sealed fields are hexed when
// `hex`; a derived table keeps them raw (VARBINARY), because a hexed field is long enough to make
// MariaDB materialise the derived table on disk, the most costly part of a till's commit.
std::string member_columns(const std::string& t, bool hex = true) {
    const auto sealed = [&](const char* name) { return hex ? "HEX(" + t + "." + name + ")" : t + "." + name; };
    return t + ".id, " + t + ".program_id, " + t + ".status, " + sealed("data_key_sealed") + ", " + t +
           ".master_key_id, " + sealed("full_name_sealed") + ", " + sealed("phone_sealed") + ", " +
           sealed("email_sealed") + ", " + sealed("birth_date_sealed") + ", " + sealed("details_sealed") + ", " + t +
           ".language, " + t + ".created_at";
}

struct MemberRow {
    MemberRecord member;
    std::string status, key, master, name, phone, email, birth, details, language, created;
    soci::indicator key_i = soci::i_null, master_i = soci::i_null, name_i = soci::i_null, phone_i = soci::i_null,
                    email_i = soci::i_null, birth_i = soci::i_null, details_i = soci::i_null, language_i = soci::i_null;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(member.id));
        statement.exchange(soci::into(member.program_id));
        statement.exchange(soci::into(status));
        statement.exchange(soci::into(key, key_i));
        statement.exchange(soci::into(master, master_i));
        statement.exchange(soci::into(name, name_i));
        statement.exchange(soci::into(phone, phone_i));
        statement.exchange(soci::into(email, email_i));
        statement.exchange(soci::into(birth, birth_i));
        statement.exchange(soci::into(details, details_i));
        statement.exchange(soci::into(language, language_i));
        statement.exchange(soci::into(created));
    }

    MemberRecord decode() const {
        MemberRecord decoded = member;
        decoded.status = known_value(core::parse_member_status(status));
        decoded.data_key = crypto::WrappedKey{master_i == soci::i_ok ? master : "", bytes_of(key, key_i)};
        decoded.profile = SealedProfile{bytes_of(name, name_i), bytes_of(phone, phone_i), bytes_of(email, email_i),
                                        bytes_of(birth, birth_i), bytes_of(details, details_i)};
        if (language_i == soci::i_ok) decoded.language = language;
        decoded.created_at = from_sql_time(created).value_or(core::Timestamp{});
        return decoded;
    }
};

}  // namespace

std::optional<MemberRecord> find_member(soci::session& sql, long long member_id) {
    MemberRow row;
    soci::statement statement(sql);
    statement.alloc();
    statement.prepare("SELECT " + member_columns("m") + " FROM members m WHERE m.id = :id");
    row.bind(statement);
    statement.exchange(soci::use(member_id));
    statement.define_and_bind();
    if (!statement.execute(true)) return std::nullopt;
    return row.decode();
}

namespace {

// The account columns of a read that joins member_accounts as `a`; NULL together when a LEFT JOIN
// found no account.
constexpr const char* kAccountColumns =
    "CAST(a.member_id AS SIGNED), a.points_available, a.points_pending, a.cashback_balance, a.tier,"
    " IFNULL(a.first_purchase_at IS NOT NULL, 0), CAST(a.fraud_hold_id AS SIGNED), CAST(a.referral_id AS SIGNED)";

struct AccountRow {
    AccountRecord account;
    std::array<soci::indicator, 5> present{};
    int purchased = 0;
    long long fraud_hold = 0;
    soci::indicator fraud_hold_i = soci::i_null;
    long long referral = 0;
    soci::indicator referral_i = soci::i_null;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(account.member_id, present[0]));
        statement.exchange(soci::into(account.points_available, present[1]));
        statement.exchange(soci::into(account.points_pending, present[2]));
        statement.exchange(soci::into(account.cashback_balance, present[3]));
        statement.exchange(soci::into(account.tier, present[4]));
        statement.exchange(soci::into(purchased));
        statement.exchange(soci::into(fraud_hold, fraud_hold_i));
        statement.exchange(soci::into(referral, referral_i));
    }
    std::optional<AccountRecord> decode() {
        if (present[0] != soci::i_ok) return std::nullopt;
        account.has_purchased = purchased != 0;
        if (fraud_hold_i == soci::i_ok) account.fraud_hold = fraud_hold;
        if (referral_i == soci::i_ok) account.referral = referral;
        return account;
    }
};

}  // namespace

std::optional<MemberAccountRecord> find_member_with_account(soci::session& sql, long long member_id,
                                                            const std::vector<std::string>& also) {
    MemberAccountRecord found;
    std::string also_columns;
    for (const std::string& column : also) also_columns += ", CAST(" + column + " AS CHAR)";
    std::vector<std::string> also_values(also.size());
    std::vector<soci::indicator> also_present(also.size(), soci::i_null);
    MemberRow row;
    AccountRow account;
    soci::indicator secured_i = soci::i_null;
    std::string secured;
    soci::statement statement(sql);
    statement.alloc();
    statement.prepare("SELECT " + member_columns("m") + ", p.currency, CAST(p.settings_version AS SIGNED), " +
                      kAccountColumns + ", DATE_FORMAT(a.tier_secured_until, " + kSqlTimeFormat + ")" + also_columns +
                      " FROM members m JOIN programs p ON p.id = m.program_id"
                      " LEFT JOIN member_accounts a ON a.member_id = m.id WHERE m.id = :id");
    row.bind(statement);
    statement.exchange(soci::into(found.currency));
    statement.exchange(soci::into(found.settings_version));
    account.bind(statement);
    statement.exchange(soci::into(secured, secured_i));
    for (std::size_t k = 0; k < also.size(); ++k) statement.exchange(soci::into(also_values[k], also_present[k]));
    statement.exchange(soci::use(member_id, "id"));
    statement.define_and_bind();
    if (!statement.execute(true)) return std::nullopt;
    found.member = row.decode();
    found.account = account.decode();
    if (secured_i == soci::i_ok) found.tier_secured_until = from_sql_time(secured);
    for (std::size_t k = 0; k < also.size(); ++k) {
        found.also.push_back(also_present[k] == soci::i_ok ? std::optional(std::move(also_values[k])) : std::nullopt);
    }
    return found;
}

std::optional<CardHolderRecord> find_card_with_member(soci::session& sql, const std::string& number,
                                                      bool lock_account) {
    CardHolderRecord found;
    std::string state;
    MemberRow row;
    AccountRow account;
    soci::statement statement(sql);
    statement.alloc();
    // The card, member and programme come from a derived table of one row, read without locks even
    // when the statement locks: a locking read locks the rows of its own tables only, here the
    // account's. LIMIT 1 must stay: it keeps MariaDB from merging the derived table into the outer
    // query, where FOR UPDATE would lock the card, member and programme rows too
    // (Points.ATillLocksTheMembersAccountFirstAndNeverTheProgrammesRow).
    // The derived table is materialised in memory (its sealed fields raw, hexed outside it).
    statement.prepare("SELECT h.number, h.card_member_id, h.kind, h.state, " + member_columns("h") +
                      ", h.settings_version, DATE_FORMAT(h.draws_close, " + kSqlTimeFormat + "), " + kAccountColumns +
                      " FROM (SELECT c.number, c.member_id AS card_member_id, c.kind, c.state, " +
                      member_columns("m", false) +
                      ", CAST(p.settings_version AS SIGNED) AS settings_version, (SELECT MAX(d.closes_at) FROM draws d"
                      " WHERE d.program_id = p.id AND d.state = 'published') AS draws_close"
                      " FROM cards c JOIN members m ON m.id = c.member_id JOIN programs p ON p.id = m.program_id"
                      " WHERE c.number = :number LIMIT 1) h JOIN member_accounts a ON a.member_id = h.card_member_id" +
                      std::string(lock_account ? " FOR UPDATE" : ""));
    statement.exchange(soci::into(found.card.number));
    statement.exchange(soci::into(found.card.member_id));
    statement.exchange(soci::into(found.card.kind));
    statement.exchange(soci::into(state));
    row.bind(statement);
    statement.exchange(soci::into(found.settings_version));
    std::string draws_close;
    soci::indicator draws_close_i = soci::i_null;
    statement.exchange(soci::into(draws_close, draws_close_i));
    account.bind(statement);
    statement.exchange(soci::use(number, "number"));
    statement.define_and_bind();
    if (!statement.execute(true)) return std::nullopt;
    // A close that does not read back is taken as one still to come: the draws are read as before.
    if (draws_close_i == soci::i_ok)
        found.last_draw_close = from_sql_time(draws_close).value_or(core::Timestamp::max());
    found.card.state = known_value(core::parse_card_state(state));
    found.member = row.decode();
    found.account = account.decode().value_or(AccountRecord{});  // Joined: always there.
    return found;
}

bool insert_lookup(soci::session& sql, long long program_id, LookupKind kind, const crypto::Bytes& digest,
                   long long member_id) {
    const std::string kind_name = kind == LookupKind::kPhone ? "phone" : "email";
    const std::string hex = crypto::to_hex(digest);
    soci::statement statement =
        (sql.prepare << "INSERT IGNORE INTO member_lookups (program_id, kind, digest, member_id)"
                        " VALUES (:program, :kind, UNHEX(:digest), :member)",
         soci::use(program_id), soci::use(kind_name), soci::use(hex), soci::use(member_id));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

std::optional<long long> find_lookup(soci::session& sql, long long program_id, LookupKind kind,
                                     const crypto::Bytes& digest) {
    const std::string kind_name = kind == LookupKind::kPhone ? "phone" : "email";
    const std::string hex = crypto::to_hex(digest);
    long long member_id = 0;
    sql << "SELECT CAST(member_id AS SIGNED) FROM member_lookups"
           " WHERE program_id = :program AND kind = :kind AND digest = UNHEX(:digest)",
        soci::into(member_id), soci::use(program_id), soci::use(kind_name), soci::use(hex);
    if (!sql.got_data()) return std::nullopt;
    return member_id;
}

void delete_lookups(soci::session& sql, long long member_id, std::optional<LookupKind> kind) {
    if (!kind) {
        sql << "DELETE FROM member_lookups WHERE member_id = :member", soci::use(member_id);
        return;
    }
    const std::string kind_name = *kind == LookupKind::kPhone ? "phone" : "email";
    sql << "DELETE FROM member_lookups WHERE member_id = :member AND kind = :kind", soci::use(member_id),
        soci::use(kind_name);
}

void set_member_language(soci::session& sql, long long member_id, const std::optional<std::string>& language) {
    const std::string value = language.value_or("");
    soci::indicator indicator = language ? soci::i_ok : soci::i_null;
    sql << "UPDATE members SET language = :language WHERE id = :id", soci::use(value, indicator), soci::use(member_id);
}

namespace {

void add_consent_history(soci::session& sql, long long member_id, const char* consent, const std::string& value,
                         core::Timestamp at, const ConsentChanger& changer) {
    const std::string changed_at = to_sql_time(at);
    const long long staff_user = changer.staff_user_id.value_or(0);
    soci::indicator staff_i = changer.staff_user_id ? soci::i_ok : soci::i_null;
    const std::string name(consent);
    sql << "INSERT INTO member_consent_history (member_id, consent, value, changed_at, changed_by, staff_user_id)"
           " VALUES (:member, :consent, :value, :at, :by, :staff)",
        soci::use(member_id), soci::use(name), soci::use(value), soci::use(changed_at), soci::use(changer.by),
        soci::use(staff_user, staff_i);
}

}  // namespace

void store_consents(soci::session& sql, long long member_id, const core::Consents& before,
                    const core::Consents& consents, const ConsentChanger& changer) {
    const auto granted = [](bool yes) { return std::string(yes ? "granted" : "not granted"); };
    if (consents.terms_accepted_at && consents.terms_accepted_at != before.terms_accepted_at) {
        add_consent_history(sql, member_id, "terms", consents.terms_version.value_or(""), *consents.terms_accepted_at,
                            changer);
    }
    if (consents.marketing_sms_at && consents.marketing_sms_at != before.marketing_sms_at) {
        add_consent_history(sql, member_id, "marketing_sms", granted(consents.marketing_sms),
                            *consents.marketing_sms_at, changer);
    }
    if (consents.marketing_email_at && consents.marketing_email_at != before.marketing_email_at) {
        add_consent_history(sql, member_id, "marketing_email", granted(consents.marketing_email),
                            *consents.marketing_email_at, changer);
    }
    const auto time = [](const std::optional<core::Timestamp>& at) { return at ? to_sql_time(*at) : std::string(); };
    const auto given = [](const auto& value) { return value ? soci::i_ok : soci::i_null; };
    const std::string terms = consents.terms_version.value_or(""), terms_at = time(consents.terms_accepted_at),
                      sms_at = time(consents.marketing_sms_at), email_at = time(consents.marketing_email_at);
    soci::indicator terms_i = given(consents.terms_version), terms_at_i = given(consents.terms_accepted_at),
                    sms_at_i = given(consents.marketing_sms_at), email_at_i = given(consents.marketing_email_at);
    const int sms = consents.marketing_sms ? 1 : 0, email = consents.marketing_email ? 1 : 0;
    sql << "REPLACE INTO member_consents (member_id, terms_version, terms_accepted_at, marketing_sms,"
           " marketing_sms_at, marketing_email, marketing_email_at)"
           " VALUES (:member, :terms, :terms_at, :sms, :sms_at, :email, :email_at)",
        soci::use(member_id), soci::use(terms, terms_i), soci::use(terms_at, terms_at_i), soci::use(sms),
        soci::use(sms_at, sms_at_i), soci::use(email), soci::use(email_at, email_at_i);
}

core::Consents find_consents(soci::session& sql, long long member_id) {
    core::Consents consents;
    std::string terms, terms_at, sms_at, email_at;
    soci::indicator terms_i = soci::i_null, terms_at_i = soci::i_null, sms_at_i = soci::i_null,
                    email_at_i = soci::i_null;
    int sms = 0, email = 0;
    sql << "SELECT terms_version, DATE_FORMAT(terms_accepted_at, " << kSqlTimeFormat << "), marketing_sms,"
        << " DATE_FORMAT(marketing_sms_at, " << kSqlTimeFormat << "), marketing_email, DATE_FORMAT(marketing_email_at, "
        << kSqlTimeFormat << ") FROM member_consents WHERE member_id = :member",
        soci::into(terms, terms_i), soci::into(terms_at, terms_at_i), soci::into(sms), soci::into(sms_at, sms_at_i),
        soci::into(email), soci::into(email_at, email_at_i), soci::use(member_id);
    if (!sql.got_data()) return consents;
    if (terms_i == soci::i_ok) consents.terms_version = terms;
    if (terms_at_i == soci::i_ok) consents.terms_accepted_at = from_sql_time(terms_at);
    consents.marketing_sms = sms != 0;
    if (sms_at_i == soci::i_ok) consents.marketing_sms_at = from_sql_time(sms_at);
    consents.marketing_email = email != 0;
    if (email_at_i == soci::i_ok) consents.marketing_email_at = from_sql_time(email_at);
    return consents;
}

void erase_member_row(soci::session& sql, long long member_id, core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    const std::string erased(core::to_string(core::MemberStatus::kErased));
    sql << "UPDATE members SET status = :status, data_key_sealed = NULL, master_key_id = NULL,"
           " full_name_sealed = NULL, phone_sealed = NULL, email_sealed = NULL, birth_date_sealed = NULL,"
           " details_sealed = NULL,"
           " language = NULL, updated_at = :updated WHERE id = :id",
        soci::use(erased), soci::use(updated), soci::use(member_id);
    sql << "DELETE FROM member_consents WHERE member_id = :id", soci::use(member_id);
}

void forget_consent_history(soci::session& sql, long long member_id) {
    sql << "DELETE FROM member_consent_history WHERE member_id = :id", soci::use(member_id);
}

void move_member_rows(soci::session& sql, long long from, long long into) {
    for (const char* table :
         {"cards", "point_lots", "purchases", "tier_history", "coupon_codes", "coupon_redemptions"}) {
        sql << "UPDATE " << table << " SET member_id = :into WHERE member_id = :from", soci::use(into, "into"),
            soci::use(from, "from");
    }
    sql << "INSERT INTO member_rule_usage (member_id, rule_id, period, points)"
           " SELECT :into, u.rule_id, u.period, u.points FROM member_rule_usage u WHERE u.member_id = :from"
           " ON DUPLICATE KEY UPDATE member_rule_usage.points = member_rule_usage.points + VALUES(points)",
        soci::use(into, "into"), soci::use(from, "from");
    sql << "UPDATE member_accounts s JOIN member_accounts f ON f.member_id = :from"
           " SET s.points_shortfall = s.points_shortfall + f.points_shortfall WHERE s.member_id = :into",
        soci::use(from, "from"), soci::use(into, "into");
    sql << "UPDATE member_accounts SET points_shortfall = 0 WHERE member_id = :from", soci::use(from, "from");
    for (const char* table : {"member_rule_usage", "quote_holds", "member_consents"}) {
        sql << "DELETE FROM " << table << " WHERE member_id = :from", soci::use(from, "from");
    }
}

void mark_merged(soci::session& sql, long long member_id, long long into) {
    const std::string merged(core::to_string(core::MemberStatus::kMerged));
    sql << "UPDATE members SET status = :status, merged_into = :into WHERE id = :id", soci::use(merged),
        soci::use(into), soci::use(member_id);
}

void insert_card(soci::session& sql, const CardRecord& card, core::Timestamp now) {
    if (!insert_card_unless_taken(sql, card, now)) throw std::runtime_error("a drawn card number was taken meanwhile");
}

bool insert_card_unless_taken(soci::session& sql, const CardRecord& card, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    const std::string state(core::to_string(card.state));
    // IGNORE turns only the duplicate number into "no row": the member exists (the caller holds its
    // account lock) and the columns are checked values.
    soci::statement statement =
        (sql.prepare << "INSERT IGNORE INTO cards (number, member_id, kind, state, state_changed_at, created_at)"
                        " VALUES (:number, :member, :kind, :state, :created, :created)",
         soci::use(card.number, "number"), soci::use(card.member_id, "member"), soci::use(card.kind, "kind"),
         soci::use(state, "state"), soci::use(created, "created"));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

std::optional<CardRecord> find_card(soci::session& sql, const std::string& number, bool for_update) {
    CardRecord card;
    std::string state;
    sql << "SELECT number, member_id, kind, state FROM cards WHERE number = :number"
        << (for_update ? " FOR UPDATE" : ""),
        soci::into(card.number), soci::into(card.member_id), soci::into(card.kind), soci::into(state),
        soci::use(number);
    if (!sql.got_data()) return std::nullopt;
    card.state = known_value(core::parse_card_state(state));
    return card;
}

void set_card_state(soci::session& sql, const std::string& number, core::CardState state, const std::string& reason,
                    core::Timestamp now) {
    const std::string at = to_sql_time(now);
    const std::string spelling(core::to_string(state));
    sql << "UPDATE cards SET state = :state, state_reason = :reason, state_changed_at = :at WHERE number = :number",
        soci::use(spelling), soci::use(reason), soci::use(at), soci::use(number);
}

std::string cards_of_member_sql(long long member_id) {
    return std::string(
               "(SELECT JSON_OBJECTAGG(c.number, JSON_ARRAY(c.member_id, c.kind, c.state, DATE_FORMAT(c.created_at, ") +
           kSqlTimeFormat + "), DATE_FORMAT(c.state_changed_at, " + kSqlTimeFormat +
           "), c.state_reason, IFNULL(c.number = m.primary_card, 0)))"
           " FROM cards c JOIN members m ON m.id = c.member_id WHERE c.member_id = " +
           std::to_string(member_id) + ")";
}

std::vector<CardRecord> cards_of_member_of(const std::optional<std::string>& rows) {
    std::vector<CardRecord> cards;
    const nlohmann::json keyed = json_keyed_rows(rows);  // Alive through the loop: items() refers to it.
    for (const auto& [number, row] : keyed.items()) {
        const std::string reason = json_text(row, 5);
        cards.push_back(CardRecord{number, json_integer(row, 0), json_text(row, 1),
                                   known_value(core::parse_card_state(json_text(row, 2))),
                                   from_sql_time(json_text(row, 3)).value_or(core::Timestamp{}),
                                   from_sql_time(json_text(row, 4)).value_or(core::Timestamp{}),
                                   reason.empty() ? std::nullopt : std::optional(reason), json_integer(row, 6) != 0});
    }
    // Oldest first, as they were issued (numbers in their order for cards of one instant).
    std::ranges::sort(cards, [](const CardRecord& a, const CardRecord& b) {
        return std::tie(a.issued_at, a.number) < std::tie(b.issued_at, b.number);
    });
    return cards;
}

std::vector<CardRecord> find_cards_of_member(soci::session& sql, long long member_id) {
    return cards_of_member_of(select_value(sql, cards_of_member_sql(member_id)));
}

void set_primary_card(soci::session& sql, long long member_id, const std::string& number) {
    sql << "UPDATE members SET primary_card = :number WHERE id = :id", soci::use(number), soci::use(member_id);
}

void insert_account(soci::session& sql, long long member_id, const std::string& tier, core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    sql << "INSERT INTO member_accounts (member_id, program_id, points_available, points_pending, cashback_balance,"
           " tier, updated_at) SELECT id, program_id, 0, 0, 0, :tier, :updated FROM members WHERE id = :member",
        soci::use(tier, "tier"), soci::use(updated, "updated"), soci::use(member_id, "member");
}

void mark_account_written(soci::session& sql, long long member_id) {
    write(sql, "UPDATE member_accounts SET write_mark = write_mark + 1 WHERE member_id = " + std::to_string(member_id));
}

std::optional<AccountRecord> find_account(soci::session& sql, long long member_id, bool for_update) {
    AccountRecord account;
    const std::string lock = for_update ? " FOR UPDATE" : "";
    int purchased = 0;
    long long fraud_hold = 0;
    soci::indicator fraud_hold_i = soci::i_null;
    long long referral = 0;
    soci::indicator referral_i = soci::i_null;
    sql << "SELECT member_id, points_available, points_pending, cashback_balance, tier,"
           " first_purchase_at IS NOT NULL, CAST(fraud_hold_id AS SIGNED), CAST(referral_id AS SIGNED)"
           " FROM member_accounts WHERE member_id = :member" +
               lock,
        soci::into(account.member_id), soci::into(account.points_available), soci::into(account.points_pending),
        soci::into(account.cashback_balance), soci::into(account.tier), soci::into(purchased),
        soci::into(fraud_hold, fraud_hold_i), soci::into(referral, referral_i), soci::use(member_id);
    if (!sql.got_data()) return std::nullopt;
    account.has_purchased = purchased != 0;
    if (fraud_hold_i == soci::i_ok) account.fraud_hold = fraud_hold;
    if (referral_i == soci::i_ok) account.referral = referral;
    // Whatever the unit decides under the lock, it writes the row (see mark_account_written).
    if (for_update) mark_account_written(sql, member_id);
    return account;
}

std::vector<AccountRecord> find_accounts_for_update(soci::session& sql, std::span<const long long> member_ids) {
    std::vector<AccountRecord> accounts;
    if (member_ids.empty()) return accounts;
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT CAST(member_id AS SIGNED), points_available, points_pending, cashback_balance, tier,"
                       " first_purchase_at IS NOT NULL, CAST(fraud_hold_id AS SIGNED), CAST(referral_id AS SIGNED)"
                       " FROM member_accounts"
                       " WHERE member_id IN (" +
                           id_list(member_ids) + ") ORDER BY member_id FOR UPDATE";
    for (const soci::row& row : rows) {
        AccountRecord& account = accounts.emplace_back(
            AccountRecord{integer_at(row, 0), integer_at(row, 1), integer_at(row, 2), integer_at(row, 3),
                          row.get<std::string>(4), integer_at(row, 5) != 0, std::nullopt});
        if (row.get_indicator(6) == soci::i_ok) account.fraud_hold = integer_at(row, 6);
        if (row.get_indicator(7) == soci::i_ok) account.referral = integer_at(row, 7);
    }
    write(sql,
          "UPDATE member_accounts SET write_mark = write_mark + 1 WHERE member_id IN (" + id_list(member_ids) + ")");
    return accounts;
}

void adjust_points(soci::session& sql, const std::vector<PointsDelta>& deltas, core::Timestamp now) {
    if (deltas.empty()) return;
    // Integers only go into the statement; the time is bound. A balance no delta changes is left
    // out, and the ids compare as signed integers (unsigned against signed would be decimals).
    std::string available;
    std::string pending;
    std::vector<long long> ids;
    ids.reserve(deltas.size());
    for (const PointsDelta& delta : deltas) {
        const std::string when = " WHEN " + std::to_string(delta.member_id) + " THEN ";
        if (delta.available != 0) available += when + std::to_string(delta.available);
        if (delta.pending != 0) pending += when + std::to_string(delta.pending);
        ids.push_back(delta.member_id);
    }
    std::string set;
    if (!available.empty()) {
        set += "points_available = points_available + CASE CAST(member_id AS SIGNED)" + available + " ELSE 0 END, ";
    }
    if (!pending.empty()) {
        set += "points_pending = points_pending + CASE CAST(member_id AS SIGNED)" + pending + " ELSE 0 END, ";
    }
    const std::string updated = to_sql_time(now);
    sql << "UPDATE member_accounts SET " + set + "updated_at = :updated WHERE member_id IN (" + id_list(ids) + ")",
        soci::use(updated);
}

void adjust_points(soci::session& sql, long long member_id, long long available_delta, long long pending_delta,
                   core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    sql << "UPDATE member_accounts SET points_available = points_available + :available,"
           " points_pending = points_pending + :pending, updated_at = :updated WHERE member_id = :member",
        soci::use(available_delta), soci::use(pending_delta), soci::use(updated), soci::use(member_id);
}

std::string purchase_move_assignments(soci::session& sql, const std::string& account, const PurchaseBalanceMove& move,
                                      core::Timestamp now) {
    const std::string a = account + ".";
    const std::string received = sql_text(sql, to_sql_time(move.received_at));
    // A claimed purchase can be older than the last one, never newer than now.
    return a + "points_available = " + a + "points_available + " + std::to_string(move.available_delta) + ", " + a +
           "points_pending = " + a + "points_pending + " + std::to_string(move.pending_delta) + ", " + a +
           "updated_at = " + sql_text(sql, to_sql_time(now)) + ", " + a + "first_purchase_at = LEAST(COALESCE(" + a +
           "first_purchase_at, " + received + "), " + received + "), " + a + "last_purchase_at = GREATEST(COALESCE(" +
           a + "last_purchase_at, " + received + "), " + received + ")";
}

void adjust_points_for_purchase(soci::session& sql, const PurchaseBalanceMove& move, core::Timestamp now) {
    sql << "UPDATE member_accounts a SET " + purchase_move_assignments(sql, "a", move, now) +
               " WHERE a.member_id = " + std::to_string(move.member_id);
}

void recount_purchase_span(soci::session& sql, long long member_id) {
    sql << "UPDATE member_accounts SET"
           " first_purchase_at = (SELECT MIN(received_at) FROM purchases WHERE member_id = :member"
           " AND kind = 'purchase' AND voided_at IS NULL),"
           " last_purchase_at = (SELECT MAX(received_at) FROM purchases WHERE member_id = :member"
           " AND kind = 'purchase' AND voided_at IS NULL)"
           " WHERE member_id = :member",
        soci::use(member_id, "member");
}

}  // namespace patron::store
