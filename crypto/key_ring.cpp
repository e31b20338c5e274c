#include "crypto/key_ring.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <tuple>

#include "crypto/aead.h"

namespace patron::crypto {
namespace {

// What tells one version of the keys file from another without reading it.
struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    long long modified_ns = 0;

    bool operator==(const FileStamp&) const = default;
};

struct ParsedFile {
    MasterKeys masters;
    SecretBytes index_key;
};

std::expected<SecretBytes, std::string> decode_key(const std::string& text, int line_number) {
    std::optional<Bytes> bytes = from_base64(text);
    if (!bytes || bytes->size() != kAeadKeySize) {
        return std::unexpected("line " + std::to_string(line_number) + ": key must be 32 bytes in base64");
    }
    SecretBytes key(*bytes);
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return key;
}

std::expected<ParsedFile, std::string> parse_text(std::string_view text) {
    ParsedFile parsed;
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
            parsed.masters.keys.insert_or_assign(first, std::move(*key));
        } else if (kind == "active" && !first.empty()) {
            parsed.masters.active_id = first;
        } else if (kind == "index" && !first.empty()) {
            auto key = decode_key(first, line_number);
            if (!key) return std::unexpected(key.error());
            parsed.index_key = std::move(*key);
        } else {
            return std::unexpected("line " + std::to_string(line_number) + " is not understood");
        }
    }
    if (parsed.masters.keys.empty()) return std::unexpected("no master key");
    if (!parsed.masters.keys.contains(parsed.masters.active_id)) {
        return std::unexpected("the active master key is not in the file");
    }
    if (parsed.index_key.size() != kAeadKeySize) return std::unexpected("no index key");
    return parsed;
}

std::expected<FileStamp, std::string> stamp_of(const std::string& path) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return std::unexpected("keys file " + path + " does not exist");
    if ((info.st_mode & 077) != 0) {
        return std::unexpected("keys file " + path + " must have mode 0600 (chmod 600 " + path + ")");
    }
    return FileStamp{info.st_dev, info.st_ino, info.st_size,
                     static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000LL + info.st_mtim.tv_nsec};
}

std::expected<ParsedFile, std::string> read_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) return std::unexpected("keys file " + path + " cannot be read");
    std::stringstream text;
    text << file.rdbuf();
    std::string content = text.str();
    auto parsed = parse_text(content);
    OPENSSL_cleanse(content.data(), content.size());
    if (!parsed) return std::unexpected("keys file " + path + ": " + parsed.error());
    return parsed;
}

bool same_key(const SecretBytes& a, const SecretBytes& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::expected<void, std::string> write_keys_file(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".new";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return std::unexpected("cannot write " + temporary);
    fchmod(fd, 0600);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t step = ::write(fd, text.data() + written, text.size() - written);
        if (step <= 0) break;
        written += static_cast<std::size_t>(step);
    }
    const bool whole = written == text.size() && fsync(fd) == 0;
    ::close(fd);
    if (!whole || std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        return std::unexpected("cannot write " + path);
    }
    return {};
}

const SecretBytes* MasterKeys::find(const std::string& id) const {
    const auto it = keys.find(id);
    return it == keys.end() ? nullptr : &it->second;
}

struct KeyRing::Live {
    std::string path;  // Empty for a ring parsed from text.
    SecretBytes index_key;
    mutable std::mutex mutex;
    std::shared_ptr<const MasterKeys> masters;
    FileStamp stamp;
};

KeyRing::KeyRing(std::unique_ptr<Live> live) : live_(std::move(live)) {}
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;
KeyRing::~KeyRing() = default;

std::expected<KeyRing, std::string> KeyRing::load(const std::string& path) {
    const auto stamp = stamp_of(path);
    if (!stamp) return std::unexpected(stamp.error());
    auto parsed = read_file(path);
    if (!parsed) return std::unexpected(parsed.error());
    auto live = std::make_unique<Live>();
    live->path = path;
    live->index_key = std::move(parsed->index_key);
    live->masters = std::make_shared<const MasterKeys>(std::move(parsed->masters));
    live->stamp = *stamp;
    return KeyRing(std::move(live));
}

std::expected<KeyRing, std::string> KeyRing::parse(std::string_view text) {
    auto parsed = parse_text(text);
    if (!parsed) return std::unexpected(parsed.error());
    auto live = std::make_unique<Live>();
    live->index_key = std::move(parsed->index_key);
    live->masters = std::make_shared<const MasterKeys>(std::move(parsed->masters));
    return KeyRing(std::move(live));
}

std::string KeyRing::generate(RandomSource& random, const std::string& master_key_id) {
    MasterKeys masters;
    masters.keys.emplace(master_key_id, SecretBytes(random.bytes(kAeadKeySize)));
    masters.active_id = master_key_id;
    return render(masters, SecretBytes(random.bytes(kAeadKeySize)));
}

std::string KeyRing::render(const MasterKeys& masters, const SecretBytes& index_key) {
    std::string text =
        "# Patron master keys. Keep secret: mode 0600, never committed, backed up apart from the data.\n";
    for (const auto& [id, key] : masters.keys) text += "master " + id + " " + to_base64(key.view()) + "\n";
    text += "active " + masters.active_id + "\n";
    text += "index " + to_base64(index_key.view()) + "\n";
    return text;
}

std::shared_ptr<const MasterKeys> KeyRing::masters() const {
    std::lock_guard lock(live_->mutex);
    return live_->masters;
}

std::shared_ptr<const MasterKeys> KeyRing::masters_holding(const std::string& id) const {
    auto current = masters();
    if (current->find(id) == nullptr && reload().value_or(false)) current = masters();
    return current->find(id) != nullptr ? current : nullptr;
}

std::expected<bool, std::string> KeyRing::reload() const {
    if (live_->path.empty()) return false;
    const auto stamp = stamp_of(live_->path);
    if (!stamp) return std::unexpected(stamp.error());
    {
        std::lock_guard lock(live_->mutex);
        if (*stamp == live_->stamp) return false;
    }
    auto parsed = read_file(live_->path);
    if (!parsed) return std::unexpected(parsed.error());
    if (!same_key(parsed->index_key, live_->index_key)) {
        return std::unexpected("keys file " + live_->path + ": the index key changed; every blind index depends on it");
    }
    std::lock_guard lock(live_->mutex);
    live_->masters = std::make_shared<const MasterKeys>(std::move(parsed->masters));
    live_->stamp = *stamp;
    return true;
}

const SecretBytes& KeyRing::index_key() const { return live_->index_key; }

}  // namespace patron::crypto
