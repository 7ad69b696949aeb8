// Erlang external term format, for display: Riak stores its bitcask keys as
// term_to_binary({Bucket, Key}) and many values as term_to_binary(...). The
// engine keeps and exports the stored bytes; this only renders them as text
// for the browser and the tools, decoding with erl_interface's `ei` (the
// decoder that ships with Erlang/OTP), never with a decoder of our own.
#pragma once

#include <bitcask/export.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bitcask {

// `bytes` as Erlang writes the term, e.g. {<<"users">>,<<"u1">>} for
// term_to_binary({<<"users">>, <<"u1">>}): binaries as <<"text">> when
// printable (<<"text"/utf8>> for UTF-8 text) and <<1,2,3>> otherwise, lists,
// strings, tuples, maps, atoms, integers and floats.
//
// nullopt when `bytes` is not exactly one term in the external format
// (version byte 131, nothing after the term), or holds what is not shown:
// compressed terms, pids, ports, references and funs. Safe on any input:
// every length is checked against the bytes before ei reads them, nesting
// stops at 100 levels and inputs over 64 MiB are not decoded. The text is
// cut at about `max_chars` characters, ending in "...".
BITCASK_EXPORT std::optional<std::string> erlang_term_to_text(std::string_view bytes,
                                                              std::size_t max_chars = 4096);

// A Riak KV key: term_to_binary({Bucket, Key}), or {{Type, Bucket}, Key} for
// a bucket type, each part a binary; for bucket and key columns.
struct RiakKey {
  std::string type;  // empty without a bucket type
  std::string bucket;
  std::string key;
  bool typed = false;
};

// The parts of a Riak key, as stored (binaries, not text); nullopt when
// `bytes` is anything else. Decoded with ei, bounded as above.
BITCASK_EXPORT std::optional<RiakKey> riak_key_of(std::string_view bytes);

}  // namespace bitcask
