#include "engine/serve/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "engine/report/svg.h"

namespace orgsim::serve {

orgsim::StatusOr<QrCode> EncodeQr(std::string_view text) {
  if (text.empty()) return orgsim::InvalidArgumentError("a QR code needs some text to encode");
  constexpr std::size_t kMaxBytesAtLevelM =
      2331;  // version 40-M, byte mode (ISO/IEC 18004 table 7)
  if (text.size() > kMaxBytesAtLevelM) {
    return orgsim::InvalidArgumentError("the text is " + std::to_string(text.size()) +
                                        " bytes; a QR code at level M holds at most 2331");
  }
  // version 0 = the smallest that fits.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> symbol(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()),
                        /*version=*/0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!symbol) {
    return orgsim::InvalidArgumentError(std::string("libqrencode could not encode the text: ") +
                                        std::strerror(errno));
  }
  QrCode code;
  code.version = symbol->version;
  code.size = symbol->width;
  const std::size_t cells = static_cast<std::size_t>(code.size) * code.size;
  code.dark.resize(cells);
  // libqrencode's bit 0 of each byte is the module's colour (1 = dark).
  for (std::size_t i = 0; i < cells; ++i) code.dark[i] = static_cast<char>(symbol->data[i] & 1);
  return code;
}

std::string QrSvg(const QrCode& code, const std::string& title, int quiet_zone) {
  const int side = code.size + 2 * quiet_zone;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " +
                    std::to_string(side) + " " + std::to_string(side) + "\" data-modules=\"" +
                    std::to_string(code.size) + "\" shape-rendering=\"crispEdges\" role=\"img\">";
  if (!title.empty()) svg += "<title>" + report::XmlEscape(title) + "</title>";
  svg += "<rect width=\"" + std::to_string(side) + "\" height=\"" + std::to_string(side) +
         "\" fill=\"#fff\"/>";
  svg += "<g fill=\"#000\">";
  for (int row = 0; row < code.size; ++row) {
    for (int col = 0; col < code.size; ++col) {
      if (!code.Dark(row, col)) continue;
      svg += "<rect x=\"" + std::to_string(col + quiet_zone) + "\" y=\"" +
             std::to_string(row + quiet_zone) + "\" width=\"1\" height=\"1\"/>";
    }
  }
  svg += "</g></svg>";
  return svg;
}

}  // namespace orgsim::serve
