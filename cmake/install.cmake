# `cmake --install build --prefix P`: the nocsim command, the libraries, their public headers
# (P/include/nocsim/<folder>/...), the shipped configs and models (P/share/nocsim, a tree that
# NOCSIM_HOME can name), the Python package, and an exported CMake package, so that an out-of-tree
# codec plugin builds with find_package(nocsim) and links nocsim::compression (README, "Out-of-tree
# codecs"; cmake/install_test.cmake checks it).
include(CMakePackageConfigHelpers)

set(NOCSIM_LIBRARIES nocsim_config nocsim_noc nocsim_compression nocsim_models nocsim_pe nocsim_tools)
install(TARGETS ${NOCSIM_LIBRARIES} EXPORT nocsimTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS nocsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

foreach(folder configs noc compression models pe tools)
  install(DIRECTORY ${folder}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nocsim/${folder}
          FILES_MATCHING PATTERN "*.h"
          PATTERN "examples" EXCLUDE PATTERN "fuzz" EXCLUDE PATTERN "python" EXCLUDE)
endforeach()
install(DIRECTORY ${CMAKE_BINARY_DIR}/configs/schema/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nocsim/configs/schema FILES_MATCHING PATTERN "*.pb.h")
install(DIRECTORY configs/schema/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nocsim/configs/schema
        FILES_MATCHING PATTERN "*.proto")

set(NOCSIM_DATA_DIR ${CMAKE_INSTALL_DATADIR}/nocsim)
foreach(folder tech study traffic reference)
  install(DIRECTORY configs/${folder} DESTINATION ${NOCSIM_DATA_DIR}/configs)
endforeach()
install(DIRECTORY models/trained DESTINATION ${NOCSIM_DATA_DIR}/models)
install(FILES LICENSE CITATION.cff README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(NOCSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/nocsim)
install(EXPORT nocsimTargets NAMESPACE nocsim:: DESTINATION ${NOCSIM_CMAKE_DIR})
configure_package_config_file(cmake/nocsimConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/nocsimConfig.cmake
                              INSTALL_DESTINATION ${NOCSIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/nocsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/nocsimConfig.cmake ${CMAKE_BINARY_DIR}/nocsimConfigVersion.cmake
        DESTINATION ${NOCSIM_CMAKE_DIR})

if(NOCSIM_PYTHON)
  set(NOCSIM_PYTHON_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/python3/dist-packages CACHE STRING
      "Where cmake --install puts the Python package nocsim (relative to the prefix)")
  file(RELATIVE_PATH to_libs /${NOCSIM_PYTHON_INSTALL_DIR}/nocsim /${CMAKE_INSTALL_LIBDIR})
  set_target_properties(nocsim_python PROPERTIES INSTALL_RPATH "$ORIGIN/${to_libs}")
  install(TARGETS nocsim_python LIBRARY DESTINATION ${NOCSIM_PYTHON_INSTALL_DIR}/nocsim)
  install(DIRECTORY tools/python/nocsim/ DESTINATION ${NOCSIM_PYTHON_INSTALL_DIR}/nocsim
          FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
endif()

# Installs into a temporary prefix, builds compression/examples/ against it as an out-of-tree
# project, and loads the plugin with the installed nocsim (and imports the installed Python
# package).
add_test(NAME packaging_install_and_build_plugin
         COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
                 -DTEMP_DIR=/tmp -DGENERATOR=${CMAKE_GENERATOR}
                 -DPYTHON=$<IF:$<BOOL:${NOCSIM_PYTHON}>,${Python3_EXECUTABLE},>
                 -DPYTHON_DIR=${NOCSIM_PYTHON_INSTALL_DIR}
                 -P ${CMAKE_SOURCE_DIR}/cmake/install_test.cmake)
set_tests_properties(packaging_install_and_build_plugin PROPERTIES TIMEOUT 600)
