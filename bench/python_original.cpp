#include "python_original.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

extern char** environ;

namespace bench {

namespace {

namespace fs = std::filesystem;

std::runtime_error failure(const std::string& what) {
  return std::runtime_error("--python-original: " + what);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The last `lines` lines of `text`, for an error message.
std::string tail(const std::string& text, int lines) {
  std::size_t at = text.size();
  for (int i = 0; i <= lines && at != std::string::npos && at > 0; ++i)
    at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

// Runs `argv` in `cwd` with `env`, stdout and stderr into `log`. Returns the
// exit status as waitpid() reports it.
int run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        const fs::path& cwd, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args, envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) throw failure("cannot start " + argv[0] + ": " + std::strerror(err));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw failure("waiting for " + argv[0] + ": " + std::strerror(errno));
  }
  return status;
}

}  // namespace

std::vector<Row> run_python_original(const fs::path& checkout_arg) {
  std::error_code ec;
  const fs::path checkout = fs::absolute(checkout_arg, ec);
  const fs::path script = checkout / "benchmarks" / "benchmark.py";
  const fs::path package = checkout / "src" / "pybitcask" / "__init__.py";
  if (!fs::is_directory(checkout)) throw failure("'" + checkout_arg.string() + "' is no directory");
  for (const fs::path& p : {script, package}) {
    if (!fs::is_regular_file(p)) {
      throw failure("'" + checkout.string() +
                    "' is not a checkout of the Python original: " + p.string() +
                    " is missing (check out agaonker/pybitcask at 39e8b5b, the commit of its "
                    "benchmark)");
    }
  }

  // Its results and data directories are relative to the working directory.
  ScratchDir work("python-original");
  fs::create_directories(work.path());
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "PYTHONPATH=", 11) != 0) env.emplace_back(*e);
  }
  env.push_back("PYTHONPATH=" + (checkout / "src").string());
  env.push_back("PYTHONDONTWRITEBYTECODE=1");  // leave the checkout as it was
  const fs::path log = work.path() / "benchmark.log";
  progress("python-original: running %s (a few minutes)", script.c_str());
  const auto t0 = Clock::now();
  // Debian's interpreter, whatever else is first on PATH: the one the
  // figures in FACTS.md came from.
  const char* python = "/usr/bin/python3";
  if (!fs::exists(python)) throw failure(std::string(python) + " is missing (apt install python3)");
  const int status = run({python, script.string()}, env, work.path(), log);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status)
                                ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                : "was killed by signal " + std::to_string(WTERMSIG(status));
    throw failure(script.string() + " " + how + "; its output ends:\n" + tail(read_text(log), 15));
  }
  progress("python-original: done in %.1f s", seconds_between(t0, Clock::now()));

  const fs::path results = work.path() / "benchmarks" / "results" / "benchmark_results.json";
  if (!fs::is_regular_file(results))
    throw failure(script.string() + " wrote no " + results.filename().string());
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_text(results));
  } catch (const nlohmann::json::exception& e) {
    throw failure(results.filename().string() + " is not JSON: " + e.what());
  }
  // Its metric names for our operation names.
  static const struct {
    const char* op;
    const char* metric;
  } kMetrics[] = {{"write", "write_times_avg"},
                  {"read", "sequential_read_times_avg"},
                  {"random_read", "random_read_times_avg"},
                  {"batch_write", "batch_write_times_avg"},
                  {"delete", "delete_times_avg"}};
  std::vector<Row> rows;
  try {
    for (const auto& [config, r] : doc.items()) {
      for (const auto& m : kMetrics) {
        Row row;
        row.suite = "python-matrix";
        row.engine = kPythonEngine;
        row.op = m.op;
        row.entries = r.at("data_size").get<std::uint64_t>();
        row.value_size = r.at("value_size").get<std::uint64_t>();
        row.ops = r.at("operations").get<std::uint64_t>();
        row.mean_us = r.at("metrics").at(m.metric).get<double>() * 1e6;
        row.p50_us = row.p99_us = 0;  // it keeps none
        row.ops_per_sec = row.mean_us > 0 ? 1e6 / row.mean_us : 0;
        rows.push_back(std::move(row));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw failure(results.filename().string() + " is not laid out as expected: " + e.what());
  }
  if (rows.empty()) throw failure(results.filename().string() + " holds no configuration");
  return rows;
}

}  // namespace bench
