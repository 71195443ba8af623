// Secrets of the workshop server: run ids, cancel keys, access tokens.
//
//   std::string token = RandomHex128();     // 32 hex digits from std::random_device
//   if (SameSecret(given, token)) ...       // compares without an early exit
#pragma once

#include <cstdio>
#include <random>
#include <string>

namespace orgsim::serve {

// 128 random bits as 32 lowercase hex digits: cannot be guessed from another one.
inline std::string RandomHex128() {
  std::random_device device;
  std::string hex;
  char word[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(word, sizeof(word), "%08x", static_cast<unsigned>(device()));
    hex += word;
  }
  return hex;
}

// True when `given` equals `secret`; the time taken does not depend on where
// they first differ, so a client cannot find a token byte by byte.
inline bool SameSecret(const std::string& given, const std::string& secret) {
  if (given.size() != secret.size() || secret.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < secret.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
  return diff == 0;
}

}  // namespace orgsim::serve
