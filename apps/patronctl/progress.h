// A progress line for long patronctl work (expire, verify, keys rewrap, backup and restore,
// imports, insight refreshes) on a terminal: what, a bar, done of total, the rate and the time
// left, redrawn ten times a second on standard error from what the work counted
// (service::WorkProgress, or any other reading). Not drawn when standard error is no terminal,
// TERM is dumb, or patronctl was told --quiet.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "loyalty/service/runtime/work_progress.h"

namespace patron::apps {

// "verify  [##########----------]  4,210/10,000 members  812/s  0:07 left", fitted to `width`
// columns (the bar shrinks, down to none). A total of 0 is unknown: no bar and no time left;
// nothing counted yet either, and only the time so far is shown.
std::string progress_line(std::string_view what, std::string_view unit, long long done, long long total,
                          std::chrono::duration<double> elapsed, int width);

// Whether a progress line belongs on this process's standard error.
bool progress_wanted(bool quiet);

// patronctl's --quiet, set once by its main before any command runs, and whether, with it, a
// command's progress line is drawn.
void set_progress_quiet(bool quiet);
bool progress_shown();

// (done, total) as the work stands now.
using ProgressReading = std::function<std::pair<long long, long long>()>;

// For work that counts nothing (a wait, a phase of another program): the line shows the time so far.
ProgressReading time_only();

class Progress {
  public:
    // Draws from `read` until finish(), on a thread of its own; `shown` false draws nothing.
    Progress(std::string what, std::string unit, ProgressReading read, bool shown);
    // The same, from what `work` counts.
    Progress(std::string what, std::string unit, const service::WorkProgress& work, bool shown);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // A line of the command's own output (a refused row), printed on standard output above the
    // progress line, which is drawn again below it.
    void note(const std::string& line);
    // The last line drawn whole, then a new line; nothing more is drawn. Called before the
    // command says how it ended, so that its words start a line of their own.
    void finish();

  private:
    void draw();
    void run();

    std::string what_;
    std::string unit_;
    ProgressReading read_;
    bool shown_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable wake_;
    bool finished_ = false;
    std::thread drawer_;
};

}  // namespace patron::apps
