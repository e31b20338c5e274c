// Runs a task every `interval` on a thread of its own until stopped: patrond's housekeeping
// (forgetting old POS nonces now; expiring lots and purging idempotency keys later).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace patron::apps {

class PeriodicTask {
  public:
    PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task)
        : interval_(interval), task_(std::move(task)), thread_([this] { run(); }) {}
    ~PeriodicTask() { stop(); }
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

  private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
            lock.unlock();
            task_();
            lock.lock();
        }
    }

    std::chrono::milliseconds interval_;
    std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace patron::apps
