#include "crypto/key_ring.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "crypto/aead.h"

namespace patron::crypto {
namespace {

std::expected<SecretBytes, std::string> decode_key(const std::string& text, int line_number) {
    std::optional<Bytes> bytes = from_base64(text);
    if (!bytes || bytes->size() != kAeadKeySize) {
        return std::unexpected("line " + std::to_string(line_number) + ": key must be 32 bytes in base64");
    }
    SecretBytes key(*bytes);
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return key;
}

}  // namespace

std::expected<KeyRing, std::string> KeyRing::load(const std::string& path) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return std::unexpected("keys file " + path + " does not exist");
    if ((info.st_mode & 077) != 0) {
        return std::unexpected("keys file " + path + " must have mode 0600 (chmod 600 " + path + ")");
    }
    std::ifstream file(path);
    if (!file) return std::unexpected("keys file " + path + " cannot be read");
    std::stringstream text;
    text << file.rdbuf();
    auto ring = parse(text.str());
    if (!ring) return std::unexpected("keys file " + path + ": " + ring.error());
    return ring;
}

std::expected<KeyRing, std::string> KeyRing::parse(std::string_view text) {
    KeyRing ring;
    std::istringstream lines{std::string(text)};
    std::string line;
    int line_number = 0;
    while (std::getline(lines, line)) {
        ++line_number;
        std::istringstream words(line);
        std::string kind;
        if (!(words >> kind) || kind.starts_with("#")) continue;
        std::string first;
        std::string second;
        words >> first >> second;
        if (kind == "master" && !second.empty()) {
            auto key = decode_key(second, line_number);
            if (!key) return std::unexpected(key.error());
            ring.masters_.insert_or_assign(first, std::move(*key));
        } else if (kind == "active" && !first.empty()) {
            ring.active_id_ = first;
        } else if (kind == "index" && !first.empty()) {
            auto key = decode_key(first, line_number);
            if (!key) return std::unexpected(key.error());
            ring.index_key_ = std::move(*key);
        } else {
            return std::unexpected("line " + std::to_string(line_number) + " is not understood");
        }
    }
    if (ring.masters_.empty()) return std::unexpected("no master key");
    if (!ring.masters_.contains(ring.active_id_)) return std::unexpected("the active master key is not in the file");
    if (ring.index_key_.size() != kAeadKeySize) return std::unexpected("no index key");
    return ring;
}

std::string KeyRing::generate(RandomSource& random, const std::string& master_key_id) {
    const Bytes master = random.bytes(kAeadKeySize);
    const Bytes index = random.bytes(kAeadKeySize);
    std::string text =
        "# Patron master keys. Keep secret: mode 0600, never committed, backed up apart from the data.\n";
    text += "master " + master_key_id + " " + to_base64(master) + "\n";
    text += "active " + master_key_id + "\n";
    text += "index " + to_base64(index) + "\n";
    return text;
}

const SecretBytes* KeyRing::master(const std::string& id) const {
    const auto it = masters_.find(id);
    return it == masters_.end() ? nullptr : &it->second;
}

}  // namespace patron::crypto
