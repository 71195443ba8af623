// GoogleTest support for Status and StatusOr (engine/base/status.h).
//
//   EXPECT_OK(store->Verify());                    // a Status
//   ASSERT_OK(opened);                             // or a StatusOr
//   EXPECT_THAT(store.status(), test::StatusIs(StatusCode::kDataLoss));
//   EXPECT_THAT(Load("x"), test::StatusIs(StatusCode::kNotFound, HasSubstr("no scenario")));
//
// Failures print the whole status ("I/O error: disk full"), so a failing test
// says what went wrong, not only that something did.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

#include "engine/base/status.h"

namespace orgsim {

// So GoogleTest prints a Status by its ToString().
inline void PrintTo(const Status& status, std::ostream* out) { *out << status.ToString(); }
template <typename T>
void PrintTo(const StatusOr<T>& status_or, std::ostream* out) {
  *out << (status_or.ok() ? std::string("a value") : status_or.status().ToString());
}

namespace test {

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches an OK Status or a StatusOr holding a value.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const Status& status = ::orgsim::test::StatusOf(arg);
  if (!status.ok()) *result_listener << status.ToString();
  return status.ok();
}

// Matches a Status (or StatusOr) with `code` and, optionally, a message
// matching `message`.
MATCHER_P(StatusIs, code, "has code " + ::testing::PrintToString(static_cast<int>(code))) {
  const Status& status = ::orgsim::test::StatusOf(arg);
  *result_listener << status.ToString();
  return status.code() == code;
}
MATCHER_P2(StatusIs, code, message,
           "has code " + ::testing::PrintToString(static_cast<int>(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message)) {
  const Status& status = ::orgsim::test::StatusOf(arg);
  *result_listener << status.ToString();
  return status.code() == code &&
         ::testing::ExplainMatchResult(message, status.message(), result_listener);
}

}  // namespace test
}  // namespace orgsim

#define EXPECT_OK(expr) EXPECT_THAT((expr), ::orgsim::test::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::orgsim::test::IsOk())
