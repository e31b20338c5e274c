#include "loyalty/store/program/draw_store.h"

#include <soci/soci.h>

#include <algorithm>

#include "loyalty/store/db/code_rows.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {
namespace {

std::string draw_select() {
    return std::string(
               "SELECT CAST(id AS SIGNED), CAST(program_id AS SIGNED), terms, state, IFNULL(master_key_id, ''),"
               " IFNULL(HEX(seed_sealed), ''), IFNULL(commitment, ''), IFNULL(public_value, ''),"
               " IFNULL(entries_digest, ''), tickets, ") +
           time_column("published_at") + ", " + time_column("drawn_at") + ", " + time_column("created_at") + ", " +
           time_column("updated_at") + " FROM draws";
}

DrawRecord draw_from(const soci::row& row) {
    DrawRecord record;
    record.id = integer_at(row, 0);
    record.program_id = integer_at(row, 1);
    // Stored valid; a document that no longer reads leaves the defaults (a draw nobody can enter).
    if (auto terms = core::parse_stored_draw_terms(row.get<std::string>(2))) record.terms = std::move(*terms);
    record.state = core::parse_draw_state(row.get<std::string>(3)).value_or(core::DrawState::kCancelled);
    record.master_key_id = row.get<std::string>(4);
    record.seed_sealed = crypto::from_hex(row.get<std::string>(5)).value_or(crypto::Bytes{});
    record.commitment = row.get<std::string>(6);
    record.public_value = row.get<std::string>(7);
    record.entries_digest = row.get<std::string>(8);
    record.tickets = integer_at(row, 9);
    record.published_at = time_at(row, 10);
    record.drawn_at = time_at(row, 11);
    record.created_at = time_at(row, 12).value_or(core::Timestamp{});
    record.updated_at = time_at(row, 13).value_or(core::Timestamp{});
    return record;
}

std::vector<DrawRecord> draws_of(soci::rowset<soci::row>& rows) {
    std::vector<DrawRecord> draws;
    for (const soci::row& row : rows) draws.push_back(draw_from(row));
    return draws;
}

std::string_view source_name(DrawEntrySource source) { return source == DrawEntrySource::kCode ? "code" : "purchase"; }

DrawPlaceRecord place_from(const soci::row& row, std::size_t first) {
    DrawPlaceRecord place;
    place.place = integer_at(row, first);
    if (row.get_indicator(first + 1) == soci::i_ok) place.prize = integer_at(row, first + 1);
    place.reference = row.get<std::string>(first + 2);
    place.member_id = integer_at(row, first + 3);
    place.ticket = integer_at(row, first + 4);
    place.attempt = integer_at(row, first + 5);
    place.state =
        core::parse_draw_place_state(row.get<std::string>(first + 6)).value_or(core::DrawPlaceState::kReserve);
    place.claim_by = time_at(row, first + 7);
    place.claimed_at = time_at(row, first + 8);
    return place;
}

std::string place_columns() {
    return "CAST(place AS SIGNED), CAST(prize AS SIGNED), reference, CAST(member_id AS SIGNED), ticket,"
           " CAST(attempt AS SIGNED), state, " +
           time_column("claim_by") + ", " + time_column("claimed_at");
}

}  // namespace

long long insert_draw(soci::session& sql, long long program_id, const core::DrawTerms& terms, core::Timestamp now) {
    const std::string document = core::encode_draw_terms(terms).dump();
    const std::string opens = to_sql_time(terms.opens_at);
    const std::string closes = to_sql_time(terms.closes_at);
    const std::string at = to_sql_time(now);
    sql << "INSERT INTO draws (program_id, terms, opens_at, closes_at, created_at, updated_at)"
           " VALUES (:program, :terms, :opens, :closes, :created, :updated)",
        soci::use(program_id), soci::use(document), soci::use(opens), soci::use(closes), soci::use(at), soci::use(at);
    return last_insert_id(sql);
}

bool update_draft_draw(soci::session& sql, long long id, const core::DrawTerms& terms, core::Timestamp now) {
    const std::string document = core::encode_draw_terms(terms).dump();
    const std::string opens = to_sql_time(terms.opens_at);
    const std::string closes = to_sql_time(terms.closes_at);
    const std::string at = to_sql_time(now);
    soci::statement update =
        (sql.prepare << "UPDATE draws SET terms = :terms, opens_at = :opens, closes_at = :closes, updated_at = :at"
                        " WHERE id = :id AND state = 'draft'",
         soci::use(document), soci::use(opens), soci::use(closes), soci::use(at), soci::use(id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

std::optional<DrawRecord> find_draw(soci::session& sql, long long program_id, long long id, DrawLock lock) {
    const char* locking = lock == DrawLock::kUpdate  ? " FOR UPDATE"
                          : lock == DrawLock::kShare ? " LOCK IN SHARE MODE"
                                                     : "";
    soci::rowset<soci::row> rows =
        (sql.prepare << draw_select() + " WHERE id = :id AND program_id = :program" + locking, soci::use(id),
         soci::use(program_id));
    auto draws = draws_of(rows);
    if (draws.empty()) return std::nullopt;
    return std::move(draws.front());
}

std::vector<DrawRecord> list_draws(soci::session& sql, long long program_id, bool published, std::size_t limit) {
    const long long count = static_cast<long long>(limit);
    soci::rowset<soci::row> rows =
        (sql.prepare << draw_select() + " WHERE program_id = :program" + (published ? " AND state <> 'draft'" : "") +
                            " ORDER BY id DESC LIMIT :count",
         soci::use(program_id), soci::use(count));
    return draws_of(rows);
}

std::vector<DrawRecord> draws_taking_entries(soci::session& sql, long long program_id, core::Timestamp at,
                                             core::Timestamp now) {
    const std::string when = to_sql_time(at);
    if (at < now) {
        const std::string current = to_sql_time(now);
        sql << "UPDATE draws SET write_mark = write_mark + 1 WHERE program_id = :program AND state = 'published'"
               " AND closes_at > :at AND opens_at <= :again AND closes_at <= :now",
            soci::use(program_id, "program"), soci::use(when, "at"), soci::use(when, "again"),
            soci::use(current, "now");
    }
    soci::rowset<soci::row> rows =
        (sql.prepare << draw_select() +
                            " WHERE program_id = :program AND state = 'published' AND closes_at > :at"
                            " AND opens_at <= :again ORDER BY id LOCK IN SHARE MODE",
         soci::use(program_id, "program"), soci::use(when, "at"), soci::use(when, "again"));
    return draws_of(rows);
}

bool publish_draw(soci::session& sql, long long id, const std::string& master_key_id, const crypto::Bytes& sealed,
                  const std::string& commitment, core::Timestamp now) {
    const std::string hex = crypto::to_hex(sealed);
    const std::string at = to_sql_time(now);
    soci::statement update =
        (sql.prepare << "UPDATE draws SET state = 'published', master_key_id = :key, seed_sealed = UNHEX(:sealed),"
                        " commitment = :commitment, published_at = :published, updated_at = :updated"
                        " WHERE id = :id AND state = 'draft'",
         soci::use(master_key_id), soci::use(hex), soci::use(commitment), soci::use(at), soci::use(at), soci::use(id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

bool cancel_draw(soci::session& sql, long long id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement update = (sql.prepare << "UPDATE draws SET state = 'cancelled', updated_at = :at"
                                             " WHERE id = :id AND state IN ('draft', 'published')",
                              soci::use(at), soci::use(id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

long long insert_draw_entry(soci::session& sql, const DrawEntryRecord& entry, core::Timestamp now) {
    const std::string source(source_name(entry.source));
    const std::string at = to_sql_time(now);
    soci::indicator purchase_indicator = entry.purchase_id ? soci::i_ok : soci::i_null;
    soci::indicator code_indicator = entry.code_id ? soci::i_ok : soci::i_null;
    const long long purchase_id = entry.purchase_id.value_or(0);
    const long long code_id = entry.code_id.value_or(0);
    sql << "INSERT INTO draw_entries (draw_id, member_id, source, purchase_id, code_id, entries, earned, created_at,"
           " updated_at) VALUES (:draw, :member, :source, :purchase, :code, :entries, :earned, :created, :updated)",
        soci::use(entry.draw_id), soci::use(entry.member_id), soci::use(source),
        soci::use(purchase_id, purchase_indicator), soci::use(code_id, code_indicator), soci::use(entry.entries),
        soci::use(entry.earned), soci::use(at), soci::use(at);
    return last_insert_id(sql);
}

long long member_draw_entries(soci::session& sql, long long draw_id, long long member_id) {
    long long entries = 0;
    sql << "SELECT CAST(IFNULL(SUM(entries), 0) AS SIGNED) FROM draw_entries WHERE draw_id = :draw AND member_id = "
           ":member",
        soci::into(entries), soci::use(draw_id), soci::use(member_id);
    return entries;
}

std::map<long long, long long> member_entries_by_draw(soci::session& sql, long long member_id) {
    std::map<long long, long long> entries;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(draw_id AS SIGNED), CAST(SUM(entries) AS SIGNED) FROM draw_entries"
                        " WHERE member_id = :member GROUP BY draw_id",
         soci::use(member_id));
    for (const soci::row& row : rows) entries[integer_at(row, 0)] = integer_at(row, 1);
    return entries;
}

std::vector<DrawEntryRecord> purchase_draw_entries(soci::session& sql, long long purchase_id) {
    std::vector<DrawEntryRecord> entries;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(draw_id AS SIGNED), CAST(member_id AS SIGNED), entries,"
                        " earned FROM draw_entries WHERE purchase_id = :purchase AND source = 'purchase'"
                        " ORDER BY id FOR UPDATE",
         soci::use(purchase_id));
    for (const soci::row& row : rows) {
        DrawEntryRecord entry;
        entry.id = integer_at(row, 0);
        entry.draw_id = integer_at(row, 1);
        entry.member_id = integer_at(row, 2);
        entry.purchase_id = purchase_id;
        entry.entries = integer_at(row, 3);
        entry.earned = integer_at(row, 4);
        entries.push_back(entry);
    }
    return entries;
}

void mark_draw_written(soci::session& sql, long long draw_id) {
    write(sql, "UPDATE draws SET write_mark = write_mark + 1 WHERE id = " + std::to_string(draw_id));
}

void set_draw_entries(soci::session& sql, long long entry_id, long long entries, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE draw_entries SET entries = :entries, updated_at = :at WHERE id = :id", soci::use(entries),
        soci::use(at), soci::use(entry_id);
}

std::vector<std::pair<long long, long long>> draw_holdings(soci::session& sql, long long draw_id) {
    std::vector<std::pair<long long, long long>> holdings;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(e.member_id AS SIGNED), CAST(SUM(e.entries) AS SIGNED) FROM draw_entries e"
                        " JOIN members m ON m.id = e.member_id AND m.status = 'active'"
                        " WHERE e.draw_id = :draw GROUP BY e.member_id HAVING SUM(e.entries) > 0 ORDER BY e.member_id",
         soci::use(draw_id));
    for (const soci::row& row : rows) holdings.emplace_back(integer_at(row, 0), integer_at(row, 1));
    return holdings;
}

DrawTotals draw_totals(soci::session& sql, long long draw_id) {
    DrawTotals totals;
    // Counted as a run counts them (draw_holdings): active members holding entries.
    sql << "SELECT COUNT(*), CAST(IFNULL(SUM(held), 0) AS SIGNED) FROM (SELECT SUM(e.entries) AS held"
           " FROM draw_entries e JOIN members m ON m.id = e.member_id AND m.status = 'active'"
           " WHERE e.draw_id = :draw GROUP BY e.member_id HAVING SUM(e.entries) > 0) AS holders",
        soci::into(totals.entrants), soci::into(totals.entries), soci::use(draw_id);
    return totals;
}

std::map<long long, std::string> member_draw_references(soci::session& sql, long long member_id) {
    std::map<long long, std::string> references;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(draw_id AS SIGNED), reference FROM draw_entrants WHERE member_id = :member",
         soci::use(member_id));
    for (const soci::row& row : rows) references[integer_at(row, 0)] = row.get<std::string>(1);
    return references;
}

long long code_entries(soci::session& sql, long long code_id) {
    long long entries = 0;
    sql << "SELECT CAST(IFNULL(SUM(entries), 0) AS SIGNED) FROM draw_entries WHERE code_id = :code AND source = 'code'",
        soci::into(entries), soci::use(code_id);
    return entries;
}

void move_draw_entries(soci::session& sql, long long from, long long into) {
    // The draws they are in, written first (a lock that holds on Galera too, docs/cluster.md): a run
    // waits for the move, or the move for the run.
    sql << "UPDATE draws SET write_mark = write_mark + 1 WHERE state IN ('draft', 'published')"
           " AND id IN (SELECT draw_id FROM draw_entries WHERE member_id = :from)",
        soci::use(from);
    sql << "UPDATE draw_entries e JOIN draws d ON d.id = e.draw_id SET e.member_id = :into"
           " WHERE e.member_id = :from AND d.state IN ('draft', 'published')",
        soci::use(into), soci::use(from);
}

int next_draw_code_batch(soci::session& sql, long long draw_id) {
    int batch = 0;
    sql << "SELECT IFNULL(MAX(batch), 0) + 1 FROM draw_codes WHERE draw_id = :draw", soci::into(batch),
        soci::use(draw_id);
    return batch;
}

long long insert_draw_codes(soci::session& sql, long long program_id, long long draw_id, int batch,
                            const std::vector<std::string>& codes, core::Timestamp now) {
    const std::string fixed = ", " + std::to_string(program_id) + ", " + std::to_string(draw_id) + ", " +
                              std::to_string(batch) + ", '" + to_sql_time(now) + "')";
    return insert_code_rows(sql, "INSERT IGNORE INTO draw_codes (code, program_id, draw_id, batch, created_at) VALUES ",
                            codes, [&](std::size_t) { return fixed; });
}

std::vector<DrawCodeRecord> draw_codes(soci::session& sql, long long draw_id, int batch) {
    std::vector<DrawCodeRecord> codes;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), code, batch, CAST(member_id AS SIGNED), " + time_column("used_at") +
                            " FROM draw_codes WHERE draw_id = :draw AND (:batch = 0 OR batch = :same) ORDER BY id",
         soci::use(draw_id, "draw"), soci::use(batch, "batch"), soci::use(batch, "same"));
    for (const soci::row& row : rows) {
        DrawCodeRecord code;
        code.id = integer_at(row, 0);
        code.draw_id = draw_id;
        code.code = row.get<std::string>(1);
        code.batch = row.get<int>(2);
        if (row.get_indicator(3) == soci::i_ok) code.member_id = integer_at(row, 3);
        code.used_at = time_at(row, 4);
        codes.push_back(std::move(code));
    }
    return codes;
}

DrawCodeCounts draw_code_counts(soci::session& sql, long long draw_id) {
    DrawCodeCounts counts;
    sql << "SELECT COUNT(*), CAST(IFNULL(SUM(used_at IS NOT NULL), 0) AS SIGNED) FROM draw_codes WHERE draw_id = :draw",
        soci::into(counts.made), soci::into(counts.used), soci::use(draw_id);
    return counts;
}

std::optional<DrawCodeRecord> find_draw_code(soci::session& sql, long long program_id, const std::string& code,
                                             bool lock) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(draw_id AS SIGNED), batch, CAST(member_id AS SIGNED), " +
                            time_column("used_at") + " FROM draw_codes WHERE program_id = :program AND code = :code" +
                            (lock ? " FOR UPDATE" : ""),
         soci::use(program_id), soci::use(code));
    for (const soci::row& row : rows) {
        DrawCodeRecord found;
        found.id = integer_at(row, 0);
        found.draw_id = integer_at(row, 1);
        found.code = code;
        found.batch = row.get<int>(2);
        if (row.get_indicator(3) == soci::i_ok) found.member_id = integer_at(row, 3);
        found.used_at = time_at(row, 4);
        return found;
    }
    return std::nullopt;
}

void use_draw_code(soci::session& sql, long long code_id, long long member_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE draw_codes SET used_at = :at, member_id = :member WHERE id = :id", soci::use(at),
        soci::use(member_id), soci::use(code_id);
}

bool record_draw_result(soci::session& sql, long long draw_id, const DrawResult& result, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement update =
        (sql.prepare << "UPDATE draws SET state = 'drawn', public_value = :value, entries_digest = :digest,"
                        " tickets = :tickets, drawn_at = :drawn, updated_at = :updated"
                        " WHERE id = :id AND state = 'published'",
         soci::use(result.public_value), soci::use(result.entries_digest), soci::use(result.tickets), soci::use(at),
         soci::use(at), soci::use(draw_id));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    for (const DrawEntrantRecord& entrant : result.entrants) {
        sql << "INSERT INTO draw_entrants (draw_id, reference, member_id, tickets)"
               " VALUES (:draw, :reference, :member, :tickets)",
            soci::use(draw_id), soci::use(entrant.reference), soci::use(entrant.member_id), soci::use(entrant.tickets);
    }
    for (const DrawPlaceRecord& place : result.places) {
        const std::string state(core::to_string(place.state));
        soci::indicator prize_indicator = place.prize ? soci::i_ok : soci::i_null;
        const long long prize = place.prize.value_or(0);
        soci::indicator claim_indicator = place.claim_by ? soci::i_ok : soci::i_null;
        const std::string claim_by = place.claim_by ? to_sql_time(*place.claim_by) : std::string();
        sql << "INSERT INTO draw_places (draw_id, place, prize, reference, member_id, ticket, attempt, state, claim_by)"
               " VALUES (:draw, :place, :prize, :reference, :member, :ticket, :attempt, :state, :claim_by)",
            soci::use(draw_id), soci::use(place.place), soci::use(prize, prize_indicator), soci::use(place.reference),
            soci::use(place.member_id), soci::use(place.ticket), soci::use(place.attempt), soci::use(state),
            soci::use(claim_by, claim_indicator);
    }
    return true;
}

std::vector<DrawEntrantRecord> draw_entrants(soci::session& sql, long long draw_id) {
    std::vector<DrawEntrantRecord> entrants;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT reference, CAST(member_id AS SIGNED), tickets FROM draw_entrants"
                        " WHERE draw_id = :draw ORDER BY reference",
         soci::use(draw_id));
    for (const soci::row& row : rows) {
        entrants.push_back(DrawEntrantRecord{row.get<std::string>(0), integer_at(row, 1), integer_at(row, 2)});
    }
    return entrants;
}

std::vector<DrawPlaceRecord> draw_places(soci::session& sql, long long draw_id) {
    std::vector<DrawPlaceRecord> places;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " + place_columns() + " FROM draw_places WHERE draw_id = :draw ORDER BY place",
         soci::use(draw_id));
    for (const soci::row& row : rows) places.push_back(place_from(row, 0));
    return places;
}

std::map<long long, std::vector<DrawPlaceRecord>> member_draw_places(soci::session& sql, long long member_id) {
    std::map<long long, std::vector<DrawPlaceRecord>> places;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(draw_id AS SIGNED), " + place_columns() +
                            " FROM draw_places WHERE member_id = :member ORDER BY draw_id, place",
         soci::use(member_id));
    for (const soci::row& row : rows) places[integer_at(row, 0)].push_back(place_from(row, 1));
    return places;
}

void set_draw_place(soci::session& sql, long long draw_id, const DrawPlaceRecord& place) {
    const std::string state(core::to_string(place.state));
    soci::indicator prize_indicator = place.prize ? soci::i_ok : soci::i_null;
    const long long prize = place.prize.value_or(0);
    soci::indicator claim_indicator = place.claim_by ? soci::i_ok : soci::i_null;
    const std::string claim_by = place.claim_by ? to_sql_time(*place.claim_by) : std::string();
    soci::indicator claimed_indicator = place.claimed_at ? soci::i_ok : soci::i_null;
    const std::string claimed_at = place.claimed_at ? to_sql_time(*place.claimed_at) : std::string();
    sql << "UPDATE draw_places SET prize = :prize, state = :state, claim_by = :claim_by, claimed_at = :claimed_at"
           " WHERE draw_id = :draw AND place = :place",
        soci::use(prize, prize_indicator), soci::use(state), soci::use(claim_by, claim_indicator),
        soci::use(claimed_at, claimed_indicator), soci::use(draw_id), soci::use(place.place);
}

std::vector<std::pair<long long, long long>> draws_with_lapsed_claims(soci::session& sql, core::Timestamp now,
                                                                      std::size_t limit) {
    const std::string at = to_sql_time(now);
    const long long most = static_cast<long long>(limit);
    std::vector<std::pair<long long, long long>> draws;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(d.program_id AS SIGNED), CAST(d.id AS SIGNED) FROM draws d"
                        " JOIN (SELECT DISTINCT draw_id FROM draw_places WHERE state = 'won' AND claim_by <= :now) p"
                        " ON p.draw_id = d.id WHERE d.state = 'drawn' ORDER BY d.id LIMIT :most",
         soci::use(at), soci::use(most));
    for (const soci::row& row : rows) draws.emplace_back(integer_at(row, 0), integer_at(row, 1));
    return draws;
}

std::vector<std::string> draw_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    const auto lines = [&](const std::string& query, const std::string& what) {
        soci::rowset<soci::row> rows = sql.prepare << query;
        for (const soci::row& row : rows) {
            found.push_back(what + " " + std::to_string(integer_at(row, 0)) + ": " + row.get<std::string>(1));
        }
    };
    lines(
        "SELECT CAST(id AS SIGNED), CONCAT('holds ', entries, ' of ', earned, ' earned') FROM draw_entries"
        " WHERE entries < 0 OR entries > earned",
        "draw entry");
    lines(
        "SELECT CAST(c.id AS SIGNED), CONCAT(IF(c.used_at IS NULL, 'unused', 'used'), ', with ', COUNT(e.id),"
        " ' entries') FROM draw_codes c LEFT JOIN draw_entries e ON e.code_id = c.id AND e.source = 'code'"
        " GROUP BY c.id, c.used_at HAVING COUNT(e.id) <> IF(c.used_at IS NULL, 0, 1)",
        "draw code");
    lines(
        "SELECT CAST(d.id AS SIGNED), CONCAT('records ', d.tickets, ' tickets, its entrants hold ',"
        " IFNULL(SUM(n.tickets), 0)) FROM draws d LEFT JOIN draw_entrants n ON n.draw_id = d.id"
        " WHERE d.state = 'drawn' GROUP BY d.id, d.tickets HAVING IFNULL(SUM(n.tickets), 0) <> d.tickets",
        "draw");
    lines(
        "SELECT CAST(p.draw_id AS SIGNED), CONCAT('place ', p.place + 1, ' names member ', p.member_id,"
        " ', its entrant is ', IFNULL(n.member_id, 'missing')) FROM draw_places p LEFT JOIN draw_entrants n"
        " ON n.draw_id = p.draw_id AND n.reference = p.reference WHERE n.member_id IS NULL"
        " OR n.member_id <> p.member_id",
        "draw");
    // A reserve waits without a prize; any other place holds one with its claim_by, and a claimed
    // one says when.
    lines(
        "SELECT CAST(draw_id AS SIGNED), CONCAT('place ', place + 1, ' is ', state, IF(prize IS NULL,"
        " ' without a prize', ' with a prize'), IF(claim_by IS NULL, ', no claim_by', ''),"
        " IF(state = 'claimed' AND claimed_at IS NULL, ', no claimed_at', '')) FROM draw_places"
        " WHERE (state = 'reserve') <> (prize IS NULL) OR (state <> 'reserve' AND claim_by IS NULL)"
        " OR (state = 'claimed' AND claimed_at IS NULL)",
        "draw");
    return found;
}

}  // namespace patron::store
