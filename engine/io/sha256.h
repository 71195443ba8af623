// SHA-256 (FIPS 180-4) of a byte string, as lowercase hex.
//
// Identifies a scenario file's exact bytes in results (the `scenario` table
// and RunSummary.scenario_sha256), so shards and resumed runs can check they
// ran the same input.
//
//   std::string hex = Sha256Hex("abc");
//   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#pragma once

#include <string>
#include <string_view>

namespace orgsim::io {

// The SHA-256 digest of `bytes` as 64 lowercase hex characters.
std::string Sha256Hex(std::string_view bytes);

}  // namespace orgsim::io
