// The HTTP status of every StatusCode (engine/serve/http_status.h): a
// client's mistake is a 4xx, a fault on the server's side a 5xx.
#include "engine/serve/http_status.h"

#include <gtest/gtest.h>

namespace orgsim::serve {
namespace {

TEST(HttpStatusOf, ClientMistakesAre4xxAndServerFaults5xx) {
  EXPECT_EQ(HttpStatusOf(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusOf(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusOf(StatusCode::kAlreadyExists), 400);
  EXPECT_EQ(HttpStatusOf(StatusCode::kCancelled), 409);
  EXPECT_EQ(HttpStatusOf(StatusCode::kIoError), 500);
  EXPECT_EQ(HttpStatusOf(StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusOf(StatusCode::kInternal), 500);
}

TEST(HttpStatusOf, TheWordingOfAMessageDoesNotChooseTheStatus) {
  // Same code, messages that mention other failures: same status.
  EXPECT_EQ(HttpStatusOf(InvalidArgumentError("internal error: not found").code()), 400);
  EXPECT_EQ(HttpStatusOf(InternalError("invalid argument").code()), 500);
}

}  // namespace
}  // namespace orgsim::serve
