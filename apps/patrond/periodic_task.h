// Runs a task every `interval` on a thread of its own until stopped: patrond's housekeeping jobs.
// The task answers whether its run went without a failure; `done` is told each run's time and that.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace patron::apps {

class PeriodicTask {
  public:
    using Done = std::function<void(std::chrono::steady_clock::duration, bool)>;

    PeriodicTask(std::chrono::milliseconds interval, std::function<bool()> task, Done done = {})
        : interval_(interval), task_(std::move(task)), done_(std::move(done)), thread_([this] { run(); }) {}
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
            const auto started = std::chrono::steady_clock::now();
            const bool ok = task_();
            if (done_) done_(std::chrono::steady_clock::now() - started, ok);
            lock.lock();
        }
    }

    std::chrono::milliseconds interval_;
    std::function<bool()> task_;
    Done done_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace patron::apps
