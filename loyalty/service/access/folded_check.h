// A bearer token's identity taken from memory and confirmed by the request's own read: the
// operation adds `column` (a scalar subquery) to a read it makes anyway, and the identity stands
// only when that column reads `expected`. The server checks the token as any other request's
// whenever the operation did not confirm it (api/server.cpp), so a revoked token, an expired one
// or a disabled user is refused at once, also when another instance made the change.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace patron::service {

class FoldedCheck {
  public:
    enum class State { kUnread, kConfirmed, kChanged };

    FoldedCheck(std::string column, std::string expected)
        : column_(std::move(column)), expected_(std::move(expected)) {}

    const std::string& column() const { return column_; }
    // What `column` read; whether it confirms the identity.
    bool settle(const std::optional<std::string>& value) {
        state_ = value == expected_ ? State::kConfirmed : State::kChanged;
        return state_ == State::kConfirmed;
    }
    State state() const { return state_; }

  private:
    std::string column_;
    std::string expected_;
    State state_ = State::kUnread;
};

}  // namespace patron::service
