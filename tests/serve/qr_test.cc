// The join link's QR code: libqrencode's symbol for a known input has the
// size its version prescribes (ISO/IEC 18004: 17 + 4 * version modules) and
// the fixed patterns every reader looks for (three finder patterns with
// their separators, the timing patterns, the dark module); the SVG draws
// exactly the dark modules inside a quiet zone.
#include "engine/serve/qr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace orgsim::serve {
namespace {

// The 7x7 finder pattern at (row, col): dark ring, light ring, dark 3x3 core.
bool FinderAt(const QrCode& qr, int row, int col) {
  for (int r = 0; r < 7; ++r) {
    for (int c = 0; c < 7; ++c) {
      const int ring = std::max(std::abs(r - 3), std::abs(c - 3));  // 3 outer, 2 light, <= 1 core
      if (qr.Dark(row + r, col + c) != (ring != 2)) return false;
    }
  }
  return true;
}

void ExpectStructure(const QrCode& qr) {
  ASSERT_EQ(qr.size, 17 + 4 * qr.version);
  ASSERT_EQ(qr.dark.size(), static_cast<std::size_t>(qr.size * qr.size));
  const int far = qr.size - 7;
  EXPECT_TRUE(FinderAt(qr, 0, 0)) << "top-left finder";
  EXPECT_TRUE(FinderAt(qr, 0, far)) << "top-right finder";
  EXPECT_TRUE(FinderAt(qr, far, 0)) << "bottom-left finder";
  EXPECT_FALSE(FinderAt(qr, far, far)) << "no finder bottom-right";
  // Separators: the light border around each finder, inside the symbol.
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(qr.Dark(7, i)) << "top-left separator";
    EXPECT_FALSE(qr.Dark(i, 7));
    EXPECT_FALSE(qr.Dark(7, qr.size - 1 - i)) << "top-right separator";
    EXPECT_FALSE(qr.Dark(qr.size - 8, i)) << "bottom-left separator";
  }
  // Timing patterns: row 6 and column 6 alternate between the finders.
  for (int i = 8; i < qr.size - 8; ++i) {
    EXPECT_EQ(qr.Dark(6, i), i % 2 == 0) << "row timing at " << i;
    EXPECT_EQ(qr.Dark(i, 6), i % 2 == 0) << "column timing at " << i;
  }
  EXPECT_TRUE(qr.Dark(4 * qr.version + 9, 8)) << "the dark module";
}

TEST(Qr, AKnownInputHasItsVersionsModuleCountAndFixedPatterns) {
  // 20 bytes: more than version 1-M holds in byte mode (14), within 2-M (26).
  auto small = EncodeQr("https://example.org/");
  ASSERT_TRUE(small.ok()) << small.status().message();
  EXPECT_EQ(small->version, 2);
  EXPECT_EQ(small->size, 25);
  ExpectStructure(*small);
  // A join link as orgsim serve prints it: 67 bytes, more than version 4-M holds (62).
  const std::string link = "http://192.168.100.200:8080/?token=0123456789abcdef0123456789abcdef";
  ASSERT_EQ(link.size(), 67u);
  auto join = EncodeQr(link);
  ASSERT_TRUE(join.ok());
  EXPECT_EQ(join->version, 5);  // 5-M holds 84 bytes
  EXPECT_EQ(join->size, 37);
  ExpectStructure(*join);
}

TEST(Qr, TheSameTextGivesTheSameSymbol) {
  auto a = EncodeQr("http://127.0.0.1:8080/");
  auto b = EncodeQr("http://127.0.0.1:8080/");
  auto c = EncodeQr("http://127.0.0.1:8081/");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->dark, b->dark);
  EXPECT_NE(a->dark, c->dark);
}

TEST(Qr, TheSvgDrawsEveryDarkModuleInsideTheQuietZone) {
  auto qr = EncodeQr("https://example.org/");
  ASSERT_TRUE(qr.ok());
  const std::string svg = QrSvg(*qr, "Join <here>", 4);
  EXPECT_THAT(svg, ::testing::HasSubstr("viewBox=\"0 0 33 33\""));  // 25 + 2 * 4
  EXPECT_THAT(svg, ::testing::HasSubstr("data-modules=\"25\""));
  EXPECT_THAT(svg, ::testing::HasSubstr("<title>Join &lt;here&gt;</title>"));
  // Read the modules back from the SVG's unit squares.
  std::vector<char> drawn(qr->dark.size(), 0);
  const std::string open = "<rect x=\"";
  std::size_t squares = 0;
  for (auto at = svg.find(open); at != std::string::npos; at = svg.find(open, at + 1)) {
    int x = 0, y = 0, consumed = 0;
    // A unit square only (the full pattern read, %n reached); other rects skip.
    if (std::sscanf(svg.c_str() + at, "<rect x=\"%d\" y=\"%d\" width=\"1\" height=\"1\"/>%n", &x,
                    &y, &consumed) != 2 ||
        consumed == 0) {
      continue;
    }
    x -= 4;
    y -= 4;
    ASSERT_TRUE(x >= 0 && y >= 0 && x < qr->size && y < qr->size) << "a module outside the symbol";
    drawn[static_cast<std::size_t>(y) * qr->size + x] = 1;
    ++squares;
  }
  EXPECT_EQ(drawn, qr->dark);
  EXPECT_EQ(squares, static_cast<std::size_t>(std::count(qr->dark.begin(), qr->dark.end(), 1)));
}

TEST(Qr, EmptyOrOversizedTextIsAnError) {
  EXPECT_EQ(EncodeQr("").status().code(), orgsim::StatusCode::kInvalidArgument);
  auto big = EncodeQr(std::string(3000, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(), ::testing::HasSubstr("2331"));
}

}  // namespace
}  // namespace orgsim::serve
