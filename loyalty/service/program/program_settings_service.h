// The program's settings as marketers and admins change them: name, currency (only before any
// trading), language, time zone, and the points policy (hold, expiry, what a point pays and the
// smallest redemption, the negative-balance policy, the void window, which returns are taken). A
// change arrives decoded (core::decode_program_settings: partial, every problem by JSON path), is
// applied in one transaction and audited with the names of the fields it changed.
#pragma once

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/points.h"
#include "loyalty/core/settings_request.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

struct ProgramSettings {
    store::ProgramProfile profile;
    core::PointsPolicy points;
    core::MessagePolicy messages;
};

class ProgramSettingsService {
  public:
    ProgramSettingsService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    core::Result<ProgramSettings> get(long long program_id);
    core::Result<ProgramSettings> update(const StaffIdentity& staff, const core::ProgramSettingsChange& change);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
