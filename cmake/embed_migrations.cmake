# Writes a C++ source holding every migration file as a raw string, so that patrond and
# patronctl carry their schema with them. Called at build time with OUTPUT and FILES set.
set(body "// Generated from migrations/*.sql by cmake/embed_migrations.cmake. Do not edit.\n")
string(APPEND body "#include \"loyalty/store/db/embedded_migrations.h\"\n\nnamespace patron::store {\n\n")
string(APPEND body "std::vector<EmbeddedMigration> embedded_migrations() {\n    return {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(file IN LISTS FILES)
    get_filename_component(name "${file}" NAME)
    file(READ "${file}" sql)
    string(APPEND body "        {\"${name}\", R\"patron_sql(${sql})patron_sql\"},\n")
endforeach()
string(APPEND body "    };\n}\n\n}  // namespace patron::store\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
