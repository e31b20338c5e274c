#include "loyalty/store/db/id_list.h"

namespace patron::store {

std::string id_list(std::span<const long long> ids) {
    std::string list;
    for (const long long id : ids) {
        if (!list.empty()) list += ',';
        list += std::to_string(id);
    }
    return list;
}

}  // namespace patron::store
