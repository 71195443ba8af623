#include "engine/serve/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/report/assets.h"

namespace orgsim::serve {
namespace {

using nlohmann::json;

void Send(httplib::Response& res, const ApiResult& result) {
  res.status = result.status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(result.body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
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
  DeadlineStream(int sock, std::chrono::milliseconds write_timeout) : sock_(sock), write_timeout_(write_timeout) {}

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

  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
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
    return std::max(std::chrono::milliseconds(0),
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
      if (!stream.WaitForRequest(keep_alive_, [this] { return svr_sock_ != INVALID_SOCKET; })) break;
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

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct WorkshopServer::Impl {
  explicit Impl(const WorkshopOptions& o)
      : http(std::chrono::milliseconds(static_cast<long long>(o.request_deadline_seconds * 1000)),
             std::chrono::milliseconds(static_cast<long long>(o.keep_alive_seconds * 1000))) {}
  DeadlineServer http;
};

WorkshopServer::WorkshopServer(WorkshopOptions options)
    : workshop_(std::make_unique<Workshop>(std::move(options))),
      impl_(std::make_unique<Impl>(workshop_->options())) {
  httplib::Server& http = impl_->http;
  Workshop& w = *workshop_;
  http.set_payload_max_length(64 * 1024);
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

  http.Get("/api/scenarios", [&w](const httplib::Request&, httplib::Response& res) { Send(res, w.ListScenarios()); });
  http.Get("/api/scenario", [&w](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("id")) return SendError(res, 400, "query parameter \"id\" (a scenario id) is required");
    Send(res, w.DescribeScenario(req.get_param_value("id")));
  });
  http.Post("/api/runs", [&w](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return SendError(res, 400, "the request body is not valid JSON");
    Send(res, w.StartRun(body));
  });
  http.Get(R"(/api/runs/([A-Za-z0-9]{1,32}))", [&w](const httplib::Request& req, httplib::Response& res) {
    Send(res, w.RunStatus(req.matches[1]));
  });
  http.Post(R"(/api/runs/([A-Za-z0-9]{1,32})/cancel)", [&w](const httplib::Request& req, httplib::Response& res) {
    Send(res, w.CancelRun(req.matches[1]));
  });
  http.Get(R"(/api/runs/([A-Za-z0-9]{1,32})/story)", [&w](const httplib::Request& req, httplib::Response& res) {
    Send(res, w.Story(req.matches[1], req.has_param("arm") ? req.get_param_value("arm") : "design",
                      req.has_param("replication") ? req.get_param_value("replication") : "0"));
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
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
  if (port == 0) return impl_->http.bind_to_any_port(host);
  return impl_->http.bind_to_port(host, port) ? port : -1;
}

bool WorkshopServer::Listen() { return impl_->http.listen_after_bind(); }

void WorkshopServer::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace orgsim::serve
