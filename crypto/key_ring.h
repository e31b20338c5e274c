// The master keys, read from the keys file (never from configuration or the database). Master
// keys have ids; one is active for wrapping new data keys, older ones still unwrap. A separate
// index key feeds the blind indexes. The file must be mode 0600: anything looser is refused.
// The ring follows its file while the process runs, so `patronctl keys rotate` can add and
// activate a master key without a restart: a reader asking for an id the ring does not hold
// reads the file again first, and patrond re-reads it every few seconds.
//
// File format, one entry per line ('#' starts a comment):
//   master <id> <base64 of 32 bytes>
//   active <id>
//   index <base64 of 32 bytes>
#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <string>

#include "crypto/bytes.h"
#include "crypto/secure_random.h"

namespace patron::crypto {

// How often a long-running process looks at its keys file for changes. A rotation waits a few
// of these before its last pass, so that no server still wraps new keys under the old master.
constexpr std::chrono::seconds kKeysFileFollowInterval{2};

// Writes a keys file whole or not at all (a temporary file renamed over it), mode 0600.
[[nodiscard]] std::expected<void, std::string> write_keys_file(const std::string& path, const std::string& text);

// The master keys at one moment: a snapshot that stays whole while the file changes.
struct MasterKeys {
    std::map<std::string, SecretBytes> keys;
    std::string active_id;

    const SecretBytes& active() const { return keys.at(active_id); }
    // The master key with this id, or nullptr when the snapshot does not hold it.
    const SecretBytes* find(const std::string& id) const;
};

class KeyRing {
  public:
    // The ring from a keys file, or a one-line reason why it cannot be used.
    [[nodiscard]] static std::expected<KeyRing, std::string> load(const std::string& path);
    // A ring from text alone (tests): it has no file to follow.
    [[nodiscard]] static std::expected<KeyRing, std::string> parse(std::string_view text);

    // A new keys file's text with one fresh master key and a fresh index key.
    static std::string generate(RandomSource& random, const std::string& master_key_id);
    // The keys file's text for these master keys and this index key.
    static std::string render(const MasterKeys& masters, const SecretBytes& index_key);

    KeyRing(KeyRing&&) noexcept;
    KeyRing& operator=(KeyRing&&) noexcept;
    ~KeyRing();

    std::shared_ptr<const MasterKeys> masters() const;
    // The master keys holding `id`: when the ring does not hold it, the keys file is read again
    // first (another process may have rotated since). nullptr when even the file lacks it.
    std::shared_ptr<const MasterKeys> masters_holding(const std::string& id) const;
    // Reads the keys file again when it changed on disk. The index key cannot change (every blind
    // index depends on it): a file with another one is refused and the ring stays as it was.
    // Answers whether the file was read again.
    [[nodiscard]] std::expected<bool, std::string> reload() const;

    const SecretBytes& index_key() const;

  private:
    struct Live;
    explicit KeyRing(std::unique_ptr<Live> live);
    std::unique_ptr<Live> live_;
};

}  // namespace patron::crypto
