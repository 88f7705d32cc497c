// A job queue with N worker threads for the expensive operations (DH, signatures,
// certificate chains), so a busy gateway uses every core while the JavaScript
// thread keeps serving packets.
//
// Completions are batched: a worker that finishes a job appends it to the
// completed list and calls notify() only when that list was empty, so one
// wake-up of the JavaScript thread (one threadsafe-function call) delivers
// every job that completed in the meantime. A worker that has another job
// queued holds its completions back (up to kHoldLimit) and notifies when it
// runs out of work, so a batch of jobs costs one wake-up of the JavaScript
// thread, not one per job.
//
// Wake-ups of idle workers can be deferred the same way: Submit(job,
// Wake::kDeferred) only queues the job (until kWakeBatch jobs are waiting) and
// WakeDeferred() wakes as many idle workers as there are queued jobs -- the
// JavaScript side calls it once per event-loop turn, so the jobs of one turn
// cost one hand-off instead of a worker waking (and, on a shared core,
// preempting the submitting thread) per job. Plain C++ (no N-API): the
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

  enum class Wake {
    kNow,       // an idle worker is woken for the job at once
    kDeferred,  // the job waits for WakeDeferred() (or for kWakeBatch queued jobs, or a busy worker)
  };
  /** Queued jobs that make a deferred submit wake a worker anyway: bounds the delay of a long batch. */
  static constexpr std::size_t kWakeBatch = 8;
  /** Completions a worker holds back while it has more queued work, at most. */
  static constexpr std::size_t kHoldLimit = 8;

  /** Queues a job; false (job untouched) once the pool is closed. */
  bool Submit(std::unique_ptr<PoolJob>& job, Wake wake = Wake::kNow);

  /** Wakes idle workers for the jobs queued with Wake::kDeferred (one per queued job, at most). */
  void WakeDeferred();

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
  /** The next queued job; waits for one when `wait`, else null when the queue is empty. Null once closing. */
  std::unique_ptr<PoolJob> Next(bool wait);
  /** `more`: the worker already holds its next job, so the notification may wait (kHoldLimit). */
  void Complete(std::unique_ptr<PoolJob> job, bool allowNotify, bool more);

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
