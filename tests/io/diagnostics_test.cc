#include "engine/io/diagnostics.h"

#include <gtest/gtest.h>

#include <vector>

namespace orgsim::io {
namespace {

TEST(Diagnostics, FormatsLikeACompiler) {
  EXPECT_EQ(FormatDiagnostic({.file = "a.textproto",
                              .line = 12,
                              .column = 5,
                              .severity = Severity::kError,
                              .message = "bad"}),
            "a.textproto:12:5: error: bad");
  EXPECT_EQ(FormatDiagnostic({.file = "a.textproto",
                              .line = 3,
                              .column = 1,
                              .severity = Severity::kWarning,
                              .message = "hm"}),
            "a.textproto:3:1: warning: hm");
  // Line 0: about the file as a whole.
  EXPECT_EQ(FormatDiagnostic({.file = "gone.textproto",
                              .line = 0,
                              .column = 0,
                              .severity = Severity::kError,
                              .message = "cannot read file: x"}),
            "gone.textproto: error: cannot read file: x");
}

TEST(Diagnostics, SortsByPositionStablyAndDropsDuplicates) {
  std::vector<Diagnostic> diags = {
      {"f", 9, 1, Severity::kError, "late"},
      {"f", 2, 7, Severity::kError, "second at 2:7"},
      {"f", 2, 3, Severity::kError, "early"},
      {"f", 2, 7, Severity::kWarning, "first at 2:7"},
      {"f", 2, 7, Severity::kError, "second at 2:7"},
  };
  // The two entries at 2:7 keep their relative order (stable sort).
  SortDiagnostics(diags);
  ASSERT_EQ(diags.size(), 4u);
  EXPECT_EQ(diags[0].message, "early");
  EXPECT_EQ(diags[1].message, "second at 2:7");
  EXPECT_EQ(diags[2].message, "first at 2:7");
  EXPECT_EQ(diags[3].message, "late");
}

TEST(Diagnostics, WarningsAreNotErrors) {
  EXPECT_FALSE(HasErrors({{"f", 1, 1, Severity::kWarning, "w"}}));
  EXPECT_TRUE(
      HasErrors({{"f", 1, 1, Severity::kWarning, "w"}, {"f", 1, 1, Severity::kError, "e"}}));
}

}  // namespace
}  // namespace orgsim::io
