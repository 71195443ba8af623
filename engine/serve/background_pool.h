// A fixed set of worker threads that run submitted jobs in order, off the
// HTTP workers: a slow job (a story) never holds a request thread. The pool
// does not bound its queue; callers admit work (see Workshop::Story).
//
//   BackgroundPool pool(2);
//   pool.Submit([] { ComputeStory(); });  // ~BackgroundPool drops what has not started
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace orgsim::serve {

class BackgroundPool {
 public:
  explicit BackgroundPool(std::size_t threads);
  // Drops jobs not yet started and joins the workers (running jobs finish).
  ~BackgroundPool();
  BackgroundPool(const BackgroundPool&) = delete;
  BackgroundPool& operator=(const BackgroundPool&) = delete;

  void Submit(std::function<void()> job);

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace orgsim::serve
