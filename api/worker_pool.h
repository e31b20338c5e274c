// A bounded pool of worker threads for everything that touches the database, sized to the
// connection pool, so Pistache's threads never block. A full queue refuses work at once
// (the caller answers 503 with Retry-After); stop() runs what was queued, then joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace patron::api {

class WorkerPool {
  public:
    WorkerPool(std::size_t threads, std::size_t queue_max);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the queue is full or the pool is stopping.
    bool try_submit(std::function<void()> task);
    // Finishes every queued and running task, then joins the threads. Idempotent.
    void stop();
    // Tasks that threw (and were stopped there, the pool working on).
    std::size_t faults() const { return faults_; }
    // For /metrics: tasks waiting, threads running one, refusals of a full queue since the start.
    std::size_t queued() const;
    std::size_t busy() const { return busy_.load(std::memory_order_relaxed); }
    std::uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }
    std::size_t threads() const { return thread_count_; }
    std::size_t capacity() const { return queue_max_; }

  private:
    void run();

    std::size_t queue_max_;
    std::size_t thread_count_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::atomic<std::size_t> faults_{0};
    std::atomic<std::size_t> busy_{0};
    std::atomic<std::uint64_t> rejected_{0};
    std::vector<std::thread> threads_;
};

}  // namespace patron::api
