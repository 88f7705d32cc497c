#include "net/target_table.h"

#include <atomic>
#include <cmath>
#include <cstring>

namespace ikelb::net {

namespace {

uint32_t LoadSeq(const TargetTableShared* t, std::memory_order order) {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(t->seq)).load(order);
}

// How many times a reader retries a copy that raced with the writer before it
// keeps the previous snapshot for this packet.
constexpr int kCopyAttempts = 4;

}  // namespace

TargetSelector::TargetSelector(const TargetTableShared* shared, TargetProjection* projection,
                               CounterBlock* counters)
    : shared_(shared), projection_(projection), counters_(counters) {}

bool TargetSelector::CopyConsistent(TargetTableShared& out) const {
  for (int attempt = 0; attempt < kCopyAttempts; attempt++) {
    uint32_t before = LoadSeq(shared_, std::memory_order_acquire);
    if (before & 1u) continue;  // the writer is in the middle of an update
    // Word-wise relaxed loads: the copy may race with the writer (that is what
    // the seq check detects), so it must not be a plain memcpy data race.
    const auto* src = reinterpret_cast<const uint64_t*>(shared_);
    auto* dst = reinterpret_cast<uint64_t*>(&out);
    for (size_t i = 0; i < sizeof(TargetTableShared) / 8; i++) {
      dst[i] = std::atomic_ref<uint64_t>(const_cast<uint64_t&>(src[i])).load(std::memory_order_relaxed);
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    uint32_t after = LoadSeq(shared_, std::memory_order_relaxed);
    if (before == after) {
      out.seq = before;
      return true;
    }
  }
  return false;
}

void TargetSelector::Adopt(const TargetTableShared& fresh, uint32_t seq) {
  size_t slots = fresh.slots > kMaxTargets ? kMaxTargets : fresh.slots;
  for (size_t i = 0; i < kMaxTargets; i++) {
    const TargetRow& now = fresh.rows[i];
    const TargetRow& before = snapshot_.rows[i];
    bool live = i < slots && now.family != 0;
    bool same_member = valid_ && live && before.family != 0 && before.id == now.id;
    if (!same_member) {
      // A new member in this slot (or an empty slot): its totals start at zero.
      Set(projection_->since_report[i], 0);
      Set(counters_->redirects_to[i], 0);
    } else if (before.report != now.report) {
      Set(projection_->since_report[i], 0);  // the new report includes them
    }
  }
  snapshot_ = fresh;
  snapshot_.slots = static_cast<uint32_t>(slots);
  candidate_count_ = 0;
  has_local_ = false;
  for (size_t i = 0; i < slots; i++) {
    const TargetRow& row = snapshot_.rows[i];
    if ((row.family != 4 && row.family != 6) || !(row.flags & kTargetEligible)) continue;
    const Candidate c{row.score, row.per_session, row.limit, row.capacity, row.rank, static_cast<uint32_t>(i)};
    if (row.flags & kTargetLocal) {
      if (!has_local_) local_ = c;
      has_local_ = true;
    } else {
      // Insertion by (rank, slot): then the first lowest key is the rule's
      // pick, ties included, with a strict `<` in Choose().
      uint32_t at = candidate_count_++;
      while (at > 0 && candidates_[at - 1].rank > c.rank) {
        candidates_[at] = candidates_[at - 1];
        at--;
      }
      candidates_[at] = c;
    }
  }
  for (uint32_t i = 0; i < candidate_count_; i++) Rekey(i);
  local_key_ = has_local_ ? ProjectedLocal() : INFINITY;
  seq_ = seq;
  adopted_++;
  valid_ = true;
  Set(projection_->snapshot_seq, seq);
}

void TargetSelector::Refresh() {
  TargetTableShared fresh;
  if (CopyConsistent(fresh)) Adopt(fresh, fresh.seq);
}

double TargetSelector::Projected(size_t slot) const {
  if (slot >= kMaxTargets) return INFINITY;
  const TargetRow& row = snapshot_.rows[slot];
  uint64_t since = std::atomic_ref<uint64_t>(projection_->since_report[slot]).load(std::memory_order_relaxed);
  return row.score + row.per_session * static_cast<double>(since);
}

// Signed conversion is one instruction; counts never reach 2^63.
static inline double Count(const uint64_t& word) { return static_cast<double>(static_cast<int64_t>(word)); }

void TargetSelector::Rekey(uint32_t i) {
  const Candidate& c = candidates_[i];
  const double n = Count(projection_->since_report[c.slot]);
  const double projected = c.score + c.per_session * n;
  // `!(a < b)` also refuses NaN scores and limits.
  keys_[i] = (projected < c.limit && n < c.capacity) ? projected : INFINITY;
}

double TargetSelector::ProjectedLocal() const {
  return local_.score + local_.per_session * Count(projection_->since_report[local_.slot]);
}

TargetChoice TargetSelector::Choose() {
  RefreshIfMoved();
  TargetChoice choice;
  if (!valid_) [[unlikely]] return choice;
  // The first lowest key in (rank, slot) order; an infinite key does not qualify.
  int best = -1;
  double best_projected = INFINITY;
  for (uint32_t i = 0; i < candidate_count_; i++) {
    if (keys_[i] < best_projected) {
      best = static_cast<int>(i);
      best_projected = keys_[i];
    }
  }
  // The I/O thread is the only writer of since_report: plain reads suffice.
  if (best >= 0 && !(has_local_ && local_key_ < best_projected)) [[likely]] {
    const uint32_t slot = candidates_[best].slot;
    Bump(projection_->since_report[slot]);
    Rekey(static_cast<uint32_t>(best));
    choice.kind = TargetChoice::kRemote;
    choice.slot = static_cast<int>(slot);
  } else if (has_local_) {
    Bump(projection_->since_report[local_.slot]);
    local_key_ = ProjectedLocal();
    choice.kind = TargetChoice::kLocal;
    choice.slot = static_cast<int>(local_.slot);
  } else {
    return choice;  // kNone: nobody qualifies; the caller serves locally
  }
  choice.row = &snapshot_.rows[choice.slot];
  return choice;
}

}  // namespace ikelb::net
