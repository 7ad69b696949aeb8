#include <absl/container/flat_hash_set.h>
#include <bitcask/bitcask.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BITCASK_AVX2_DISPATCH 1
#endif

namespace bitcask {

namespace {

// Plain: a byte that needs no escaping inside JSON quotes and is ASCII, so
// a string of them is its own JSON text. nlohmann's dump() and parse() of
// long strings cost tens of microseconds (FACTS.md), 40 to 80 instructions a
// character (callgrind); these checks take 16 bytes a step with SSE2 (GCC 12
// does not vectorise the scalar loop).
bool plain_byte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

#if defined(__SSE2__)
// Nonzero lanes: bytes that are not plain.
__m128i not_plain(__m128i v) {
  // As signed bytes, everything below 0x20 and everything above 0x7f is < 0x20.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  return _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)),
                      _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
}
#endif

// Copies plain bytes of [p, p + n) to `out` (which may be p - 1: the copy
// runs forward, each block read before it is overwritten) and returns how
// many it copied: n when all of them are plain, less when it met one that is
// not (counting stops at a block boundary before it). Checking and copying in
// one pass reads each character once.
std::size_t copy_plain_sse2(const char* p, std::size_t n, char* out) {
  const char* const begin = p;
  const char* const end = p + n;
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16, out += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (_mm_movemask_epi8(not_plain(v)) != 0) return static_cast<std::size_t>(p - begin);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
  }
#endif
  for (; p < end; ++p, ++out) {
    if (!plain_byte(*p)) return static_cast<std::size_t>(p - begin);
    *out = *p;
  }
  return n;
}

// True when every byte of `s` is plain: its JSON text is the bytes in quotes.
bool is_plain_ascii_sse2(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
#if defined(__SSE2__)
  // 32 bytes a step, one branch for both halves.
  for (; end - p >= 32; p += 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    if (_mm_movemask_epi8(_mm_or_si128(not_plain(a), not_plain(b))) != 0) return false;
  }
#endif
  return std::all_of(p, end, plain_byte);
}

#if defined(BITCASK_AVX2_DISPATCH)
// The same 32 bytes a step, where the processor has AVX2 (chosen at run
// time: the build targets plain x86-64). A 10 KB value is checked and copied
// in half the time, on every put and get of a string.
__attribute__((target("avx2"))) __m256i not_plain_avx2(__m256i v) {
  const __m256i space = _mm256_set1_epi8(0x20), del = _mm256_set1_epi8(0x7f);
  const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
  return _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpgt_epi8(space, v), _mm256_cmpeq_epi8(v, del)),
      _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash)));
}

__attribute__((target("avx2"))) std::size_t copy_plain_avx2(const char* p, std::size_t n,
                                                            char* out) {
  const char* const begin = p;
  const char* const end = p + n;
  for (; end - p >= 32; p += 32, out += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    if (_mm256_movemask_epi8(not_plain_avx2(v)) != 0) return static_cast<std::size_t>(p - begin);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
  }
  const auto done = static_cast<std::size_t>(p - begin);
  return done + copy_plain_sse2(p, n - done, out);
}

__attribute__((target("avx2"))) bool is_plain_ascii_avx2(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  for (; end - p >= 64; p += 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    if (!_mm256_testz_si256(_mm256_or_si256(not_plain_avx2(a), not_plain_avx2(b)),
                            _mm256_set1_epi8(-1))) {
      return false;
    }
  }
  return is_plain_ascii_sse2(std::string_view(p, static_cast<std::size_t>(end - p)));
}

// (cpu_init first: this runs among the library's static initialisers.)
const bool kHaveAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

std::size_t copy_plain(const char* p, std::size_t n, char* out) {
#if defined(BITCASK_AVX2_DISPATCH)
  if (kHaveAvx2) return copy_plain_avx2(p, n, out);
#endif
  return copy_plain_sse2(p, n, out);
}

bool is_plain_ascii(std::string_view s) {
#if defined(BITCASK_AVX2_DISPATCH)
  if (kHaveAvx2) return is_plain_ascii_avx2(s);
#endif
  return is_plain_ascii_sse2(s);
}

// Appends the JSON text of `value` to *out, as value.dump() writes it. Plain
// strings (keys too) are appended as they are; everything else that is not
// a container goes through nlohmann's own dump, so the text is the same
// byte for byte, escapes and number formats included.
void append_json(const Json& value, std::string* out);

void append_json_string(const std::string& s, std::string* out) {
  if (is_plain_ascii(s)) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
  } else {
    out->append(Json(s).dump());
  }
}

void append_json(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : value.get_ref<const Json::object_t&>()) {
        if (!first) out->push_back(',');
        first = false;
        append_json_string(key, out);
        out->push_back(':');
        append_json(child, out);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const Json& child : value.get_ref<const Json::array_t&>()) {
        if (!first) out->push_back(',');
        first = false;
        append_json(child, out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::string:
      append_json_string(value.get_ref<const std::string&>(), out);
      return;
    default:
      out->append(value.dump());
  }
}

// The text between the quotes when `text` is a JSON string that needs no
// unescaping: the common value, read without nlohmann.
std::optional<std::string_view> plain_string(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
  const std::string_view inside = text.substr(1, text.size() - 2);
  if (!is_plain_ascii(inside)) return std::nullopt;
  return inside;
}

// nlohmann's lexer takes a NUL byte for the end of the input, so `"x"\0junk`
// would parse as "x" and the rest be lost without a word.
void refuse_nul(std::string_view text) {
  if (const std::size_t at = text.find('\0'); at != std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument,
                "NUL byte at byte " + std::to_string(at + 1) +
                    ", which JSON text cannot hold (in a string it is written \\u0000)");
  }
}

// Hands `text` to nlohmann a character at a time and counts how many it
// took: SAX events carry no position, and a walk stopped by one ends where
// the count stops.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, std::size_t* taken) : p_(p), taken_(taken) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    ++*taken_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return p_ == other.p_; }

 private:
  const char* p_;
  std::size_t* taken_;
};

// Accepts strict JSON nested at most `max_depth` deep, building nothing.
class DepthLimitedAcceptor final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit DepthLimitedAcceptor(int max_depth) : max_depth_(max_depth) {}
  bool too_deep() const { return too_deep_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  // nlohmann holds a number it cannot take as a 64-bit integer as a double:
  // an integer literal beyond 64 bits, or more digits than a double keeps,
  // would come back rounded. Such text is not taken as JSON (its bytes are
  // kept and shown as they are).
  bool number_float(number_float_t, const string_t& token) override {
    const bool integer = token.find_first_of(".eE") == string_t::npos;
    const auto digits =
        std::count_if(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (integer || digits > 17) inexact_ = true;
    return !inexact_;
  }
  bool inexact() const { return inexact_; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return --depth_ >= 0; }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return --depth_ >= 0; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) override {
    return false;
  }

 private:
  bool open() {
    too_deep_ = ++depth_ > max_depth_;
    return !too_deep_;
  }

  const int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool inexact_ = false;
};

// Whether `text` may hold a number nlohmann would round: a run of more than
// 17 digits. Most text has none and is not walked again.
bool may_hold_inexact_number(std::string_view text) {
  int run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run > 17) return true;
  }
  return false;
}

// The byte (1-based) just past a number nlohmann would round, or 0.
std::size_t inexact_number_at(std::string_view text) {
  if (!may_hold_inexact_number(text)) return 0;
  std::size_t taken = 0;
  DepthLimitedAcceptor acceptor(kMaxJsonDepth * 4);
  nlohmann::json::sax_parse(CountingIterator(text.data(), &taken),
                            CountingIterator(text.data() + text.size(), &taken), &acceptor);
  return acceptor.inexact() ? taken : 0;
}

// The byte (1-based) at which `text` opens a level deeper than `max_depth`,
// or 0 when it does not (or is not JSON: the parse that follows says so).
// Checked before nlohmann builds anything, in a walk of its own: a parser
// callback could refuse as the level opens, but nlohmann 3.11's callback
// parser is a hundred times slower on large arrays.
std::size_t too_deep_at(std::string_view text, int max_depth) {
  // Text with no more brackets than levels allowed cannot nest deeper: most
  // values are not walked at all.
  const auto opens =
      std::count_if(text.begin(), text.end(), [](char c) { return c == '[' || c == '{'; });
  if (opens <= max_depth) return 0;
  std::size_t taken = 0;
  DepthLimitedAcceptor acceptor(max_depth);
  const char* const begin = text.data();
  nlohmann::json::sax_parse(CountingIterator(begin, &taken),
                            CountingIterator(begin + text.size(), &taken), &acceptor);
  return acceptor.too_deep() ? taken : 0;
}

constexpr std::string_view kSentinelPrefix = "\\u0000bitcask:";

// Rewrites the Python original's bare NaN / Infinity / -Infinity tokens
// (outside strings) as sentinel strings nlohmann can parse. Returns false
// when there are none, or when the text already holds the sentinel prefix
// (then it cannot be rewritten unambiguously).
bool rewrite_python_tokens(std::string_view text, std::string* out) {
  if (text.find(kSentinelPrefix) != std::string_view::npos) return false;
  bool found = false, in_string = false;
  out->clear();
  out->reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out->push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    for (std::string_view token : {"NaN", "Infinity", "-Infinity"}) {
      if (text.substr(i, token.size()) == token) {
        out->append("\"").append(kSentinelPrefix).append(token).append("\"");
        i += token.size() - 1;
        found = true;
        goto next;
      }
    }
    out->push_back(c);
  next:;
  }
  return found;
}

void restore_python_tokens(Json& j) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.size() > 9 && s.compare(0, 9, std::string("\0bitcask:", 9)) == 0) {
      const std::string token = s.substr(9);
      if (token == "NaN")
        j = std::numeric_limits<double>::quiet_NaN();
      else if (token == "Infinity")
        j = std::numeric_limits<double>::infinity();
      else if (token == "-Infinity")
        j = -std::numeric_limits<double>::infinity();
    }
  } else if (j.is_structured()) {
    for (auto& child : j) restore_python_tokens(child);
  }
}

// Builds the value as Json::parse() does, in the same single pass over the
// text refusing what parse_strict_json refuses (nesting deeper than
// allowed, numbers that would be rounded), so valid text is walked once. A
// refusal stops the build; the error, with its byte, then comes from the
// checks that walk the text again (rare, and only for bad text).
//
// Objects are gathered member by member and made a Json object when they
// close, instead of inserted into as nlohmann's DOM parser does: the object
// of an ordered_json is a vector of pair<const string, Json>, whose elements
// are copied, nested values and all, each time the vector grows (a const
// key cannot be moved), and every insertion searches the members before it
// for a duplicate. Gathered first, the members are moved in once, into room
// reserved for them; duplicates are looked for once (a hash set for wide
// objects). A 10 KB object of 40 nested objects read back in 27 % more
// instructions than as a sorted nlohmann::json that way (callgrind).
class StrictDomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  StrictDomBuilder(Json* result, int max_depth) : result_(*result), max_depth_(max_depth) {}
  bool refused() const { return refused_; }

  bool null() { return add(Json(nullptr)); }
  bool boolean(bool b) { return add(Json(b)); }
  bool number_integer(number_integer_t n) { return add(Json(n)); }
  bool number_unsigned(number_unsigned_t n) { return add(Json(n)); }
  bool number_float(number_float_t n, const string_t& token) {
    DepthLimitedAcceptor check(max_depth_);
    if (!check.number_float(n, token)) return refuse();
    return add(Json(n));
  }
  bool string(string_t& s) { return add(Json(s)); }
  bool binary(binary_t& b) { return add(Json::binary(b)); }
  bool start_object(std::size_t) { return open(true); }
  bool key(string_t& k) {
    stack_.back().key = k;
    return true;
  }
  bool end_object() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Json object(Json::value_t::object);
    fill(object.get_ref<Json::object_t&>(), frame.members);
    return add(std::move(object));
  }
  bool start_array(std::size_t) { return open(false); }
  bool end_array() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    return add(Json(std::move(frame.elements)));
  }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    throw ex;  // as parse() would
  }

 private:
  using Members = std::vector<std::pair<std::string, Json>>;
  struct Frame {
    bool object = false;
    Members members;         // an object's, in the order written
    Json::array_t elements;  // an array's
    std::string key;         // the name of the object's next member
  };

  bool open(bool object) {
    if (static_cast<int>(stack_.size()) >= max_depth_) return refuse();
    stack_.emplace_back().object = object;
    return true;
  }

  bool add(Json&& value) {
    if (stack_.empty()) {
      result_ = std::move(value);
      return true;
    }
    Frame& top = stack_.back();
    if (top.object) {
      top.members.emplace_back(std::move(top.key), std::move(value));
    } else {
      top.elements.push_back(std::move(value));
    }
    return true;
  }

  // Moves `members` into `out`; a name written twice keeps its first place
  // and its last value, as nlohmann's parse does.
  static void fill(Json::object_t& out, Members& members) {
    if (has_duplicate(members)) {
      for (auto& [name, value] : members) out[name] = std::move(value);
      return;
    }
    out.reserve(members.size());
    for (auto& [name, value] : members) {
      out.Json::object_t::Container::emplace_back(std::move(name), std::move(value));
    }
  }

  static bool has_duplicate(const Members& members) {
    constexpr std::size_t kPairwise = 16;  // up to this many, comparing is cheaper than hashing
    if (members.size() <= kPairwise) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[i].first == members[j].first) return true;
        }
      }
      return false;
    }
    absl::flat_hash_set<std::string_view> seen;
    seen.reserve(members.size());
    for (const auto& member : members) {
      if (!seen.insert(member.first).second) return true;
    }
    return false;
  }

  bool refuse() {
    refused_ = true;
    return false;
  }

  Json& result_;
  const int max_depth_;
  std::vector<Frame> stack_;  // the arrays and objects open, innermost last
  bool refused_ = false;
};

// Where Bitcask::put and batch_write build a value's text: one buffer a
// thread, reused, so a put allocates nothing for it. Values over
// kScratchMax get a buffer of their own (a thread keeps no more than this).
constexpr std::size_t kScratchMax = 1 << 20;
// The same for the values of Bitcask::batch_write's reused batch.
constexpr std::size_t kBatchScratchMax = 8 << 20;

// Writes the JSON text of the plain string `s` (the bytes in quotes,
// s.size() + 2 of them) at out and returns true; false when `s` is not
// plain (out then holds some of it).
bool plain_string_text(const std::string& s, char* out) {
  if (copy_plain(s.data(), s.size(), out + 1) != s.size()) return false;
  out[0] = '"';
  out[s.size() + 1] = '"';
  return true;
}

// The JSON text of `value` (as to_json_text), in *scratch or *own.
std::string_view json_text_into(const Json& value, std::string* scratch, std::string* own) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    const std::size_t n = s.size() + 2;
    std::string* buf = n <= kScratchMax ? scratch : own;
    // Grown only, never shrunk: a smaller value is written over the front
    // (no clearing of bytes about to be overwritten).
    if (buf->size() < n) buf->resize(n);
    if (plain_string_text(s, buf->data())) return std::string_view(buf->data(), n);
  }
  own->clear();
  append_json(value, own);
  return *own;
}

// The JSON text of `value` (as to_json_text) into the empty *out.
void json_text_to(const Json& value, std::string* out) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    out->resize(s.size() + 2);
    if (plain_string_text(s, out->data())) return;
    out->clear();
  }
  append_json(value, out);
}

thread_local std::string put_scratch;

}  // namespace

std::string to_json_text(const Json& value) {
  std::string out;
  append_json(value, &out);
  return out;
}

Json parse_strict_json(std::string_view text, int max_depth) {
  if (const std::optional<std::string_view> s = plain_string(text)) {
    return Json(std::string(*s));
  }
  refuse_nul(text);
  Json result;
  StrictDomBuilder builder(&result, max_depth);
  if (Json::sax_parse(text, &builder) && !builder.refused()) return result;
  // Refused: say where, with the checks' own walks (too deep first, as
  // before a number is looked at).
  if (const std::size_t at = too_deep_at(text, max_depth)) {
    throw Error(ErrorCode::kInvalidArgument, "JSON nested deeper than " +
                                                 std::to_string(max_depth) + " levels at byte " +
                                                 std::to_string(at));
  }
  if (const std::size_t at = inexact_number_at(text)) {
    throw Error(ErrorCode::kInvalidArgument,
                "JSON number before byte " + std::to_string(at) +
                    " has more digits than a 64-bit integer or a double holds, and would be "
                    "rounded; keep such a value as its exact text (\"raw\" in JSON lines)");
  }
  // Not reached: the builder refuses only what one of the checks finds.
  return Json::parse(text);
}

Json parse_json_text(std::string_view text) {
  auto not_json = [](const std::exception& e) {
    return Error(ErrorCode::kCorruption, std::string("stored value is not JSON: ") + e.what());
  };
  try {
    return parse_strict_json(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string rewritten;
    if (!rewrite_python_tokens(text, &rewritten)) throw not_json(e);
    try {
      Json j = parse_strict_json(rewritten);
      restore_python_tokens(j);
      return j;
    } catch (const nlohmann::json::parse_error&) {
      throw not_json(e);  // the original text's position, not the rewritten one's
    } catch (const Error& deep) {
      throw not_json(deep);
    }
  } catch (const Error& e) {
    throw not_json(e);
  }
}

bool is_strict_json(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return false;
  DepthLimitedAcceptor acceptor(kMaxJsonDepth);
  return nlohmann::json::sax_parse(text, &acceptor);
}

Bitcask::Bitcask(const std::filesystem::path& dir, const Options& options)
    : db_(DB::open(dir, options)) {}
Bitcask::~Bitcask() = default;
Bitcask::Bitcask(Bitcask&&) noexcept = default;
Bitcask& Bitcask::operator=(Bitcask&&) noexcept = default;

void Bitcask::put(std::string_view key, const Json& value) {
  if (value.is_string()) {
    // The common value: a string with nothing to escape is stored as its
    // bytes in quotes, straight from the caller's string (checked, not
    // copied here: the record's encoding is the one copy).
    const std::string& s = value.get_ref<const std::string&>();
    if (is_plain_ascii(s)) {
      const std::string_view parts[] = {"\"", s, "\""};
      db_->put_parts(key, parts);
      return;
    }
  }
  std::string own;
  db_->put(key, json_text_into(value, &put_scratch, &own));
}

void Bitcask::put(std::string_view key, const Json& value, std::chrono::milliseconds ttl) {
  std::string own;
  db_->put_with_ttl(key, json_text_into(value, &put_scratch, &own), ttl);
}

std::optional<Json> Bitcask::get(std::string_view key) const {
  std::string text;
  if (!db_->get(key, &text)) return std::nullopt;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    // The common value, a string with nothing escaped: its text is its bytes
    // in quotes. They are checked and moved over the opening quote in one
    // pass, instead of a check and then a copy.
    const std::size_t inside = text.size() - 2;
    const std::size_t moved = copy_plain(text.data() + 1, inside, text.data());
    if (moved == inside) {
      text.resize(inside);
      return Json(std::move(text));
    }
    // Escapes: put the bytes back where they were, for the parser.
    std::memmove(text.data() + 1, text.data(), moved);
    text[0] = '"';
  }
  try {
    return parse_json_text(text);
  } catch (const Error& e) {
    throw Error(e.code(), "value of key '" + std::string(key) + "': " + e.what());
  }
}

std::optional<std::string> Bitcask::get_text(std::string_view key) const { return db_->get(key); }

bool Bitcask::remove(std::string_view key) { return db_->remove(key); }

void Bitcask::batch_write(const Json& object) {
  if (!object.is_object()) {
    throw Error(
        ErrorCode::kInvalidArgument,
        std::string("batch_write takes a JSON object of key -> value, not ") + object.type_name());
  }
  // One batch a thread, reused (see WriteBatch::clear), unless it grew past
  // what a thread keeps.
  thread_local WriteBatch batch;
  batch.clear();
  std::size_t bytes = 0;
  for (const auto& [key, value] : object.items()) {
    std::string& text = batch.put_in_place(key);
    json_text_to(value, &text);
    bytes += text.capacity();
  }
  db_->write(batch);
  if (bytes > kBatchScratchMax) batch = WriteBatch();
}

void Bitcask::close() { db_->close(); }

DB& Bitcask::db() { return *db_; }
const DB& Bitcask::db() const { return *db_; }

}  // namespace bitcask
