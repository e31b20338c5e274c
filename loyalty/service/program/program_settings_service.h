// The program's settings as marketers and admins change them: name, currency (only before any
// trading), language, time zone, and the points policy (hold, expiry, what a point pays and the
// smallest redemption, the negative-balance policy, the void window, which returns are taken). A
// change is a partial document, validated whole with every problem by JSON path, applied in one
// transaction and audited with the names of the fields it changed.
#pragma once

#include <nlohmann/json.hpp>

#include "loyalty/core/error.h"
#include "loyalty/core/points.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

struct ProgramSettings {
    store::ProgramProfile profile;
    core::PointsPolicy points;
};

nlohmann::json settings_document(const ProgramSettings& settings);

class ProgramSettingsService {
  public:
    ProgramSettingsService(store::Database& database, const Clock& clock);

    core::Result<ProgramSettings> get(long long program_id);
    core::Result<ProgramSettings> update(const StaffIdentity& staff, const nlohmann::json& change);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
