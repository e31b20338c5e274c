// The master keys, read from the keys file (never from configuration or the database). Master
// keys have ids; one is active for wrapping new data keys, older ones still unwrap. A separate
// index key feeds the blind indexes. The file must be mode 0600: anything looser is refused.
//
// File format, one entry per line ('#' starts a comment):
//   master <id> <base64 of 32 bytes>
//   active <id>
//   index <base64 of 32 bytes>
#pragma once

#include <expected>
#include <map>
#include <string>

#include "crypto/bytes.h"
#include "crypto/secure_random.h"

namespace patron::crypto {

class KeyRing {
  public:
    // The ring from a keys file, or a one-line reason why it cannot be used.
    static std::expected<KeyRing, std::string> load(const std::string& path);
    static std::expected<KeyRing, std::string> parse(std::string_view text);

    // A new keys file's text with one fresh master key and a fresh index key.
    static std::string generate(RandomSource& random, const std::string& master_key_id);

    const std::string& active_id() const { return active_id_; }
    const SecretBytes& active() const { return masters_.at(active_id_); }
    // The master key with this id, or nullptr when the ring does not hold it.
    const SecretBytes* master(const std::string& id) const;
    const SecretBytes& index_key() const { return index_key_; }

  private:
    std::map<std::string, SecretBytes> masters_;
    std::string active_id_;
    SecretBytes index_key_;
};

}  // namespace patron::crypto
