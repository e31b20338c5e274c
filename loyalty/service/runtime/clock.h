// Time comes into services from outside: production uses SystemClock, tests a clock they set.
#pragma once

#include <chrono>

#include "loyalty/core/time.h"

namespace patron::service {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual core::Timestamp now() const = 0;
};

class SystemClock final : public Clock {
  public:
    core::Timestamp now() const override {
        return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    }
};

}  // namespace patron::service
