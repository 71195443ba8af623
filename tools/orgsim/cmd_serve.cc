// `orgsim serve [--host 127.0.0.1] [--port 8080] [--scenarios DIR]`: the
// workshop page. Loopback by default; the page and its assets are embedded
// in the binary, so it works from any directory and without network access.
#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include "engine/serve/server.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string scenarios = "scenarios";
  unsigned max_replications = 500;
  int threads = 0;
};

serve::WorkshopServer* g_server = nullptr;

extern "C" void StopServer(int) {
  if (g_server != nullptr) g_server->Stop();
}

int RunServe(const ServeFlags& flags) {
  serve::WorkshopOptions options;
  options.scenarios_dir = flags.scenarios;
  options.max_replications = flags.max_replications;
  options.threads_per_run = flags.threads;
  serve::WorkshopServer server(options);
  if (!serve::IsLoopbackHost(flags.host)) {
    std::cerr << "orgsim serve: warning: listening on " << flags.host
              << ", reachable from other machines; the page has no authentication\n";
  }
  const int port = server.Bind(flags.host, flags.port);
  if (port < 0) {
    std::cerr << "orgsim serve: cannot listen on " << flags.host << ":" << flags.port
              << " (in use or not allowed); try --port 0 for any free port\n";
    return kExitFailure;
  }
  g_server = &server;
  std::signal(SIGINT, StopServer);
  std::signal(SIGTERM, StopServer);
  const std::string shown_host = flags.host.find(':') != std::string::npos ? "[" + flags.host + "]" : flags.host;
  std::cout << "orgsim workshop page: http://" << shown_host << ":" << port << "/  (scenarios from "
            << flags.scenarios << "; Ctrl-C stops)" << std::endl;
  server.Listen();
  g_server = nullptr;
  std::cout << "orgsim serve: stopped" << std::endl;
  return kExitOk;
}

const SubcommandRegistrar kServe{
    "serve", "Start the workshop web page (levers, runs, outcome distributions, story of one company)",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<ServeFlags>();
      app.add_option("--host", flags->host, "Address to listen on (loopback by default)")->capture_default_str();
      app.add_option("--port", flags->port, "Port (0 = any free port, printed at start)")
          ->check(CLI::Range(0, 65535))
          ->capture_default_str();
      app.add_option("--scenarios", flags->scenarios, "Folder of scenario files the page offers")
          ->capture_default_str();
      app.add_option("--max-replications", flags->max_replications, "Cap on replications per run request")
          ->check(CLI::Range(1u, 100000u))
          ->capture_default_str();
      app.add_option("--threads", flags->threads, "Threads per run (0 = all cores)")->check(CLI::Range(0, 1024));
      app.footer(
          "Serves the workshop page on --host:--port until Ctrl-C or SIGTERM: pick a scenario\n"
          "from --scenarios, move its levers, run a design against its baseline and read the\n"
          "outcome distributions and the story of one company. Loopback only by default; the\n"
          "page has no authentication, so another --host is reachable by anyone on the network.\n"
          "The API bounds what a request may cost (only the page's levers within their ranges,\n"
          "at most --max-replications per run); scenario files must lie inside --scenarios.\n"
          "Exit: 0 stopped by Ctrl-C or SIGTERM, 1 cannot listen on the address, 2 bad flags.");
      return [flags] { return RunServe(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
