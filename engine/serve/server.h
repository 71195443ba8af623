// `orgsim serve`: the workshop page and its JSON API over cpp-httplib.
//
//   GET  /                      the page (embedded web/index.html)
//   GET  /app.js, /style.css    its script and styles (embedded)
//   GET  /api/scenarios         scenarios in the folder
//   GET  /api/scenario?id=ID    arms, baseline, levers (ranges, units, per-arm values)
//   POST /api/runs              {"scenario", "arm", "replications", "levers"} -> 202 {"id"}
//   GET  /api/runs/ID           progress; distributions vs the baseline when done
//   POST /api/runs/ID/cancel    stops a run (replications in flight stop too)
//   GET  /api/runs/ID/story?arm=design|baseline&replication=R   the story of one company:
//                               202 while computed in the background, then 200; 503 when busy
// Errors are JSON {"error": "..."} with a 4xx status (5xx only for bugs; 503 busy).
// A request must arrive within WorkshopOptions::request_deadline_seconds of
// its first byte (cpp-httplib bounds only each read), so slow clients cannot
// hold the workers.
//
//   WorkshopServer server({.scenarios_dir = "scenarios"});
//   int port = server.Bind("127.0.0.1", 0);   // 0 = any free port
//   server.Listen();                           // blocks until Stop()
#pragma once

#include <memory>
#include <string>

#include "engine/serve/workshop.h"

namespace orgsim::serve {

class WorkshopServer {
 public:
  explicit WorkshopServer(WorkshopOptions options);
  ~WorkshopServer();
  WorkshopServer(const WorkshopServer&) = delete;
  WorkshopServer& operator=(const WorkshopServer&) = delete;

  // Binds `host`:`port` (port 0 = a free port). Returns the port, or -1.
  int Bind(const std::string& host, int port);
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  bool Listen();
  void Stop();

  Workshop& workshop() { return *workshop_; }

 private:
  struct Impl;
  std::unique_ptr<Workshop> workshop_;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace orgsim::serve
