# install.cmake - what `cmake --install` puts where: the alignmem command,
# its man page and bash completion, and libalignmem for other C programs
# (static always, shared unless AM_SHARED=OFF) with alignmem.h and a
# pkg-config file. Included from the top CMakeLists.txt after the targets.
include(GNUInstallDirs)

option(AM_SHARED "Also build the shared library libalignmem.so" ON)
# libFuzzer instrumentation needs the fuzzer runtime, which a shared
# library cannot pull in, so fuzz builds stay static.
if(AM_SHARED AND NOT AM_FUZZ)
  add_library(alignmem_shared SHARED ${AM_OBJECTS})
  set_target_properties(alignmem_shared PROPERTIES OUTPUT_NAME alignmem
    VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
  target_include_directories(alignmem_shared PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src> $<INSTALL_INTERFACE:include>)
  target_link_libraries(alignmem_shared PRIVATE ${AM_DEPS})
  # Export only the public API, the functions declared in alignmem.h:
  # module internals stay local, so no program can come to depend on them.
  # Names are read from the declarations, which start a line with the type.
  set(AM_EXPORTS "")
  foreach(h src/alignmem.h)
    file(STRINGS ${PROJECT_SOURCE_DIR}/${h} decls REGEX "^[a-z][^;(]*[ *]am_[a-z0-9_]+\\(")
    foreach(line ${decls})
      string(REGEX MATCH "am_[a-z0-9_]+\\(" name "${line}")
      if(name)
        string(REPLACE "(" "" name "${name}")
        string(APPEND AM_EXPORTS "    ${name};\n")
      endif()
    endforeach()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${h})
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/alignmem.map "{\n  global:\n${AM_EXPORTS}  local: *;\n};\n")
  target_link_options(alignmem_shared PRIVATE
    -Wl,--version-script=${PROJECT_BINARY_DIR}/alignmem.map)
  set_property(TARGET alignmem_shared APPEND PROPERTY LINK_DEPENDS
    ${PROJECT_BINARY_DIR}/alignmem.map)
  install(TARGETS alignmem_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(TARGETS alignmem_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS alignmem ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/src/alignmem.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/doc/alignmem.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Bash completion, generated from the option tables of src/cli/cmd_*.c at
# build time so it always matches the binary.
file(GLOB AM_CLI_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/cli/*.c)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/alignmem.bash
  COMMAND bash ${PROJECT_SOURCE_DIR}/completion/gen-completion.sh ${PROJECT_SOURCE_DIR}/src/cli
    ${PROJECT_BINARY_DIR}/alignmem.bash
  DEPENDS ${PROJECT_SOURCE_DIR}/completion/gen-completion.sh ${AM_CLI_SOURCES}
  VERBATIM)
add_custom_target(am_completion ALL DEPENDS ${PROJECT_BINARY_DIR}/alignmem.bash)
install(FILES ${PROJECT_BINARY_DIR}/alignmem.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME alignmem)

# The pkg-config file finds the prefix from its own place (${pcfiledir}),
# so `cmake --install --prefix ANY` and DESTDIR installs stay correct
# without regenerating it.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(AM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(AM_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH AM_PC_UP "/x/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/x")
  set(AM_PC_PREFIX "\${pcfiledir}/${AM_PC_UP}")
  set(AM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(AM_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(AM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/alignmem.pc.in ${PROJECT_BINARY_DIR}/alignmem.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/alignmem.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
