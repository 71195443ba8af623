#include "engine/serve/server.h"

#include <httplib.h>

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

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct WorkshopServer::Impl {
  httplib::Server http;
};

WorkshopServer::WorkshopServer(WorkshopOptions options)
    : workshop_(std::make_unique<Workshop>(std::move(options))), impl_(std::make_unique<Impl>()) {
  httplib::Server& http = impl_->http;
  Workshop& w = *workshop_;
  http.set_payload_max_length(64 * 1024);
  http.new_task_queue = [] { return new httplib::ThreadPool(8); };

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
