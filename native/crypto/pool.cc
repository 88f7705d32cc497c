#include "crypto/pool.h"

#include <algorithm>

#include <pthread.h>

namespace ikelb::crypto {

JobPool::JobPool(unsigned threads, NotifyFn notify, void* context) : notify_(notify), context_(context) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobPool::~JobPool() { Close(); }

bool JobPool::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closing_;
}

bool JobPool::Submit(std::unique_ptr<PoolJob>& job, Wake wake) {
  bool wakeOne = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return false;
    queue_.push_back(std::move(job));
    wakeOne = idle_ > 0 && (wake == Wake::kNow || queue_.size() >= kWakeBatch);
  }
  // Busy workers pick the job up without a wake-up (a futex call saved per job).
  if (wakeOne) wake_.notify_one();
  return true;
}

void JobPool::WakeDeferred() {
  std::size_t n = 0;
  bool all = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    n = std::min<std::size_t>(queue_.size(), idle_);
    all = n > 0 && n == idle_;
  }
  if (all) {
    wake_.notify_all();
  } else {
    for (std::size_t i = 0; i < n; ++i) wake_.notify_one();
  }
}

void JobPool::TakeCompleted(std::vector<std::unique_ptr<PoolJob>>* out) {
  std::lock_guard<std::mutex> lock(completedMutex_);
  for (auto& job : completed_) out->push_back(std::move(job));
  completed_.clear();
  notifyArmed_ = true;
}

void JobPool::Complete(std::unique_ptr<PoolJob> job, bool allowNotify, bool more) {
  bool notify = false;
  {
    std::lock_guard<std::mutex> lock(completedMutex_);
    completed_.push_back(std::move(job));
    if (notifyArmed_ && allowNotify && (!more || completed_.size() >= kHoldLimit)) {
      notifyArmed_ = false;
      notify = true;
    }
  }
  if (notify && notify_ != nullptr) notify_(context_);
}

std::unique_ptr<PoolJob> JobPool::Next(bool wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wait && !closing_ && queue_.empty()) {
    ++idle_;
    wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
    --idle_;
  }
  if (closing_ || queue_.empty()) return nullptr;
  std::unique_ptr<PoolJob> job = std::move(queue_.front());
  queue_.pop_front();
  return job;
}

void JobPool::WorkerLoop() {
#ifdef __linux__
  pthread_setname_np(pthread_self(), "ikelb-crypto");  // for top -H, perf and /proc
#endif
  std::unique_ptr<PoolJob> job = Next(true);
  while (job != nullptr) {
    job->Run();
    // The next job is taken before this one is reported: while there is
    // more work the completion may wait in the list (see kHoldLimit), and
    // the JavaScript thread is notified once the worker runs dry.
    std::unique_ptr<PoolJob> next = Next(false);
    // No lock needed to decide: Close() clears notifyAllowed_ and then joins
    // this thread, so a notification that starts before the flag flips has
    // ended before Close() returns.
    Complete(std::move(job), notifyAllowed_.load(std::memory_order_acquire), next != nullptr);
    job = next != nullptr ? std::move(next) : Next(true);
  }
  // OpenSSL frees this thread's state (error queue, DRBG) from its own
  // thread-exit destructor; the thread_local contexts free theirs likewise.
}

void JobPool::Close() {
  std::lock_guard<std::mutex> closeLock(closeMutex_);
  std::deque<std::unique_ptr<PoolJob>> cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_ && workers_.empty()) return;
    closing_ = true;
    notifyAllowed_.store(false, std::memory_order_release);
    cancelled.swap(queue_);
  }
  wake_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  for (auto& job : cancelled) {
    job->status = Status::kPoolClosed;
    Complete(std::move(job), false, false);
  }
}

}  // namespace ikelb::crypto
