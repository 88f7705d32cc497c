// The redirect target table: written by TypeScript whenever load reports
// arrive (lib/net/target-table.ts), read by the fast path on the I/O thread.
//
// Concurrency: a seqlock. The writer (the JS thread, the only one) makes `seq`
// odd with Atomics.add, rewrites rows, and makes it even again. A reader copies
// the table and keeps the copy only if `seq` was even and unchanged around the
// copy, so it never acts on a torn row. The reader never waits: if a write is
// in progress it keeps its previous snapshot and looks again at the next
// packet. The fast path checks `seq` with one acquire load per redirect
// decision and copies only when it moved.
//
// Projection (why a burst spreads): between two load reports the table's
// scores are stale, so every client the fast path sends somewhere is added to
// that target's projected load:
//     projected = score + per_session * redirects_since_report
// score is the member's weighted load at its last report (the CLB uses
// 0..100), per_session how much one more session raises it (the CLB's
// scorePerSession = wc*100 / (max-session*(wc+ws)); in the brief's terms
// k / capacity). Choice (the CLB's rule, lib/cluster/clb/redirect-targets.ts):
//   - among eligible remote rows with projected < limit (overload-limit) and
//     redirects_since_report < capacity (sessions it can still take), take
//     the lowest (projected, rank);
//   - serve locally instead when the local row is eligible and its projected
//     load is strictly lower (the primary already carries the redirect work),
//     or when no remote row qualifies.
// A pick of the local row counts into its projection too. A new report
// (a row's `report` number changed) resets that row's count to 0: the report
// now includes those sessions.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "net/counters.h"

namespace ikelb::net {

constexpr uint32_t kTargetEligible = 1u << 0;  // the cluster allows choosing it
constexpr uint32_t kTargetLocal = 1u << 1;     // this gateway: serve, do not redirect

struct TargetRow {
  uint8_t address[16];  // network order; IPv4 uses the first 4 bytes
  uint32_t family;      // 0 = empty slot, 4 or 6
  uint32_t flags;       // kTargetEligible | kTargetLocal
  uint32_t id;          // stable member id (TypeScript keeps a member in its slot)
  uint32_t report;      // changes with every load report of this member
  uint32_t rank;        // tie-break, lower wins (the CLB's LLG order)
  uint32_t reserved;
  double score;         // weighted load at the last report
  double per_session;   // score added by each redirect since that report
  double capacity;      // sessions it can still take
  double limit;         // projected load at which it is skipped (overload-limit)
};
static_assert(sizeof(TargetRow) == 72);

struct alignas(64) TargetTableShared {
  uint32_t seq;    // seqlock word (Atomics on the JS side)
  uint32_t slots;  // slots in use: rows[0 .. slots)
  uint8_t reserved[56];
  TargetRow rows[kMaxTargets];
};

// Native-owned, JS-readable state of the projection (BigUint64Array view).
struct alignas(64) TargetProjection {
  uint64_t since_report[kMaxTargets];  // redirects counted since the last report
  uint64_t snapshot_seq;               // the table seq the reader last acted on
};

struct TargetChoice {
  enum Kind : uint8_t { kNone, kLocal, kRemote };
  Kind kind = kNone;      // kNone: no row qualifies (serve locally)
  int slot = -1;
  const TargetRow* row = nullptr;
};

// The fast path's reader: single-threaded (the I/O thread).
class TargetSelector {
 public:
  TargetSelector(const TargetTableShared* shared, TargetProjection* projection, CounterBlock* counters);

  // Applies the rule above and counts the pick into the chosen row's
  // projection. Never blocks, never allocates.
  TargetChoice Choose();

  // Projected load of a slot in the current snapshot (for tests and show).
  double Projected(size_t slot) const;

  // Changes whenever a new table is adopted (answer templates key on it).
  uint32_t adopted() const { return adopted_; }

 private:
  // One acquire load per decision; the copy only when the table moved.
  void RefreshIfMoved() {
    if (valid_ && std::atomic_ref<uint32_t>(const_cast<uint32_t&>(shared_->seq)).load(std::memory_order_acquire) ==
                      seq_) [[likely]] {
      return;
    }
    Refresh();
  }
  void Refresh();
  bool CopyConsistent(TargetTableShared& out) const;
  void Adopt(const TargetTableShared& fresh, uint32_t seq);

  // The rows Choose() looks at, compacted when a table is adopted: eligible
  // remote rows ordered by (rank, slot), and the eligible local row.
  struct Candidate {
    double score;
    double per_session;
    double limit;
    double capacity;
    uint32_t rank;
    uint32_t slot;
  };
  // Projected load of candidate i, or +inf while it does not qualify (over its
  // limit or out of capacity). Only the I/O thread changes since_report (at a
  // pick, or at Adopt), so a key is recomputed only for the row just picked:
  // a choice is one pass over a few doubles, not a re-projection of every row.
  void Rekey(uint32_t i);

  double ProjectedLocal() const;

  const TargetTableShared* shared_;
  TargetProjection* projection_;
  CounterBlock* counters_;
  TargetTableShared snapshot_{};
  Candidate candidates_[kMaxTargets] = {};
  double keys_[kMaxTargets] = {};
  uint32_t candidate_count_ = 0;
  double local_key_ = 0;  // the local row's projected load (no limit applies to it)
  Candidate local_{};
  bool has_local_ = false;
  uint32_t seq_ = 0xffffffffu;
  uint32_t adopted_ = 0;
  bool valid_ = false;
};

}  // namespace ikelb::net
