// patronctl's backups: a consistent hot copy of the database taken with mariadb-backup while
// patrond serves, restored into an empty data directory, and the binary log replayed on top of
// it up to a given moment (point-in-time recovery). The keys file is never part of a backup.
#pragma once

#include <string>
#include <vector>

namespace patron::apps {

// patronctl backup DIR
int backup_command(const std::vector<std::string>& args);

// patronctl restore DIR DATADIR
// patronctl restore replay DIR BINLOG_DIR [--until "YYYY-MM-DD HH:MM:SS"]   (UTC)
int restore_command(const std::vector<std::string>& args);

}  // namespace patron::apps
