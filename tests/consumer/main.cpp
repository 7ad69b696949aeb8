// Uses an installed Bitcask through its JSON API: open a fresh directory, put, get, remove,
// close, reopen. Prints OK and returns 0 when every result is as expected.
#include <bitcask/bitcask.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "bitcask-consumer-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  const std::filesystem::path root = tmpl;
  const std::filesystem::path dir = root / "db";

  try {
    const nlohmann::json user = {{"name", "test"}, {"values", {1, 2, 3}}, {"active", true}};
    {
      bitcask::Bitcask db(dir);
      db.put("key1", "value1");
      db.put("user:1", user);

      const auto v1 = db.get("key1");
      expect(v1.has_value() && *v1 == "value1", "get(key1) == \"value1\"");
      const auto u1 = db.get("user:1");
      expect(u1.has_value() && *u1 == user, "get(user:1) == the object put");
      expect(!db.get("missing").has_value(), "get(missing) is empty");

      expect(db.remove("key1"), "remove(key1) returns true");
      expect(!db.get("key1").has_value(), "get(key1) is empty after remove");
      expect(!db.remove("key1"), "remove(key1) again returns false");
      db.close();
    }
    {
      bitcask::Bitcask db(dir);
      const auto u1 = db.get("user:1");
      expect(u1.has_value() && *u1 == user, "user:1 survives close and reopen");
      expect(!db.get("key1").has_value(), "key1 stays removed after reopen");
      db.close();
    }
  } catch (const bitcask::Error& e) {
    std::cerr << "FAILED: bitcask::Error (" << bitcask::to_string(e.code()) << "): " << e.what()
              << "\n";
    ++failures;
  } catch (const std::exception& e) {
    std::cerr << "FAILED: exception: " << e.what() << "\n";
    ++failures;
  }

  std::error_code ec;
  std::filesystem::remove_all(root, ec);

  if (failures != 0) {
    std::cerr << failures << " check(s) failed (bitcask " << bitcask::kVersion << ")\n";
    return 1;
  }
  std::cout << "OK (bitcask " << bitcask::kVersion << ")\n";
  return 0;
}
