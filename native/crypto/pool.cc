#include "crypto/pool.h"

#include <algorithm>

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

bool JobPool::Submit(std::unique_ptr<PoolJob>& job) {
  bool wakeOne = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return false;
    queue_.push_back(std::move(job));
    wakeOne = idle_ > 0;
  }
  // Busy workers pick the job up without a wake-up (a futex call saved per job).
  if (wakeOne) wake_.notify_one();
  return true;
}

void JobPool::TakeCompleted(std::vector<std::unique_ptr<PoolJob>>* out) {
  std::lock_guard<std::mutex> lock(completedMutex_);
  for (auto& job : completed_) out->push_back(std::move(job));
  completed_.clear();
  notifyArmed_ = true;
}

void JobPool::Complete(std::unique_ptr<PoolJob> job, bool allowNotify) {
  bool notify = false;
  {
    std::lock_guard<std::mutex> lock(completedMutex_);
    completed_.push_back(std::move(job));
    if (notifyArmed_ && allowNotify) {
      notifyArmed_ = false;
      notify = true;
    }
  }
  if (notify && notify_ != nullptr) notify_(context_);
}

void JobPool::WorkerLoop() {
  for (;;) {
    std::unique_ptr<PoolJob> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      --idle_;
      if (closing_) break;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job->Run();
    // No lock needed to decide: Close() clears notifyAllowed_ and then joins
    // this thread, so a notification that starts before the flag flips has
    // ended before Close() returns.
    Complete(std::move(job), notifyAllowed_.load(std::memory_order_acquire));
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
    Complete(std::move(job), false);
  }
}

}  // namespace ikelb::crypto
