// QR codes for the workshop's join link, so participants point a phone at
// the projector instead of typing a token. libqrencode (Debian's
// libqrencode-dev) builds the symbol; this module only turns its modules
// into SVG.
//
//   StatusOr<QrCode> qr = EncodeQr("http://192.168.1.20:8080/?token=...");
//   std::string svg = QrSvg(*qr);   // black squares on white, 4-module quiet zone
//
// The text is encoded as 8-bit bytes at error-correction level M (15% of the
// symbol may be lost), in the smallest version (1-40) that holds it.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"

namespace orgsim::serve {

struct QrCode {
  int version = 0;         // 1..40
  int size = 0;            // modules per side: 17 + 4 * version
  std::vector<char> dark;  // size * size, row-major, 1 = dark module

  bool Dark(int row, int col) const {
    return dark[static_cast<std::size_t>(row) * size + col] != 0;
  }
};

// InvalidArgument when `text` is empty or too long for any QR version
// (2331 bytes at level M).
orgsim::StatusOr<QrCode> EncodeQr(std::string_view text);

// The symbol as a standalone SVG: a white square with `quiet_zone` modules
// of margin and one 1x1 <rect> per dark module in a viewBox of module
// units (so it scales crisply to any size), with `title` as its <title>.
std::string QrSvg(const QrCode& code, const std::string& title = "", int quiet_zone = 4);

}  // namespace orgsim::serve
