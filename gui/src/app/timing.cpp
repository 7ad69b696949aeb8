#include "app/timing.h"

#include <cstdio>
#include <cstdlib>

namespace bb::timing {

namespace {
QElapsedTimer& launchClock() {
  static QElapsedTimer clock;
  return clock;
}
bool enabled() {
  static const bool on = std::getenv("BITCASK_BROWSER_TIMING") != nullptr;
  return on;
}
}  // namespace

void markLaunch() { launchClock().start(); }

void sinceLaunch(const char* what) {
  if (enabled() && launchClock().isValid()) {
    std::fprintf(stderr, "timing: %s: %lld ms after launch\n", what,
                 static_cast<long long>(launchClock().elapsed()));
  }
}

void since(const char* what, const QElapsedTimer& timer) {
  if (enabled()) {
    std::fprintf(stderr, "timing: %s: %lld ms\n", what, static_cast<long long>(timer.elapsed()));
  }
}

}  // namespace bb::timing
