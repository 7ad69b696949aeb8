// The JSON API, shaped like the Python original's:
//
//   bitcask::Options opts;
//   bitcask::Bitcask db("data_directory", opts);  // opens or creates
//   db.put("key1", "value1");
//   db.put("key2", {{"name", "test"}, {"values", {1, 2, 3}}});
//   std::optional<bitcask::Json> v = db.get("key1");
//   bool existed = db.remove("key1");
//   db.close();
//
// Values are stored as their compact JSON text. Values written by the Python
// original may hold NaN / Infinity, which are not strict JSON: get() returns
// them as floating-point NaN / infinity, and get_text() returns the text as
// stored.
//
// Object members keep the order they were written in: {"id": 1,
// "created_at": …} is stored, read back and shown as written, the way the
// Python original's dicts keep it. The API's JSON type is therefore
// nlohmann::ordered_json (bitcask::Json), not nlohmann::json, whose objects
// are sorted maps. Code written against nlohmann::json still compiles: a
// nlohmann::json converts to and from bitcask::Json implicitly (a copy;
// converting to nlohmann::json sorts the members again). Note that
// ordered_json's == compares objects member by member in order, so two
// objects with the same members in another order differ; convert both to
// nlohmann::json to compare them as sets.
#pragma once

#include <bitcask/db.h>
#include <bitcask/error.h>
#include <bitcask/export.h>
#include <bitcask/options.h>
#include <bitcask/peek.h>
#include <bitcask/version.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace bitcask {

// The JSON values of this API: objects keep their members in the order
// written (see above).
using Json = nlohmann::ordered_json;

class BITCASK_EXPORT Bitcask {
 public:
  explicit Bitcask(const std::filesystem::path& dir, const Options& options = {});
  ~Bitcask();
  Bitcask(Bitcask&&) noexcept;
  Bitcask& operator=(Bitcask&&) noexcept;

  void put(std::string_view key, const Json& value);
  // Reads as absent once `ttl` has passed.
  void put(std::string_view key, const Json& value, std::chrono::milliseconds ttl);
  std::optional<Json> get(std::string_view key) const;
  // The stored text of the value, unparsed.
  std::optional<std::string> get_text(std::string_view key) const;
  bool remove(std::string_view key);
  // Writes every member of `object` (key -> value) as one atomic batch, like
  // the Python original's batch_write({...}).
  void batch_write(const Json& object);
  void close();

  DB& db();
  const DB& db() const;

 private:
  std::unique_ptr<DB> db_;
};

// How deeply JSON may nest (arrays and objects inside one another) to be
// taken as JSON. nlohmann's dump(), copies and comparisons recurse once a
// level, so a value nested 100,000 deep overflows the stack; Python's json
// module stops near 1,000 levels, and real data nests a few dozen. Deeper
// text is refused before anything that deep is built.
inline constexpr int kMaxJsonDepth = 512;

// Compact JSON text of a value, as stored. Fast for plain strings.
BITCASK_EXPORT std::string to_json_text(const Json& value);
// Parses strict JSON text like Json::parse (members in the order written), throwing its
// parse_error on bad syntax. Also throws Error(kInvalidArgument), naming the
// byte, for text that holds a NUL byte (nlohmann stops reading there and
// would drop the rest silently), nests deeper than `max_depth` levels or
// holds a number nlohmann would round (beyond 64-bit integers, over 17
// digits).
BITCASK_EXPORT Json parse_strict_json(std::string_view text, int max_depth = kMaxJsonDepth);
// Parses stored JSON text. Accepts the Python original's NaN, Infinity and
// -Infinity tokens as floating-point values. Throws Error(kCorruption) with
// the position on text that is not JSON, holds a NUL byte or nests deeper
// than kMaxJsonDepth.
BITCASK_EXPORT Json parse_json_text(std::string_view text);
// True when parse_strict_json(text) would succeed; false for anything else,
// including text that parses only with the Python extensions (NaN,
// Infinity). Builds nothing.
BITCASK_EXPORT bool is_strict_json(std::string_view text);

}  // namespace bitcask
