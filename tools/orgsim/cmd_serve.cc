// `orgsim serve [--host 127.0.0.1] [--port 8080] [--scenarios DIR]`: the
// workshop page. Loopback by default; the page and its assets are embedded
// in the binary, so it works from any directory and without network access.
// Off loopback it needs the printed tokens (engine/serve/server.h).
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

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
  std::size_t max_active_runs = serve::WorkshopOptions{}.max_active_runs;
  std::size_t max_queued_runs = serve::WorkshopOptions{}.max_queued_runs;
  std::vector<std::string> allow_hosts;
  std::string room;  // a scenario id: open a room on it at start
  double round_days = serve::RoomOptions{}.round_days;
  unsigned room_replications = serve::RoomOptions{}.replications;
};

serve::WorkshopServer* g_server = nullptr;

extern "C" void StopServer(int) {
  if (g_server != nullptr) g_server->Stop();
}

int RunServe(const ServeFlags& flags) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.scenarios, ec)) {
    std::cerr << "orgsim serve: --scenarios folder '" << flags.scenarios << "' does not exist\n";
    return kExitUsage;
  }
  serve::WorkshopOptions options;
  options.scenarios_dir = flags.scenarios;
  options.max_replications = flags.max_replications;
  options.threads_per_run = flags.threads;
  options.max_active_runs = flags.max_active_runs;
  options.max_queued_runs = flags.max_queued_runs;
  serve::RoomOptions room;
  room.round_days = flags.round_days;
  room.replications = flags.room_replications;
  room.threads = flags.threads;
  serve::WorkshopServer server(options, {.allow_hosts = flags.allow_hosts}, room);
  if (!flags.room.empty()) {
    const serve::ApiResult opened = server.room().Open({{"scenario", flags.room}});
    if (opened.status >= 400) {
      std::cerr << "orgsim serve: --room: " << opened.body.value("error", "cannot open the room")
                << "\n";
      return kExitUsage;
    }
  }
  const int port = server.Bind(flags.host, flags.port);
  if (port < 0) {
    std::cerr << "orgsim serve: cannot listen on " << flags.host << ":" << flags.port
              << ": the port is already in use (or the address is not this machine's); choose "
                 "another --port, "
                 "or --port 0 for any free one\n";
    return kExitUsage;
  }
  g_server = &server;
  std::signal(SIGINT, StopServer);
  std::signal(SIGTERM, StopServer);
  const std::string page =
      "http://" + server.allowed_hosts().front() + ":" + std::to_string(port) + "/";
  if (server.token_required()) {
    std::cerr
        << "orgsim serve: warning: listening on " << flags.host << ":" << port
        << ", so the page is reachable from the network; only holders of a link below can use it\n";
    std::cout << "orgsim workshop join link (participants): " << server.JoinUrl() << "\n"
              << "orgsim workshop facilitator link (keep private): " << page
              << "?token=" << server.facilitator_token() << "\n(scenarios from " << flags.scenarios
              << "; Ctrl-C stops)" << std::endl;
  } else {
    std::cout << "orgsim workshop page: " << page << "  (scenarios from " << flags.scenarios
              << "; Ctrl-C stops)" << std::endl;
  }
  if (!flags.room.empty()) {
    std::cout << "orgsim workshop room: " << flags.room << ", rounds of " << flags.round_days
              << " days, " << flags.room_replications
              << " paired replications (participants open the join link, then Room)" << std::endl;
  }
  server.Listen();
  g_server = nullptr;
  std::cout << "orgsim serve: stopped" << std::endl;
  return kExitOk;
}

const SubcommandRegistrar kServe{
    "serve",
    "Start the workshop web page (levers, runs, outcome distributions, story of one company)",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<ServeFlags>();
      app.add_option("--host", flags->host, "Address to listen on (loopback by default)")
          ->capture_default_str();
      app.add_option("--port", flags->port, "Port (0 = any free port, printed at start)")
          ->check(CLI::Range(0, 65535))
          ->capture_default_str();
      app.add_option("--scenarios", flags->scenarios, "Folder of scenario files the page offers")
          ->capture_default_str();
      app.add_option("--max-replications", flags->max_replications,
                     "Cap on replications per run request")
          ->check(CLI::Range(1u, 100000u))
          ->capture_default_str();
      app.add_option("--threads", flags->threads, "Threads per run (0 = all cores)")
          ->check(CLI::Range(0, 1024));
      app.add_option("--max-active-runs", flags->max_active_runs,
                     "Runs simulated at once; more wait in a queue")
          ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
          ->capture_default_str();
      app.add_option("--max-queued-runs", flags->max_queued_runs,
                     "Runs that may wait; beyond that a run gets 429")
          ->check(CLI::Range(std::size_t{0}, std::size_t{1024}))
          ->capture_default_str();
      app.add_option(
          "--allow-host", flags->allow_hosts,
          "Another Host name the page may be opened as (repeatable; e.g. a .local name)");
      app.add_option("--room", flags->room,
                     "Open a workshop room on this scenario (an id inside --scenarios)");
      app.add_option("--round-days", flags->round_days, "Days a room round advances")
          ->check(CLI::Range(1.0, 3650.0))
          ->capture_default_str();
      app.add_option("--room-replications", flags->room_replications,
                     "Paired replications every table's company runs per round")
          ->check(CLI::Range(1u, 100000u))
          ->capture_default_str();
      app.footer(
          "Serves the workshop page on --host:--port until Ctrl-C or SIGTERM: pick a scenario\n"
          "from --scenarios, move its levers, run a design against its baseline and read the\n"
          "outcome distributions and the story of one company. Loopback only by default; another\n"
          "--host is reachable from the network and needs the printed tokens (join link, and a\n"
          "facilitator link to keep private) and the page shows the join link as a QR code; a\n"
          "Host not allowed gets 403, a non-JSON POST 415.\n"
          "--room SCENARIO opens a room: participants join as tables, set levers each round,\n"
          "the facilitator closes rounds and every table runs on the same market draws.\n"
          "The API bounds what a request may cost (only the page's levers within their ranges,\n"
          "at most --max-replications per run); scenario files must lie inside --scenarios.\n"
          "Exit: 0 stopped by Ctrl-C or SIGTERM; 2 bad flags, an address it cannot listen on\n"
          "(a port already in use is refused, never shared) or a missing --scenarios folder.");
      return [flags] { return RunServe(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
