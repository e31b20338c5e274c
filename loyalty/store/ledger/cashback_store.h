// The cashback wallet in the database: its cached balance on the member's account, which line of
// a purchase earned how much (what a return takes back), what each purchase earned and spent,
// and the checks `patronctl verify` runs over its ledger. Callers hold the member's account lock.
#pragma once

#include <vector>

#include "loyalty/core/returns.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// Moves the wallet's cached balance (and any shortfall a return could not take).
void adjust_cashback(soci::session& sql, long long member_id, long long delta, long long shortfall,
                     core::Timestamp now);

// Which line earned how much under which cashback transfer (LotShare::lot_id holds the transfer id).
void insert_cashback_shares(soci::session& sql, long long purchase_id, const std::vector<core::LotShare>& shares);
std::vector<core::LotShare> cashback_shares(soci::session& sql, long long purchase_id);

struct PurchaseCashback {
    long long earned = 0;
    long long spent = 0;
};
void record_purchase_cashback(soci::session& sql, long long purchase_id, const PurchaseCashback& cashback);
PurchaseCashback purchase_cashback(soci::session& sql, long long purchase_id);

// The rule id and version of each cashback earning transfer of the purchase, by transfer id.
struct CashbackEarning {
    long long transfer_id = 0;
    std::string rule_id;
    int rule_version = 0;
};
std::vector<CashbackEarning> cashback_earnings_of_purchase(soci::session& sql, long long purchase_id);

// Every way the cashback ledger, the wallets and the purchases disagree, one line each.
std::vector<std::string> cashback_discrepancies(soci::session& sql);

}  // namespace patron::store
