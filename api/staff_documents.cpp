#include "api/staff_documents.h"

namespace patron::api {

nlohmann::json staff_user_document(const store::StaffUserRecord& user) {
    return {{"id", user.id},
            {"email", user.email},
            {"name", user.name},
            {"role", core::to_string(user.role)},
            {"status", user.status}};
}

}  // namespace patron::api
