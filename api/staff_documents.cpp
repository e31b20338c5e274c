#include "api/staff_documents.h"

namespace patron::api {

nlohmann::json staff_user_document(const store::StaffUserRecord& user) {
    return {{"id", user.id}, {"email", user.email}, {"name", user.name}, {"role", user.role}, {"status", user.status}};
}

}  // namespace patron::api
