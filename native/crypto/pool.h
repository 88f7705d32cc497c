// A job queue with N worker threads for the expensive operations (DH, signatures,
// certificate chains), so a busy gateway uses every core while the JavaScript
// thread keeps serving packets.
//
// Completions are batched: a worker that finishes a job appends it to the
// completed list and calls notify() only when that list was empty, so one
// wake-up of the JavaScript thread (one threadsafe-function call) delivers
// every job that completed in the meantime. Plain C++ (no N-API): the
// sanitizer tests drive it directly.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "crypto/status.h"

namespace ikelb::crypto {

class PoolJob {
 public:
  virtual ~PoolJob() = default;
  /** Runs on a worker thread; sets status and the job's outputs. */
  virtual void Run() = 0;

  uint32_t id = 0;      // the caller's token
  uint32_t kind = 0;    // the caller's job kind
  Status status = Status::kOk;
  // Opaque slots for the caller (the N-API glue keeps its output buffers
  // here); the pool and the job never dereference them.
  void* user[2] = {nullptr, nullptr};
  std::size_t userLength[2] = {0, 0};
};

class JobPool {
 public:
  using NotifyFn = void (*)(void* context);

  /** threads == 0 picks std::thread::hardware_concurrency(). */
  JobPool(unsigned threads, NotifyFn notify, void* context);
  ~JobPool();
  JobPool(const JobPool&) = delete;
  JobPool& operator=(const JobPool&) = delete;

  /** Queues a job; false (job untouched) once the pool is closed. */
  bool Submit(std::unique_ptr<PoolJob>& job);

  /** Moves every completed job into out (appending) and re-arms notification. */
  void TakeCompleted(std::vector<std::unique_ptr<PoolJob>>* out);

  /**
   * Stops the workers after their current job and joins them. Jobs still
   * queued are completed with kPoolClosed (without running). Idempotent.
   * notify() is never called after Close() returns.
   */
  void Close();

  unsigned threads() const { return static_cast<unsigned>(workers_.size()); }
  bool closed() const;

 private:
  void WorkerLoop();
  void Complete(std::unique_ptr<PoolJob> job, bool allowNotify);

  NotifyFn notify_;
  void* context_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<PoolJob>> queue_;
  bool closing_ = false;                  // guarded by mutex_
  std::atomic<bool> notifyAllowed_{true};  // cleared by Close(); read by workers without the lock
  unsigned idle_ = 0;

  std::mutex completedMutex_;
  std::vector<std::unique_ptr<PoolJob>> completed_;
  bool notifyArmed_ = true;  // true: the next completion must notify

  std::mutex closeMutex_;
  std::vector<std::thread> workers_;
};

}  // namespace ikelb::crypto
