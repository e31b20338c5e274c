// A rule document as the marketer wrote it. A draft is a document by nature: it is edited entry
// by entry, stored and shown back in the marketer's own words (fields left out stay left out), and
// published versions are kept the same way, so the type keeps the JSON rather than a RuleSet (which
// has no encoder that could give the marketer's document back). validate() reads it into the
// RuleSet the engine runs, with every problem by JSON path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

// The lists of a rule document whose entries are edited one by one, by id.
enum class RuleList { kRules, kCashback, kStampCards };

// The list's field in the document ("rules", "cashback", "stamp_cards").
std::string_view rule_list_name(RuleList list);

// One entry of a list (an earn rule, a cashback rule or a stamp card) as the marketer sent it,
// filed under its id. What it says is checked with the whole document it joins.
class RuleEntry {
  public:
    // `entry` must be a JSON object whose "id", if it names one, is `id` (VALIDATION_FAILED at "$"
    // or "id"); the entry carries `id` either way.
    static Result<RuleEntry> read(const nlohmann::json& entry, const std::string& id);

    const std::string& id() const { return id_; }
    const nlohmann::json& as_json() const { return entry_; }

  private:
    RuleEntry(nlohmann::json entry, std::string id) : entry_(std::move(entry)), id_(std::move(id)) {}

    nlohmann::json entry_;
    std::string id_;
};

class RuleDocument {
  public:
    // {"rules": []}: a program that gives nothing.
    RuleDocument();
    explicit RuleDocument(nlohmann::json document) : document_(std::move(document)) {}

    // The document in `text`, or MALFORMED_JSON.
    static Result<RuleDocument> parse(std::string_view text);
    // A document Patron stored itself (as text()). Should the text not be JSON, it reads as a
    // value that no validation accepts rather than failing the read.
    static RuleDocument stored(std::string_view text);

    const nlohmann::json& as_json() const { return document_; }
    // Compact JSON text, as it is stored.
    std::string text() const;
    // The rule set the document describes (version 0: not published), or one VALIDATION_FAILED
    // error listing every problem by JSON path. Ids are judged as `ids` says (core/rule_set.h): a
    // document to save or publish as kWritten, one read back from storage as kStored.
    Result<RuleSet> validate(RuleIdCheck ids = RuleIdCheck::kWritten) const;

    // Adds the entry to `list` (making the list if the document has none), or replaces the entry
    // that has its id.
    void put(RuleList list, const RuleEntry& entry);
    // Removes the entries of `list` with `id`; false (and the document unchanged) when there are none.
    bool remove(RuleList list, const std::string& id);

  private:
    nlohmann::json document_;
};

}  // namespace patron::core
