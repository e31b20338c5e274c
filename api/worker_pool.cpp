#include "api/worker_pool.h"

namespace patron::api {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_max)
    : queue_max_(queue_max), thread_count_(std::max<std::size_t>(threads, 1)) {
    for (std::size_t i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { run(); });
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (queue_.size() >= queue_max_) {
            rejected_.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    threads_.clear();
}

void WorkerPool::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // Stopping, and nothing left to do.
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        // A task that throws must not end the process (an exception leaving a thread calls
        // std::terminate): the answer path guards itself, and this guards everything else.
        busy_.fetch_add(1, std::memory_order_relaxed);
        try {
            task();
        } catch (...) {
            ++faults_;
        }
        busy_.fetch_sub(1, std::memory_order_relaxed);
    }
}

}  // namespace patron::api
