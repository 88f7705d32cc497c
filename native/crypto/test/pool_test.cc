// The job pool under ASan/UBSan (and TSan: `make tsan`): many jobs on many
// threads, notifications only on the empty -> non-empty edge, close with
// queued jobs, destruction with jobs in flight.
#include <atomic>
#include <chrono>
#include <thread>

#include "crypto/jobs.h"
#include "crypto/test/check.h"

using namespace ikelb::crypto;
using namespace ikelb::crypto::test;

namespace {
std::atomic<int> g_notifications{0};
void Notify(void*) { g_notifications.fetch_add(1); }

std::unique_ptr<PoolJob> RespondJob(uint32_t id, const std::vector<uint8_t>& peer) {
  auto job = std::make_unique<DhJob>();
  job->id = id;
  job->kind = static_cast<uint32_t>(JobKind::kDhRespond);
  job->group = DhGroup::kCurve25519;
  job->peer = peer;
  return job;
}
}  // namespace

TEST(pool_runs_many_jobs_and_batches_notifications) {
  std::vector<uint8_t> pub(32), priv(64);
  DhGenerate(DhGroup::kCurve25519, pub.data(), priv.data());
  g_notifications = 0;
  JobPool pool(4, Notify, nullptr);
  const int jobs = 400;
  for (int i = 0; i < jobs; ++i) {
    auto job = RespondJob(static_cast<uint32_t>(i), pub);
    CHECK(pool.Submit(job));
  }
  std::vector<std::unique_ptr<PoolJob>> done;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done.size() < static_cast<std::size_t>(jobs) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    pool.TakeCompleted(&done);
  }
  CHECK(done.size() == static_cast<std::size_t>(jobs));
  std::vector<bool> seen(jobs);
  for (auto& j : done) {
    CHECK(j->status == Status::kOk);
    auto& dh = static_cast<DhJob&>(*j);
    std::vector<uint8_t> shared(32);
    CHECK(DhDerive(DhGroup::kCurve25519, priv, dh.publicValue, shared.data()) == Status::kOk);
    CHECK(std::vector<uint8_t>(dh.shared.begin(), dh.shared.end()) == shared);
    seen[j->id] = true;
  }
  for (bool s : seen) CHECK(s);
  CHECK(g_notifications.load() >= 1);
  CHECK(g_notifications.load() < jobs);  // one notification per drained batch, not per job
}

TEST(pool_close_cancels_queued_jobs) {
  std::vector<uint8_t> pub(256), priv(512);
  DhGenerate(DhGroup::kModp2048, pub.data(), priv.data());
  JobPool pool(1, Notify, nullptr);
  for (int i = 0; i < 100; ++i) {
    auto job = std::make_unique<DhJob>();
    job->id = static_cast<uint32_t>(i);
    job->kind = static_cast<uint32_t>(JobKind::kDhRespond);
    job->group = DhGroup::kModp2048;
    job->peer = pub;
    std::unique_ptr<PoolJob> base(std::move(job));
    CHECK(pool.Submit(base));
  }
  pool.Close();
  std::vector<std::unique_ptr<PoolJob>> done;
  pool.TakeCompleted(&done);
  CHECK(done.size() == 100);
  int cancelled = 0;
  for (auto& j : done) cancelled += j->status == Status::kPoolClosed;
  CHECK(cancelled > 0);
  auto late = RespondJob(1, pub);
  CHECK(!pool.Submit(late));
  CHECK(late != nullptr);  // refused jobs stay with the caller
  pool.Close();
}

TEST(pool_destroyed_with_jobs_in_flight) {
  std::vector<uint8_t> pub(32), priv(64);
  DhGenerate(DhGroup::kCurve25519, pub.data(), priv.data());
  for (int round = 0; round < 5; ++round) {
    JobPool pool(3, Notify, nullptr);
    for (int i = 0; i < 200; ++i) {
      auto job = RespondJob(static_cast<uint32_t>(i), pub);
      pool.Submit(job);
    }
  }  // destructor closes, joins and frees every job
}

TEST(pool_deferred_jobs_wait_for_wake_deferred) {
  std::vector<uint8_t> pub(32), priv(64);
  DhGenerate(DhGroup::kCurve25519, pub.data(), priv.data());
  JobPool pool(2, Notify, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // both workers idle
  const std::size_t n = JobPool::kWakeBatch - 1;
  for (std::size_t i = 0; i < n; ++i) {
    auto job = RespondJob(static_cast<uint32_t>(i), pub);
    CHECK(pool.Submit(job, JobPool::Wake::kDeferred));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::unique_ptr<PoolJob>> done;
  pool.TakeCompleted(&done);
  CHECK(done.empty());  // queued, no worker woken yet
  pool.WakeDeferred();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (done.size() < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    pool.TakeCompleted(&done);
  }
  CHECK(done.size() == n);
  for (auto& j : done) CHECK(j->status == Status::kOk);
}

TEST(pool_deferred_jobs_wake_a_worker_once_a_batch_is_queued) {
  std::vector<uint8_t> pub(32), priv(64);
  DhGenerate(DhGroup::kCurve25519, pub.data(), priv.data());
  JobPool pool(1, Notify, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::size_t n = JobPool::kWakeBatch;
  for (std::size_t i = 0; i < n; ++i) {
    auto job = RespondJob(static_cast<uint32_t>(i), pub);
    CHECK(pool.Submit(job, JobPool::Wake::kDeferred));
  }
  std::vector<std::unique_ptr<PoolJob>> done;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (done.size() < n && std::chrono::steady_clock::now() < deadline) {  // no WakeDeferred()
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    pool.TakeCompleted(&done);
  }
  CHECK(done.size() == n);
}

TEST(pool_worker_with_queued_work_notifies_once_per_run) {
  std::vector<uint8_t> pub(32), priv(64);
  DhGenerate(DhGroup::kCurve25519, pub.data(), priv.data());
  g_notifications = 0;
  JobPool pool(1, Notify, nullptr);
  const std::size_t n = JobPool::kHoldLimit - 1;  // fewer than the hold limit: one notification at the end
  for (std::size_t i = 0; i < n; ++i) {
    auto job = RespondJob(static_cast<uint32_t>(i), pub);
    CHECK(pool.Submit(job, JobPool::Wake::kDeferred));
  }
  pool.WakeDeferred();
  std::vector<std::unique_ptr<PoolJob>> done;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (g_notifications.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pool.TakeCompleted(&done);
  CHECK(g_notifications.load() == 1);
  CHECK(done.size() == n);  // the one notification came when the worker ran dry: every job is there
}
