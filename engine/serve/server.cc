#include "engine/serve/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "engine/report/assets.h"
#include "engine/serve/qr.h"
#include "engine/serve/secret.h"

namespace orgsim::serve {
namespace {

using nlohmann::json;

void Send(httplib::Response& res, const ApiResult& result) {
  res.status = result.status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(result.body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  Send(res, ApiResult{status, json{{"error", message}}});
}

using Clock = std::chrono::steady_clock;

// A socket stream whose reads stop at a deadline set per request.
// cpp-httplib 0.11 bounds each read (set_read_timeout), not a request: a
// client sending one byte a second would hold a worker for hours.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int sock, std::chrono::milliseconds write_timeout)
      : sock_(sock), write_timeout_(write_timeout) {}

  void SetDeadline(Clock::time_point deadline) { deadline_ = deadline; }
  bool HasBuffered() const { return pos_ < len_; }

  bool is_readable() const override { return HasBuffered() || Poll(POLLIN, TimeLeft()); }
  bool is_writable() const override { return Poll(POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!HasBuffered()) {
      if (!Poll(POLLIN, TimeLeft())) return -1;
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_, sizeof(buffer_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    const std::size_t k = std::min(size, len_ - pos_);
    std::memcpy(ptr, buffer_ + pos_, k);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(false, ip, port);
  }
  socket_t socket() const override { return sock_; }

  // Waits (in slices, so a stopping server is noticed) until a request
  // begins or `timeout` passes; false when it did not begin.
  template <typename Running>
  bool WaitForRequest(std::chrono::milliseconds timeout, Running running) const {
    const Clock::time_point end = Clock::now() + timeout;
    while (!HasBuffered() && running()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      if (left.count() <= 0) return false;
      if (Poll(POLLIN, std::min(left, std::chrono::milliseconds(100)))) return true;
    }
    return HasBuffered();
  }

 private:
  std::chrono::milliseconds TimeLeft() const {
    return std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()));
  }

  bool Poll(short events, std::chrono::milliseconds timeout) const {
    pollfd fd{sock_, events, 0};
    int r;
    do {
      r = ::poll(&fd, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    return r > 0;
  }

  void Address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    auto* a = reinterpret_cast<sockaddr*>(&addr);
    ip.clear();
    port = 0;
    if ((remote ? ::getpeername(sock_, a, &len) : ::getsockname(sock_, a, &len)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
      port = ntohs(in->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* in = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &in->sin6_addr, text, sizeof(text));
      port = ntohs(in->sin6_port);
    }
    ip = text;
  }

  int sock_;
  std::chrono::milliseconds write_timeout_;
  Clock::time_point deadline_ = Clock::now();
  char buffer_[4096];
  std::size_t pos_ = 0, len_ = 0;
};

// httplib::Server whose connections read each request (line, headers and
// body) within `request_deadline` of its first byte and wait at most
// `keep_alive` for the next one; everything else is cpp-httplib's.
class DeadlineServer : public httplib::Server {
 public:
  DeadlineServer(std::chrono::milliseconds request_deadline, std::chrono::milliseconds keep_alive)
      : request_deadline_(request_deadline), keep_alive_(keep_alive) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    DeadlineStream stream(sock, std::chrono::seconds(write_timeout_sec_));
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
      if (!stream.WaitForRequest(keep_alive_, [this] { return svr_sock_ != INVALID_SOCKET; }))
        break;
      stream.SetDeadline(Clock::now() + request_deadline_);
      bool closed = false;
      ok = process_request(stream, /*close_connection=*/left == 1, closed, nullptr);
      if (!ok || closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  std::chrono::milliseconds request_deadline_;
  std::chrono::milliseconds keep_alive_;
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A name as it appears in a Host header: lowercase, IPv6 in brackets.
std::string HostName(const std::string& host) {
  const std::string name = Lower(host);
  return name.find(':') != std::string::npos && name.front() != '[' ? "[" + name + "]" : name;
}

// This machine's interface addresses (IPv6 too when `v6`), non-loopback first.
std::vector<std::string> InterfaceAddresses(bool v6) {
  std::vector<std::string> outside, loopback;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return {};
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (i->ifa_addr->sa_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr, text,
                  sizeof(text));
    } else if (v6 && i->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) continue;  // needs a zone id in a URL
      ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    } else {
      continue;
    }
    const std::string name = HostName(text);
    (IsLoopbackHost(text) ? loopback : outside).push_back(name);
  }
  ::freeifaddrs(list);
  outside.insert(outside.end(), loopback.begin(), loopback.end());
  return outside;
}

// "application/json", with parameters or not, in any case.
bool IsJsonContentType(const std::string& value) {
  std::string type = Lower(value.substr(0, value.find(';')));
  type.erase(
      std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
      type.end());
  return type == "application/json";
}

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& header, const std::string& name) {
  std::size_t at = 0;
  while (at < header.size()) {
    const std::size_t end = std::min(header.find(';', at), header.size());
    std::size_t begin = at;
    while (begin < end && header[begin] == ' ') ++begin;
    const std::size_t eq = header.find('=', begin);
    if (eq < end && header.compare(begin, eq - begin, name) == 0)
      return header.substr(eq + 1, end - eq - 1);
    at = end + 1;
  }
  return "";
}

constexpr const char* kTokenHeader = "X-Orgsim-Token";
constexpr const char* kTokenCookie = "orgsim_token";

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct WorkshopServer::Impl {
  enum class Role { kNone, kParticipant, kFacilitator };

  Impl(const WorkshopOptions& o, AccessOptions a)
      : http(std::chrono::milliseconds(static_cast<long long>(o.request_deadline_seconds * 1000)),
             std::chrono::milliseconds(static_cast<long long>(o.keep_alive_seconds * 1000))),
        access(std::move(a)) {}

  // Fixes the Host allow-list and the token mode for a bound address.
  void Bound(const std::string& host, int bound_port) {
    port = bound_port;
    token_required = access.require_token || !IsLoopbackHost(host);
    allowed.clear();
    if (host == "0.0.0.0" || host == "::" || host.empty()) {
      allowed = InterfaceAddresses(/*v6=*/host == "::");
    } else {
      allowed.push_back(HostName(host));
    }
    for (const std::string& name : access.allow_hosts) allowed.push_back(HostName(name));
    for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) allowed.push_back(name);
    std::vector<std::string> unique;
    for (const std::string& name : allowed) {
      if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
    }
    allowed = std::move(unique);
  }

  // A Host header naming an allowed name with the bound port (or none on port 80).
  bool HostAllowed(const std::string& header) const {
    const std::string h = Lower(header);
    std::string name = h, given_port;
    if (!h.empty() && h.front() == '[') {
      const std::size_t close = h.find(']');
      if (close == std::string::npos) return false;
      name = h.substr(0, close + 1);
      const std::string rest = h.substr(close + 1);
      if (!rest.empty() && rest.front() != ':') return false;
      if (!rest.empty()) given_port = rest.substr(1);
    } else if (const std::size_t colon = h.rfind(':'); colon != std::string::npos) {
      name = h.substr(0, colon);
      given_port = h.substr(colon + 1);
    }
    if (given_port.empty() ? port != 80 : given_port != std::to_string(port)) return false;
    return std::find(allowed.begin(), allowed.end(), name) != allowed.end();
  }

  // The token a request carries: header, then ?token=, then cookie.
  static std::string GivenToken(const httplib::Request& req) {
    if (req.has_header(kTokenHeader)) return req.get_header_value(kTokenHeader);
    if (req.has_param("token")) return req.get_param_value("token");
    return CookieValue(req.get_header_value("Cookie"), kTokenCookie);
  }

  Role RoleOf(const httplib::Request& req) const {
    if (!token_required) return Role::kFacilitator;
    const std::string given = GivenToken(req);
    if (SameSecret(given, facilitator_token)) return Role::kFacilitator;
    if (SameSecret(given, token)) return Role::kParticipant;
    return Role::kNone;
  }

  // Host, token and content type, before any route.
  httplib::Server::HandlerResponse Screen(const httplib::Request& req,
                                          httplib::Response& res) const {
    const std::string host = req.get_header_value("Host");
    if (!HostAllowed(host)) {
      SendError(res, 403,
                "Host '" + host + "' is not one this server answers to (against DNS rebinding); " +
                    "use the printed link, or start orgsim serve with --allow-host NAME");
      return httplib::Server::HandlerResponse::Handled;
    }
    const Role role = RoleOf(req);
    if (token_required && req.path.rfind("/api/", 0) == 0 && role == Role::kNone) {
      SendError(
          res, 401,
          std::string("a token is required: open the join link printed by orgsim serve (?token=...)"
                      " or send the ") +
              kTokenHeader + " header");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "POST" && !IsJsonContentType(req.get_header_value("Content-Type"))) {
      SendError(res, 415, "POST requests need Content-Type: application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    // A browser names the page that sent a POST; only this server's own pages may.
    if (const std::string origin = req.get_header_value("Origin");
        req.method == "POST" && !origin.empty() &&
        !(origin.rfind("http://", 0) == 0 && HostAllowed(origin.substr(7)))) {
      SendError(res, 403, "POST from another site (Origin '" + origin + "') refused");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (token_required && role != Role::kNone && req.has_param("token")) {
      // The join link's token, kept for the page's later requests.
      res.set_header("Set-Cookie", std::string(kTokenCookie) + "=" + req.get_param_value("token") +
                                       "; Path=/; HttpOnly; SameSite=Strict");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  DeadlineServer http;
  AccessOptions access;
  std::string token = RandomHex128();
  std::string facilitator_token = RandomHex128();
  bool token_required = true;  // until Bind says otherwise
  int port = 0;
  std::vector<std::string> allowed;  // Host names, without port
};

WorkshopServer::WorkshopServer(WorkshopOptions options, AccessOptions access,
                               RoomOptions room_options)
    : workshop_(std::make_unique<Workshop>(std::move(options))),
      room_(std::make_unique<Room>(*workshop_, std::move(room_options))),
      impl_(std::make_unique<Impl>(workshop_->options(), std::move(access))) {
  httplib::Server& http = impl_->http;
  Workshop& w = *workshop_;
  Impl& impl = *impl_;
  http.set_payload_max_length(64 * 1024);
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second
  // server share a port in use; SO_REUSEADDR alone only reuses TIME_WAIT.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    return impl.Screen(req, res);
  });
  const std::size_t threads = std::max<std::size_t>(1, w.options().http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  auto asset = [](const std::string& name) {
    return [name](const httplib::Request&, httplib::Response& res) {
      const report::Asset* a = report::FindAsset(name);
      if (a == nullptr) {
        SendError(res, 404, "asset " + name + " is not embedded");
        return;
      }
      res.set_header("Cache-Control", "no-cache");
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
      res.set_content(std::string(a->data), std::string(a->content_type).c_str());
    };
  };
  http.Get("/", asset("index.html"));
  http.Get("/index.html", asset("index.html"));
  http.Get("/app.js", asset("app.js"));
  http.Get("/style.css", asset("style.css"));
  http.Get("/room", asset("room.html"));
  http.Get("/room.js", asset("room.js"));

  http.Get("/api/scenarios",
           [&w](const httplib::Request&, httplib::Response& res) { Send(res, w.ListScenarios()); });
  http.Get("/api/scenario", [&w](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("id"))
      return SendError(res, 400, "query parameter \"id\" (a scenario id) is required");
    Send(res, w.DescribeScenario(req.get_param_value("id")));
  });
  http.Post("/api/runs", [&w](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return SendError(res, 400, "the request body is not valid JSON");
    Send(res, w.StartRun(body));
  });
  http.Get(R"(/api/runs/([A-Za-z0-9]{1,32}))",
           [&w](const httplib::Request& req, httplib::Response& res) {
             Send(res, w.RunStatus(req.matches[1]));
           });
  http.Get("/api/runs", [&w, &impl](const httplib::Request& req, httplib::Response& res) {
    if (impl.RoleOf(req) != Impl::Role::kFacilitator) {
      return SendError(res, 403,
                       "the list of runs is for the facilitator (the facilitator link's token)");
    }
    Send(res, w.ListRuns());
  });
  http.Post(R"(/api/runs/([A-Za-z0-9]{1,32})/cancel)", [&w, &impl](const httplib::Request& req,
                                                                   httplib::Response& res) {
    json body = req.body.empty() ? json::object()
                                 : json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) return SendError(res, 400, "the request body must be a JSON object");
    const json key = body.value("cancel_key", json(""));
    if (!key.is_string()) return SendError(res, 400, "\"cancel_key\" must be a string");
    Send(res, w.CancelRun(req.matches[1], impl.RoleOf(req) == Impl::Role::kFacilitator,
                          key.get<std::string>()));
  });
  http.Get(R"(/api/runs/([A-Za-z0-9]{1,32})/story)", [&w](const httplib::Request& req,
                                                          httplib::Response& res) {
    Send(res, w.Story(req.matches[1], req.has_param("arm") ? req.get_param_value("arm") : "design",
                      req.has_param("replication") ? req.get_param_value("replication") : "0"));
  });
  // The room (engine/serve/room.h): reading and joining for everyone with
  // the API; the facilitator's actions need the facilitator's token.
  Room& room = *room_;
  auto body_of = [](const httplib::Request& req, json& body) {
    body = req.body.empty() ? json::object()
                            : json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    return body.is_object();
  };
  auto facilitator_post = [&http, &impl, body_of](const std::string& path,
                                                  std::function<ApiResult(const json&)> action) {
    http.Post(path, [&impl, body_of, action](const httplib::Request& req, httplib::Response& res) {
      if (impl.RoleOf(req) != Impl::Role::kFacilitator) {
        return SendError(res, 403, "this room action is the facilitator's (the facilitator link)");
      }
      json body;
      if (!body_of(req, body)) return SendError(res, 400, "the request body must be a JSON object");
      Send(res, action(body));
    });
  };
  facilitator_post("/api/room/open", [&room](const json& b) { return room.Open(b); });
  facilitator_post("/api/room/close", [&room](const json&) { return room.CloseRound(); });
  facilitator_post("/api/room/pause", [&room](const json& b) { return room.Pause(b); });
  facilitator_post("/api/room/extend", [&room](const json& b) { return room.Extend(b); });
  facilitator_post("/api/room/reveal", [&room](const json& b) { return room.Reveal(b); });
  facilitator_post("/api/room/save", [&room](const json& b) { return room.Save(b); });
  facilitator_post("/api/room/load", [&room](const json& b) { return room.Load(b); });
  http.Get("/api/room", [&room, &impl](const httplib::Request& req, httplib::Response& res) {
    ApiResult state = room.State();
    state.body["role"] =
        impl.RoleOf(req) == Impl::Role::kFacilitator ? "facilitator" : "participant";
    Send(res, state);
  });
  http.Post("/api/room/join",
            [&room, body_of](const httplib::Request& req, httplib::Response& res) {
              json body;
              if (!body_of(req, body))
                return SendError(res, 400, "the request body must be a JSON object");
              Send(res, room.Join(body));
            });
  http.Post("/api/room/decide",
            [&room, &impl, body_of](const httplib::Request& req, httplib::Response& res) {
              json body;
              if (!body_of(req, body))
                return SendError(res, 400, "the request body must be a JSON object");
              Send(res, room.Decide(body, impl.RoleOf(req) == Impl::Role::kFacilitator));
            });
  auto param = [](const httplib::Request& req, const char* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
  };
  http.Get("/api/room/board", [&room, &impl, param](const httplib::Request& req,
                                                    httplib::Response& res) {
    Send(res, room.Board(impl.RoleOf(req) == Impl::Role::kFacilitator, param(req, "metric")));
  });
  http.Get("/api/room/debrief", [&room, &impl, param](const httplib::Request& req,
                                                      httplib::Response& res) {
    Send(res, room.Debrief(param(req, "table"), impl.RoleOf(req) == Impl::Role::kFacilitator,
                           param(req, "metric")));
  });
  http.Get("/api/room/log.json",
           [&room, &impl](const httplib::Request& req, httplib::Response& res) {
             if (impl.RoleOf(req) != Impl::Role::kFacilitator)
               return SendError(res, 403, "the decision log is the facilitator's");
             Send(res, room.LogJson());
           });
  http.Get("/api/room/log.csv",
           [&room, &impl](const httplib::Request& req, httplib::Response& res) {
             if (impl.RoleOf(req) != Impl::Role::kFacilitator)
               return SendError(res, 403, "the decision log is the facilitator's");
             res.set_header("Cache-Control", "no-store");
             res.set_header("Content-Disposition", "attachment; filename=\"room-log.csv\"");
             res.set_content(room.LogCsv(), "text/csv");
           });
  // Join link and its QR code: for anyone who may use the API (the
  // participants' token is in the link, and they already hold it).
  http.Get("/api/join", [this, &impl](const httplib::Request& req, httplib::Response& res) {
    const bool facilitator = impl.RoleOf(req) == Impl::Role::kFacilitator;
    Send(res, ApiResult{200, json{{"url", JoinUrl()},
                                  {"token_required", token_required()},
                                  {"role", facilitator ? "facilitator" : "participant"},
                                  {"qr", "/api/join-qr.svg"}}});
  });
  http.Get("/api/join-qr.svg", [this](const httplib::Request&, httplib::Response& res) {
    const std::string url = JoinUrl();
    const orgsim::StatusOr<QrCode> qr = EncodeQr(url);
    if (!qr.ok()) return SendError(res, 500, qr.status().message());
    res.set_header("Cache-Control", "no-store");
    res.set_content(QrSvg(*qr, "Join link: " + url), "image/svg+xml");
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(res, 500, "internal error: " + what);
      });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Routes that answered with a JSON body keep it; the rest get one.
    if (!res.body.empty()) return;
    if (res.status == 404) {
      SendError(res, 404, "no such endpoint: " + req.method + " " + req.path);
    } else if (res.status == 413) {
      SendError(res, 413, "request body too large");
    } else {
      SendError(res, res.status, "request failed");
    }
  });
}

WorkshopServer::~WorkshopServer() { Stop(); }

int WorkshopServer::Bind(const std::string& host, int port) {
  const int bound = port == 0 ? impl_->http.bind_to_any_port(host)
                              : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound > 0) impl_->Bound(host, bound);
  return bound;
}

bool WorkshopServer::token_required() const { return impl_->token_required; }
const std::string& WorkshopServer::token() const { return impl_->token; }
const std::string& WorkshopServer::facilitator_token() const { return impl_->facilitator_token; }
const std::vector<std::string>& WorkshopServer::allowed_hosts() const { return impl_->allowed; }

std::string WorkshopServer::JoinUrl() const {
  const std::string host =
      impl_->allowed.empty() ? std::string("127.0.0.1") : impl_->allowed.front();
  return "http://" + host + ":" + std::to_string(impl_->port) + "/" +
         (impl_->token_required ? "?token=" + impl_->token : std::string());
}

bool WorkshopServer::Listen() { return impl_->http.listen_after_bind(); }

void WorkshopServer::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace orgsim::serve
