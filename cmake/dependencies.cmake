# Third-party libraries, all from Debian 12 packages. Pistache, SOCI and MariaDB ship no CMake
# package, so they become imported targets here and the modules link them by name.
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
# libcurl: percent-decoding of query parameters (Pistache leaves them encoded); tests' HTTP client.
find_package(CURL REQUIRED)
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
# sd_notify(): patrond tells systemd when it serves and when it stops (Type=notify).
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
# jemalloc (libjemalloc-dev): patrond's allocator outside the sanitizers' builds, which bring their
# own, and the fuzz targets' build, which has no patrond.
if(NOT PATRON_SANITIZE AND NOT PATRON_FUZZ)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_MYSQL_LIBRARY soci_mysql REQUIRED)
add_library(patron_third_party_soci INTERFACE)
target_link_libraries(patron_third_party_soci INTERFACE ${SOCI_MYSQL_LIBRARY} ${SOCI_CORE_LIBRARY} PkgConfig::MARIADB)
add_library(Patron::soci ALIAS patron_third_party_soci)

# Boost.Math (header-only, libboost-dev): Student's t and the normal quantiles of the campaign
# effectiveness report's confidence intervals.
find_package(Boost 1.74 REQUIRED)

# POSLog XML and end-of-day CSV files.
find_package(pugixml REQUIRED)
find_library(CSV_LIBRARY csv REQUIRED)
add_library(patron_third_party_csv INTERFACE)
target_link_libraries(patron_third_party_csv INTERFACE ${CSV_LIBRARY})
add_library(Patron::csv ALIAS patron_third_party_csv)

# HTTP/1.1 requests are read by Node's http-parser (Debian's libhttp-parser-dev); Pistache
# carries the bytes.
find_library(HTTP_PARSER_LIBRARY http_parser REQUIRED)
add_library(patron_third_party_http_parser INTERFACE)
target_link_libraries(patron_third_party_http_parser INTERFACE ${HTTP_PARSER_LIBRARY})
add_library(Patron::http_parser ALIAS patron_third_party_http_parser)

# Time zones: Howard Hinnant's date library (libhowardhinnant-date-dev) reads the system's tzdata,
# since g++ 12's standard library has no time zone database. Its CMake package carries the
# definitions it was built with (USE_OS_TZDB changes the layout of date::time_zone).
find_package(date 3 CONFIG REQUIRED)
