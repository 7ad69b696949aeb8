// Rendering Erlang external terms as text with erl_interface's ei.
//
// ei's decode functions take no buffer length: they trust the term's own
// sizes. So before any ei call reads a term's contents, the size ei_get_type
// reports for it (an arity, a byte count) is checked against the bytes left;
// the input is copied into a buffer with zeroed padding so that the fixed
// parts ei reads (a tag, a length field, an 8-byte float, a 31-byte old
// float) never leave it; and after each call the index must still be inside
// the input. Terms that hold other terms in ways ei walks by itself (pids,
// ports, references, funs) are not shown at all.
#include <bitcask/erlang_term.h>
#include <ei.h>

#include <charconv>
#include <climits>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace bitcask {

namespace {

constexpr int kMaxDepth = 100;
constexpr std::size_t kMaxInput = 64u << 20;
constexpr std::size_t kPadding = 64;  // > every fixed-size part ei reads

void init_ei() {
  // ei_init() must come before other ei calls (erl_interface's manual); for
  // decoding it sets nothing we use, but it is cheap and done once.
  static std::once_flag once;
  std::call_once(once, [] { (void)ei_init(); });
}

bool is_plain_char(unsigned char c) {
  return (c >= 32 && c <= 126) || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\b' ||
         c == '\f' || c == 27;
}

// Appends `c` escaped as in an Erlang string literal.
void append_escaped(std::string* out, char c) {
  switch (c) {
    case '"':
      *out += "\\\"";
      break;
    case '\\':
      *out += "\\\\";
      break;
    case '\n':
      *out += "\\n";
      break;
    case '\r':
      *out += "\\r";
      break;
    case '\t':
      *out += "\\t";
      break;
    case '\v':
      *out += "\\v";
      break;
    case '\b':
      *out += "\\b";
      break;
    case '\f':
      *out += "\\f";
      break;
    case 27:
      *out += "\\e";
      break;
    default:
      out->push_back(c);
  }
}

// True when `s` is UTF-8 text beyond ASCII: some byte over 0x7f, every ASCII
// byte plain, and valid UTF-8 as nlohmann::json checks it when it writes a
// string (the engine's UTF-8 check, see import.cpp).
bool is_utf8_text(std::string_view s) {
  bool wide = false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      wide = true;
    } else if (!is_plain_char(u)) {
      return false;
    }
  }
  if (!wide) return false;
  try {
    (void)nlohmann::json(std::string(s)).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

class Printer {
 public:
  Printer(const char* buf, int len, std::size_t max_chars)
      : buf_(buf), len_(len), max_chars_(max_chars) {}

  // Renders the term at *index and moves past it; false when it is not one.
  bool term(int* index, int depth);

  std::string text() && {
    if (truncated_) out_ += "...";
    return std::move(out_);
  }

 private:
  // Output stops growing at max_chars, but the walk goes on to the end so a
  // term that goes bad after the cut is still refused.
  void emit(std::string_view s) {
    const std::size_t room = out_.size() < max_chars_ ? max_chars_ - out_.size() : 0;
    if (s.size() > room) truncated_ = true;
    out_.append(s.substr(0, room));
  }
  bool inside(int index) const { return index >= 0 && index <= len_; }
  bool fits(int index, int n) const { return n >= 0 && n <= len_ - index; }

  void binary(std::string_view bytes);
  bool atom(int* index, int size);
  bool list(int* index, int size, int depth);
  bool big(int* index, int size);
  void number(double d);

  const char* buf_;
  int len_;
  std::size_t max_chars_;
  std::string out_;
  bool truncated_ = false;
};

void Printer::binary(std::string_view bytes) {
  if (bytes.empty()) return emit("<<>>");
  bool plain = true;
  for (char c : bytes) plain = plain && is_plain_char(static_cast<unsigned char>(c));
  if (plain || is_utf8_text(bytes)) {
    std::string s = "<<\"";
    for (char c : bytes) {
      append_escaped(&s, c);
      if (s.size() > max_chars_) break;
    }
    s += plain ? "\">>" : "\"/utf8>>";
    return emit(s);
  }
  std::string s = "<<";
  for (std::size_t i = 0; i < bytes.size() && s.size() <= max_chars_; ++i) {
    if (i > 0) s += ',';
    s += std::to_string(static_cast<unsigned char>(bytes[i]));
  }
  emit(s + ">>");
}

bool Printer::atom(int* index, int size) {
  if (!fits(*index, size)) return false;
  char name[MAXATOMLEN_UTF8];
  if (ei_decode_atom_as(buf_, index, name, sizeof name, ERLANG_UTF8, nullptr, nullptr) < 0) {
    return false;
  }
  // Unquoted when Erlang would write it so: a lowercase letter, then
  // letters, digits, _ and @.
  const std::string_view a(name);
  bool bare = !a.empty() && a[0] >= 'a' && a[0] <= 'z';
  for (char c : a) {
    bare = bare && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '@');
  }
  if (bare) {
    emit(a);
  } else {
    std::string s = "'";
    for (char c : a) {
      if (c == '\'') {
        s += "\\'";
      } else if (c == '"') {
        s += '"';
      } else {
        append_escaped(&s, c);
      }
    }
    emit(s + "'");
  }
  return true;
}

bool Printer::big(int* index, int size) {
  if (!fits(*index, size)) return false;
  int i = *index;
  EI_LONGLONG v;
  if (ei_decode_longlong(buf_, &i, &v) == 0) {
    *index = i;
    emit(std::to_string(v));
    return inside(*index);
  }
  i = *index;
  EI_ULONGLONG u;
  if (ei_decode_ulonglong(buf_, &i, &u) == 0) {
    *index = i;
    emit(std::to_string(u));
    return inside(*index);
  }
  // Larger than 64 bits: ei's own printer writes it (as 16#HEX).
  char* s = nullptr;
  const int r = ei_s_print_term(&s, buf_, index);
  if (r >= 0 && s != nullptr) emit(s);
  std::free(s);
  return r >= 0 && inside(*index);
}

void Printer::number(double d) {
  // Erlang writes the shortest text that reads back the same, always with a
  // fraction: 2.5, 100.0, 1.0e-10.
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, r.ptr);
  const auto e = s.find('e');
  std::string mant = s.substr(0, e);
  if (mant.find('.') == std::string::npos) mant += ".0";
  if (e == std::string::npos) return emit(mant);
  std::string exp = s.substr(e + 1);
  std::string sign;
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
    if (exp[0] == '-') sign = "-";
    exp.erase(0, 1);
  }
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  emit(mant + "e" + sign + exp);
}

bool Printer::list(int* index, int size, int depth) {
  int n = 0;
  if (!fits(*index, size) || ei_decode_list_header(buf_, index, &n) < 0 || n != size ||
      !inside(*index)) {
    return false;
  }
  emit("[");
  for (int i = 0; i < n; ++i) {
    if (i > 0) emit(",");
    if (!term(index, depth + 1)) return false;
  }
  // The tail: [] for a proper list, any term for an improper one.
  if (*index >= len_) return false;
  int type = 0, tail_size = 0;
  ei_get_type(buf_, index, &type, &tail_size);
  if (type == ERL_NIL_EXT) {
    if (ei_decode_list_header(buf_, index, &tail_size) < 0) return false;
  } else {
    emit("|");
    if (!term(index, depth + 1)) return false;
  }
  emit("]");
  return inside(*index);
}

bool Printer::term(int* index, int depth) {
  if (depth > kMaxDepth || *index < 0 || *index >= len_) return false;
  int type = 0, size = 0;
  if (ei_get_type(buf_, index, &type, &size) < 0) return false;
  switch (type) {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT: {
      long v = 0;
      if (ei_decode_long(buf_, index, &v) < 0) return false;
      emit(std::to_string(v));
      break;
    }
    case ERL_SMALL_BIG_EXT:
    case ERL_LARGE_BIG_EXT:
      if (!big(index, size)) return false;
      break;
    case ERL_FLOAT_EXT: {  // also NEW_FLOAT_EXT: ei_get_type reports both so
      double d = 0;
      if (ei_decode_double(buf_, index, &d) < 0) return false;
      number(d);
      break;
    }
    case ERL_ATOM_EXT:  // and the small and UTF-8 atoms
      if (!atom(index, size)) return false;
      break;
    case ERL_NIL_EXT: {
      int n = 0;
      if (ei_decode_list_header(buf_, index, &n) < 0) return false;
      emit("[]");
      break;
    }
    case ERL_STRING_EXT: {  // a list of small integers, sent compactly
      if (!fits(*index, size)) return false;
      std::string s(static_cast<std::size_t>(size) + 1, '\0');
      if (ei_decode_string(buf_, index, s.data()) < 0) return false;
      s.resize(static_cast<std::size_t>(size));
      bool plain = true;
      for (char c : s) plain = plain && is_plain_char(static_cast<unsigned char>(c));
      if (plain) {
        std::string t = "\"";
        for (char c : s) append_escaped(&t, c);
        emit(t + "\"");
      } else {
        std::string t = "[";
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (i > 0) t += ',';
          t += std::to_string(static_cast<unsigned char>(s[i]));
        }
        emit(t + "]");
      }
      break;
    }
    case ERL_LIST_EXT:
      if (!list(index, size, depth)) return false;
      break;
    case ERL_SMALL_TUPLE_EXT:
    case ERL_LARGE_TUPLE_EXT: {
      int n = 0;
      if (!fits(*index, size) || ei_decode_tuple_header(buf_, index, &n) < 0 || n != size ||
          !inside(*index)) {
        return false;
      }
      emit("{");
      for (int i = 0; i < n; ++i) {
        if (i > 0) emit(",");
        if (!term(index, depth + 1)) return false;
      }
      emit("}");
      break;
    }
    case ERL_MAP_EXT: {
      int n = 0;
      if (size < 0 || size > (len_ - *index) / 2 || ei_decode_map_header(buf_, index, &n) < 0 ||
          n != size || !inside(*index)) {
        return false;
      }
      emit("#{");
      for (int i = 0; i < n; ++i) {
        if (i > 0) emit(",");
        if (!term(index, depth + 1)) return false;
        emit(" => ");
        if (!term(index, depth + 1)) return false;
      }
      emit("}");
      break;
    }
    case ERL_BINARY_EXT: {
      if (!fits(*index, size)) return false;
      std::string bytes(static_cast<std::size_t>(size), '\0');
      long n = 0;
      if (ei_decode_binary(buf_, index, bytes.data(), &n) < 0 || n != size) return false;
      if (!inside(*index)) return false;
      binary(bytes);
      break;
    }
    case ERL_BIT_BINARY_EXT: {
      if (!fits(*index, size)) return false;
      const char* p = nullptr;
      unsigned int bit_offset = 0;
      std::size_t bits = 0;
      if (ei_decode_bitstring(buf_, index, &p, &bit_offset, &bits) < 0 || bit_offset != 0 ||
          !inside(*index) || (bits + 7) / 8 > static_cast<std::size_t>(size)) {
        return false;
      }
      std::string s = "<<";
      const std::size_t whole = bits / 8;
      for (std::size_t i = 0; i < whole && s.size() <= max_chars_; ++i) {
        if (i > 0) s += ',';
        s += std::to_string(static_cast<unsigned char>(p[i]));
      }
      if (bits % 8 != 0) {
        if (whole > 0) s += ',';
        const unsigned rest = static_cast<unsigned>(bits % 8);
        s += std::to_string(static_cast<unsigned char>(p[whole]) >> (8 - rest)) + ":" +
             std::to_string(rest);
      }
      emit(s + ">>");
      break;
    }
    default:  // pids, ports, references, funs, exports, unknown tags
      return false;
  }
  return inside(*index);
}

// A binary term at *index as its bytes, bounded like Printer.
bool decode_binary(const char* buf, int len, int* index, std::string* out) {
  int type = 0, size = 0;
  if (*index >= len || ei_get_type(buf, index, &type, &size) < 0 || type != ERL_BINARY_EXT ||
      size < 0 || size > len - *index) {
    return false;
  }
  out->assign(static_cast<std::size_t>(size), '\0');
  long n = 0;
  return ei_decode_binary(buf, index, out->data(), &n) == 0 && n == size && *index <= len;
}

// A 2-tuple header at *index.
bool decode_pair(const char* buf, int len, int* index) {
  int type = 0, size = 0, arity = 0;
  return *index < len && ei_get_type(buf, index, &type, &size) == 0 &&
         type == ERL_SMALL_TUPLE_EXT && size == 2 &&
         ei_decode_tuple_header(buf, index, &arity) == 0 && arity == 2 && *index <= len;
}

}  // namespace

std::optional<RiakKey> riak_key_of(std::string_view bytes) {
  if (bytes.size() < 2 || bytes.size() > kMaxInput) return std::nullopt;
  init_ei();
  std::string padded(bytes);
  padded.append(kPadding, '\0');
  const char* buf = padded.data();
  const int len = static_cast<int>(bytes.size());
  int index = 0, version = 0;
  if (ei_decode_version(buf, &index, &version) < 0 || !decode_pair(buf, len, &index)) {
    return std::nullopt;
  }
  RiakKey k;
  int type = 0, size = 0;
  if (index < len && ei_get_type(buf, &index, &type, &size) == 0 && type == ERL_SMALL_TUPLE_EXT) {
    k.typed = true;
    if (!decode_pair(buf, len, &index) || !decode_binary(buf, len, &index, &k.type)) {
      return std::nullopt;
    }
  }
  if (!decode_binary(buf, len, &index, &k.bucket) || !decode_binary(buf, len, &index, &k.key) ||
      index != len) {
    return std::nullopt;
  }
  return k;
}

std::optional<std::string> erlang_term_to_text(std::string_view bytes, std::size_t max_chars) {
  if (bytes.size() < 2 || bytes.size() > kMaxInput) return std::nullopt;
  init_ei();
  std::string buf(bytes);
  buf.append(kPadding, '\0');
  const int len = static_cast<int>(bytes.size());
  int index = 0;
  int version = 0;
  if (ei_decode_version(buf.data(), &index, &version) < 0 || index > len) return std::nullopt;
  Printer printer(buf.data(), len, max_chars);
  if (!printer.term(&index, 0) || index != len) return std::nullopt;
  return std::move(printer).text();
}

}  // namespace bitcask
