// Prize draws (issue 24), the use cases: marketers make a draw as a draft, publish it (Patron
// draws its secret seed and publishes the seed's SHA-256, the commitment), make packaging codes
// and export them for the printer, and after the close run it once with the public value that
// came out; members see their draws and enter codes in the portal, tills enter codes for a card;
// anyone shown a draw's proof can recompute its places (core/draws.h says how). Every change is
// audited.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/draws.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/posting/draw_postings.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/draw_store.h"

namespace patron::service {

inline constexpr long long kDrawCodesPerRequestMax = 100'000;

// What a draw's sealed seed is bound to (a seal copied to another row does not open).
std::string draw_seed_binding(long long draw_id);

struct DrawView {
    store::DrawRecord draw;
    store::DrawCodeCounts codes;
    long long entrants = 0;  // Members holding entries, and their entries, so far.
    long long entries = 0;
    std::vector<store::DrawPlaceRecord> places;  // Once drawn.
    core::Timestamp now{};
};

// What anyone needs to recompute a draw: its commitment, and once drawn the seed, the public value,
// the entrants under their references and the places.
struct DrawProof {
    store::DrawRecord draw;
    crypto::Bytes seed;  // Empty until drawn.
    std::vector<store::DrawEntrantRecord> entrants;
    std::vector<store::DrawPlaceRecord> places;
    core::Timestamp now{};
};

struct MemberDraw {
    store::DrawRecord draw;
    long long entries = 0;
    std::string reference;                       // Hers in the proof, once drawn.
    std::vector<store::DrawPlaceRecord> places;  // The places she holds.
};
struct MemberDraws {
    std::vector<MemberDraw> draws;  // Published, drawn and cancelled ones, newest first.
    core::Timestamp now{};
    std::string language;
    std::string time_zone;
};

struct DrawCodesMade {
    long long draw_id = 0;
    int batch = 0;
    long long made = 0;
};

class DrawService {
  public:
    DrawService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                crypto::RandomSource& random);

    // Admin and marketer staff.
    core::Result<DrawView> create(const StaffIdentity& staff, const core::DrawTerms& terms);
    // DRAW_PUBLISHED once published.
    core::Result<DrawView> update(const StaffIdentity& staff, long long id, const core::DrawTerms& terms);
    core::Result<DrawView> publish(const StaffIdentity& staff, long long id);
    core::Result<DrawView> cancel(const StaffIdentity& staff, long long id);
    // `count` new single-use codes (1..kDrawCodesPerRequestMax) for a draw that takes codes and
    // has not closed; the batch they make.
    core::Result<DrawCodesMade> make_codes(const StaffIdentity& staff, long long id, long long count);
    // A batch's codes (all with batch 0) for the printer; audited, as the codes are worth entries.
    core::Result<std::vector<store::DrawCodeRecord>> export_codes(const StaffIdentity& staff, long long id, int batch);
    // Once, after the close: DRAW_NOT_CLOSED before, DRAW_ALREADY_RUN after.
    core::Result<DrawView> run(const StaffIdentity& staff, long long id, const std::string& public_value);

    // Admin, marketer and support staff: the prize of `place` (1-based, as shown) handed over to its
    // winner (audited as draw.prize_hand_over). Prizes unclaimed past their claim_by are passed on
    // first; DRAW_PRIZE_NOT_CLAIMABLE when the place holds no prize waiting for its claim.
    core::Result<DrawView> claim(const StaffIdentity& staff, long long id, long long place);
    // patrond's housekeeping: in run draws, each prize unclaimed past its claim_by forfeited and
    // passed to the first reserve waiting, who is told (core::pass_unclaimed_prizes). How many
    // places were forfeited.
    core::Result<long long> pass_unclaimed_prizes();

    // Admin, marketer, support and analyst staff.
    core::Result<DrawView> get(const StaffIdentity& staff, long long id);
    core::Result<std::vector<DrawView>> list(const StaffIdentity& staff);
    core::Result<DrawProof> proof(const StaffIdentity& staff, long long id);

    // Members: the programme's published draws with what she holds in each; a draw's proof.
    core::Result<MemberDraws> mine(const MemberIdentity& member);
    core::Result<DrawProof> proof(const MemberIdentity& member, long long id);
    core::Result<DrawCodeEntered> enter_code(const MemberIdentity& member, const std::string& typed);
    // A till enters a code for the card's holder.
    core::Result<DrawCodeEntered> enter_code_at_till(const TerminalIdentity& terminal, const std::string& card,
                                                     const std::string& typed);

  private:
    // A change of one draw by admin or marketer staff: in a transaction, the draw read locked, then
    // `work(sql, draw, now)` (a refusal leaves nothing written), then the draw as it is now.
    using DrawChange = std::function<core::Result<void>(soci::session&, const store::DrawRecord&, core::Timestamp now)>;
    core::Result<DrawView> change(const StaffIdentity& staff, long long id, const DrawChange& work);
    core::Result<DrawView> change_as(const StaffIdentity& staff, core::StaffRoles roles, std::string_view who,
                                     long long id, const DrawChange& work);
    core::Result<DrawView> view(soci::session& sql, long long program_id, long long id);
    // The draw with its codes and entries so far (not its places), as the list shows it.
    DrawView summary(soci::session& sql, store::DrawRecord draw);
    core::Result<DrawProof> proof_of(long long program_id, long long id, bool staff);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
