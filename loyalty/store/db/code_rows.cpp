#include "loyalty/store/db/code_rows.h"

#include <soci/soci.h>

#include <algorithm>

namespace patron::store {
namespace {

constexpr std::size_t kCodesPerInsert = 1000;

}  // namespace

long long insert_code_rows(soci::session& sql, const std::string& head, const std::vector<std::string>& codes,
                           const std::function<std::string(std::size_t)>& rest_of) {
    long long inserted = 0;
    for (std::size_t start = 0; start < codes.size(); start += kCodesPerInsert) {
        const std::size_t end = std::min(codes.size(), start + kCodesPerInsert);
        std::string statement = head;
        for (std::size_t i = start; i < end; ++i) {
            statement += (i == start ? "(:c" : ", (:c") + std::to_string(i - start) + rest_of(i);
        }
        soci::statement insert(sql);
        insert.alloc();
        insert.prepare(statement);
        for (std::size_t i = start; i < end; ++i) insert.exchange(soci::use(codes[i]));
        insert.define_and_bind();
        insert.execute(true);
        inserted += insert.get_affected_rows();
    }
    return inserted;
}

}  // namespace patron::store
