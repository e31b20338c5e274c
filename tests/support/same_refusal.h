// Two answers that must not tell a stranger apart from a member or user: both refused, with the
// same code, message and field.
#pragma once

#include <gtest/gtest.h>

#include "loyalty/core/error.h"

namespace patron::testing {

template <typename A, typename B>
void expect_same_refusal(const core::Result<A>& known, const core::Result<B>& unknown, core::ErrorCode code) {
    ASSERT_FALSE(known.has_value());
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(known.error().code, code);
    EXPECT_EQ(unknown.error().code, code);
    EXPECT_EQ(unknown.error().message, known.error().message);
    EXPECT_EQ(unknown.error().field, known.error().field);
}

}  // namespace patron::testing
