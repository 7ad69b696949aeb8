// Milestone timings for measuring the app as a user meets it: with
// BITCASK_BROWSER_TIMING=1 in the environment, how long after launch the
// first keys were shown and how long each filter took go to stderr.
#pragma once

#include <QElapsedTimer>

namespace bb::timing {

// Starts the launch clock (first thing in main()).
void markLaunch();
// Prints "<what>: N ms after launch" when timing is on.
void sinceLaunch(const char* what);
// Prints "<what>: N ms" measured by `timer` when timing is on.
void since(const char* what, const QElapsedTimer& timer);

}  // namespace bb::timing
