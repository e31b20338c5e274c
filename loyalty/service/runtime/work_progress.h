// How far a long piece of work has come, for whoever shows it (patronctl's progress line): the
// work adds to `done` as it goes and sets `total` once it knows it (0 while it does not). Plain
// atomics, so that the work never waits on whoever reads them, from another thread.
#pragma once

#include <atomic>

namespace patron::service {

struct WorkProgress {
    std::atomic<long long> done{0};
    std::atomic<long long> total{0};

    void add(long long count) { done.fetch_add(count, std::memory_order_relaxed); }
    void add_to_total(long long count) { total.fetch_add(count, std::memory_order_relaxed); }
};

// `progress` when there is one: the work's callers may pass none.
inline void add_done(WorkProgress* progress, long long count) {
    if (progress != nullptr) progress->add(count);
}
inline void add_total(WorkProgress* progress, long long count) {
    if (progress != nullptr) progress->add_to_total(count);
}

}  // namespace patron::service
