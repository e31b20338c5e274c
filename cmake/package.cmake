# The Debian package, built by scripts/package with `cpack -G DEB` from a Release build:
#   /usr/bin/patrond, /usr/bin/patronctl        the migrations are compiled in
#   /etc/patron/patron.conf                     every setting, commented (patrond --config-template)
#   /lib/systemd/system/patron.service          sandboxed, Type=notify, Restart=on-failure
#   /usr/share/patron/web                       the portal, the console and the API reference page
#   /usr/share/doc/patron                       README.md, docs/, deploy/, examples/, copyright, changelog
# The maintainer scripts (packaging/debian) make the patron system user and /var/lib/patron (0700).
# Its dependencies are Debian's runtime packages, found by dpkg-shlibdeps from the programs' links.

install(TARGETS patrond patronctl RUNTIME DESTINATION bin)

# The configuration file, written by the patrond just built.
add_custom_command(
    OUTPUT ${PROJECT_BINARY_DIR}/packaging/patron.conf
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging
    COMMAND $<TARGET_FILE:patrond> --config-template > ${PROJECT_BINARY_DIR}/packaging/patron.conf
    DEPENDS patrond
    VERBATIM)
add_custom_target(patron_conf ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/patron.conf)
install(FILES ${PROJECT_BINARY_DIR}/packaging/patron.conf DESTINATION /etc/patron
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES packaging/patron.service DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# The web pages, when they were built (scripts/package builds them first).
set(PATRON_WEB_BUILD "${PROJECT_SOURCE_DIR}/build/web" CACHE PATH "The built web pages the package carries")
install(DIRECTORY ${PATRON_WEB_BUILD}/ DESTINATION share/patron/web OPTIONAL)

# The documentation an operator and an integrator read on the server.
set(doc share/doc/patron)
install(FILES README.md DESTINATION ${doc})
install(FILES packaging/debian/copyright DESTINATION ${doc})
install(DIRECTORY docs/ DESTINATION ${doc}/docs)
install(DIRECTORY deploy/ DESTINATION ${doc}/deploy)
# Without their execute bits: documentation to copy from, not programs of the package.
install(DIRECTORY examples/ DESTINATION ${doc}/examples FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES api/openapi.yaml DESTINATION ${doc})
# A native package's changelog, compressed as Debian wants it.
set(changelog ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${PROJECT_BINARY_DIR}/packaging/changelog
     "patron (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
     "  * Release ${PROJECT_VERSION}: see README.md.\n\n"
     " -- Patron maintainers <maintainers@patron.invalid>  ${changelog_date}\n")
add_custom_command(
    OUTPUT ${changelog}
    COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/packaging/changelog > ${changelog}
    DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog
    VERBATIM)
add_custom_target(patron_changelog ALL DEPENDS ${changelog})
install(FILES ${changelog} DESTINATION ${doc})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME patron)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "loyalty-programme and customer-club server for retail and hospitality")
# The extended description (the synopsis is the summary above), in lines of at most 80.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "Patron gives points, stamps, cashback and coupons at the till through signed\n"
       "POS requests, serves a member portal and a staff console, and reports on the\n"
       "programme. Personal data is sealed at rest. It runs on MariaDB.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Patron maintainers <maintainers@patron.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mariadb-server (>= 1:10.11), mariadb-backup")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
