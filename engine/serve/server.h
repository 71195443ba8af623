// `orgsim serve`: the workshop page and its JSON API over cpp-httplib.
//
//   GET  /                      the page (embedded web/index.html)
//   GET  /app.js, /style.css    its script and styles (embedded)
//   GET  /room, /room.js        the room's page (join, levers per round, board; web/room.*)
//   GET  /api/scenarios         scenarios in the folder
//   GET  /api/scenario?id=ID    arms, baseline, levers (ranges, units, per-arm values)
//   POST /api/runs              {"scenario", "arm", "replications", "levers"} -> 202 {"id"}
//   GET  /api/runs/ID           progress; distributions vs the baseline when done
//   POST /api/runs/ID/cancel    {"cancel_key"} stops a run (replications in flight stop too)
//   GET  /api/runs              facilitator: every kept run with state and queue position
//   GET  /api/runs/ID/story?arm=design|baseline&replication=R   the story of one company:
//                               202 while computed in the background, then 200; 503 when busy
//   GET  /api/join              {"url": the participants' join link, "token_required",
//                               "role": "facilitator" | "participant" (the caller's), "qr": its
//                               path}
//   GET  /api/join-qr.svg       the join link as a QR code (image/svg+xml; engine/serve/qr.h)
// The room (engine/serve/room.h; F = facilitator only):
//   GET  /api/room              the room: scenario, rounds, tables, levers, progress, "role"
//   POST /api/room/open     F   {"scenario", "baseline"?, "round_days"?, "replications"?}
//   POST /api/room/join         {"name", "table"?} -> {"table": id, "key"}
//   POST /api/room/decide       {"table", "key", "levers": {PATH: VALUE}} for the open round
//   POST /api/room/close    F   closes the open round; every table runs to its end (202)
//   POST /api/room/pause    F   {"paused": bool}; /extend {"days": N}; /reveal {"revealed": bool}
//   GET  /api/room/board        designs, distributions, leaderboard (participants: when revealed)
//   GET  /api/room/debrief?table=ID   counterfactuals: kept the baseline, copied the leader,
//                               round by round (participants: when revealed)
//   GET  /api/room/log.csv, /api/room/log.json   F   every decision (round, table, lever, value,
//                               time)
//   POST /api/room/save     F   {"path"?} the session JSON (written under the working folder)
//   POST /api/room/load     F   {"path"} or {"session"}: restores it, re-runs its rounds
// Errors are JSON {"error": "..."} with a 4xx status (5xx only for bugs; 503 busy).
//
// Safe to open to a room (Jupyter's local-server rules). Every request:
//   - Host header: one of localhost, 127.0.0.1, [::1], the bound address (for
//     0.0.0.0 or ::, this machine's interface addresses) or an AccessOptions::
//     allow_hosts name, with the bound port; anything else gets 403 (a page
//     on another site that rebinds its DNS name to us cannot talk to us).
//   - POST needs Content-Type: application/json, else 415 (a cross-site form
//     or a no-cors fetch cannot start runs), and an Origin header, when
//     sent, must name an allowed host (else 403). No CORS headers are sent.
//   - Token mode (bound to a non-loopback address, or require_token): every
//     /api/ request needs token() or facilitator_token(), as ?token=, an
//     X-Orgsim-Token header or the orgsim_token cookie (set, HttpOnly and
//     SameSite=Strict, on any request with a valid ?token=); else 401. The
//     page and its assets need none (they are public, embedded files).
//   - Facilitator-only (403 otherwise): GET /api/runs, and cancelling a run
//     without its cancel_key (someone else's). On loopback without token
//     mode every request is the facilitator's, as before.
// Runs beyond WorkshopOptions::max_active_runs wait in a bounded queue (429
// when it is full). The listening socket never shares its port
// (no SO_REUSEPORT): a port in use makes Bind fail.
// A request must arrive within WorkshopOptions::request_deadline_seconds of
// its first byte (cpp-httplib bounds only each read), so slow clients cannot
// hold the workers.
//
//   WorkshopServer server({.scenarios_dir = "scenarios"}, {.allow_hosts = {"room.local"}});
//   int port = server.Bind("127.0.0.1", 0);   // 0 = any free port
//   server.Listen();                           // blocks until Stop()
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/serve/room.h"
#include "engine/serve/workshop.h"

namespace orgsim::serve {

struct AccessOptions {
  std::vector<std::string> allow_hosts;  // more Host names (--allow-host), e.g. "room.local"
  bool require_token = false;            // token mode on loopback too (tests)
};

class WorkshopServer {
 public:
  explicit WorkshopServer(WorkshopOptions options, AccessOptions access = {},
                          RoomOptions room = {});
  ~WorkshopServer();
  WorkshopServer(const WorkshopServer&) = delete;
  WorkshopServer& operator=(const WorkshopServer&) = delete;

  // Binds `host`:`port` (port 0 = a free port). Returns the port, or -1
  // (in use, or not an address of this machine).
  int Bind(const std::string& host, int port);
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  bool Listen();
  void Stop();

  Workshop& workshop() { return *workshop_; }
  Room& room() { return *room_; }

  // After Bind: whether /api/ needs a token, the two tokens (random 128-bit
  // hex), and the Host names allowed, the most useful for a link first.
  bool token_required() const;
  const std::string& token() const;
  const std::string& facilitator_token() const;
  const std::vector<std::string>& allowed_hosts() const;
  // After Bind: the link participants open, http://HOST:PORT/ with the
  // first allowed host, plus ?token=token() in token mode.
  std::string JoinUrl() const;

 private:
  struct Impl;
  std::unique_ptr<Workshop> workshop_;
  std::unique_ptr<Room> room_;  // uses workshop_; destroyed before it
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace orgsim::serve
