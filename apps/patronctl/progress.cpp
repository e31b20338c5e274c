#include "apps/patronctl/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace patron::apps {
namespace {

// 1234567 as "1,234,567".
std::string grouped(long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return value < 0 ? "-" + digits : digits;
}

// Seconds as "0:07", "12:30" or "3:04:05".
std::string clock_of(double seconds) {
    const long long whole = static_cast<long long>(std::llround(std::max(seconds, 0.0)));
    const long long hours = whole / 3600, minutes = whole / 60 % 60, rest = whole % 60;
    char text[32];
    if (hours > 0) {
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", hours, minutes, rest);
    } else {
        std::snprintf(text, sizeof text, "%lld:%02lld", minutes, rest);
    }
    return text;
}

int terminal_width() {
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

}  // namespace

std::string progress_line(std::string_view what, std::string_view unit, long long done, long long total,
                          std::chrono::duration<double> elapsed, int width) {
    const double seconds = elapsed.count();
    std::string line(what);
    if (done == 0 && total == 0) {
        line += "  " + clock_of(seconds);
        if (width > 0 && static_cast<int>(line.size()) > width) line.resize(static_cast<std::size_t>(width));
        return line;
    }
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    std::string counts = grouped(done) + (total > 0 ? "/" + grouped(total) : "") + " " + std::string(unit);
    std::string tail = "  " + counts + "  " + grouped(std::llround(rate)) + "/s";
    if (total > 0 && rate > 0 && done < total)
        tail += "  " + clock_of(static_cast<double>(total - done) / rate) + " left";
    if (total > 0 && done >= total) tail += "  " + clock_of(seconds);
    const int room = width - static_cast<int>(line.size() + tail.size()) - 4;  // "  [" and "]"
    if (total > 0 && room >= 10) {
        const int bar = std::min(room, 40);
        const int filled = static_cast<int>(std::clamp<long long>(bar * done / total, 0, bar));
        line += "  [" + std::string(static_cast<std::size_t>(filled), '#') +
                std::string(static_cast<std::size_t>(bar - filled), '-') + "]";
    }
    line += tail;
    if (width > 0 && static_cast<int>(line.size()) > width) line.resize(static_cast<std::size_t>(width));
    return line;
}

bool progress_wanted(bool quiet) {
    if (quiet || isatty(STDERR_FILENO) == 0) return false;
    const char* term = std::getenv("TERM");
    return term == nullptr || std::string_view(term) != "dumb";
}

namespace {
bool quiet_flag = false;
}  // namespace

void set_progress_quiet(bool quiet) { quiet_flag = quiet; }

ProgressReading time_only() {
    return [] { return std::pair{0LL, 0LL}; };
}

bool progress_shown() { return progress_wanted(quiet_flag); }

Progress::Progress(std::string what, std::string unit, ProgressReading read, bool shown)
    : what_(std::move(what)), unit_(std::move(unit)), read_(std::move(read)), shown_(shown) {
    if (shown_) drawer_ = std::thread([this] { run(); });
}

Progress::Progress(std::string what, std::string unit, const service::WorkProgress& work, bool shown)
    : Progress(
          std::move(what), std::move(unit),
          [&work] {
              return std::pair{work.done.load(std::memory_order_relaxed), work.total.load(std::memory_order_relaxed)};
          },
          shown) {}

Progress::~Progress() { finish(); }

void Progress::note(const std::string& line) {
    const std::scoped_lock lock(mutex_);
    if (shown_ && !finished_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
    if (shown_ && !finished_) draw();
}

void Progress::finish() {
    {
        const std::scoped_lock lock(mutex_);
        if (finished_) return;
        if (shown_) {
            draw();
            std::fputs("\n", stderr);
        }
        finished_ = true;
    }
    wake_.notify_all();
    if (drawer_.joinable()) drawer_.join();
}

void Progress::run() {
    std::unique_lock lock(mutex_);
    while (!finished_) {
        draw();
        wake_.wait_for(lock, std::chrono::milliseconds(100));
    }
}

// Under mutex_.
void Progress::draw() {
    const auto [done, total] = read_();
    const int width = terminal_width() - 1;
    // "\r" and erase to the end of the line: a shorter line leaves nothing of the longer one.
    const std::string line =
        progress_line(what_, unit_, done, total, std::chrono::steady_clock::now() - started_, width);
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
}

}  // namespace patron::apps
