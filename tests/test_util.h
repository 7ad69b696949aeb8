// Helpers shared by the engine's Qt Test suites.
#pragma once

#include <bitcask/bitcask.h>

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace testutil {

namespace fs = std::filesystem;

inline fs::path path_of(const QTemporaryDir& dir, const char* sub = "db") {
  return fs::path(dir.path().toStdString()) / sub;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
}

inline void append_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::app);
  out << data;
}

// Segment files of a native database, oldest first.
inline std::vector<fs::path> segment_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".seg") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline fs::path fixtures_dir() { return fs::path(BITCASK_FIXTURES_DIR); }

inline bitcask::Options read_only_options() {
  bitcask::Options o;
  o.read_only = true;
  o.create_if_missing = false;
  return o;
}

}  // namespace testutil

// QCOMPARE cannot print nlohmann::json; this shows both sides on failure.
#define QCOMPARE_JSON(actual, expected)                                                     \
  do {                                                                                      \
    const nlohmann::json a_ = (actual), e_ = (expected);                                    \
    QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump()))); \
  } while (0)
