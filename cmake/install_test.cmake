# ctest packaging_install_and_build_plugin: installs the build into a temporary prefix, builds
# compression/examples/ and the README's plugin CMakeLists.txt against it as out-of-tree projects,
# and loads each plugin with the installed nocsim; imports the installed Python package.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DTEMP_DIR=/tmp -DGENERATOR=... [-DPYTHON=...
#         -DPYTHON_DIR=...] -P cmake/install_test.cmake
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# Outside the source tree, so that nothing is found there by walking up from the test's files.
string(RANDOM LENGTH 8 tag)
set(WORK_DIR ${TEMP_DIR}/nocsim_packaging_${tag})
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/nocsim include/nocsim/compression/codec.h include/nocsim/configs/schema/codec.pb.h
          share/nocsim/configs/tech/45nm.textproto share/nocsim/models/trained/pd_mlp_p4.pb)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()

# The README's plugin build file, verbatim, around a copy of the example codec.
file(READ ${SOURCE_DIR}/README.md readme)
string(FIND "${readme}" "Out-of-tree codec plugin" at)
if(at LESS 0)
  message(FATAL_ERROR "README.md: no section 'Out-of-tree codec plugin'")
endif()
string(SUBSTRING "${readme}" ${at} -1 readme)
string(FIND "${readme}" "```cmake\n" begin)
string(SUBSTRING "${readme}" ${begin} -1 readme)
string(REPLACE "```cmake\n" "" readme "${readme}")
string(FIND "${readme}" "```" end)
string(SUBSTRING "${readme}" 0 ${end} plugin_cmakelists)
file(WRITE ${WORK_DIR}/readme_plugin/CMakeLists.txt "${plugin_cmakelists}")
file(COPY ${SOURCE_DIR}/compression/examples/example_codec.cc DESTINATION ${WORK_DIR}/readme_plugin)
file(RENAME ${WORK_DIR}/readme_plugin/example_codec.cc ${WORK_DIR}/readme_plugin/my_codec.cc)

foreach(project examples readme_plugin)
  if(project STREQUAL "examples")
    set(src ${SOURCE_DIR}/compression/examples)
    set(lib libnocsim_example_codec.so)
  else()
    set(src ${WORK_DIR}/readme_plugin)
    set(lib libmy_codec.so)
  endif()
  set(build ${WORK_DIR}/build_${project})
  run("configure ${project}" ${CMAKE_COMMAND} -S ${src} -B ${build} -G ${GENERATOR}
      -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
  run("build ${project}" ${CMAKE_COMMAND} --build ${build})
  run("load ${project}" ${prefix}/bin/nocsim codecs --plugin ${build}/${lib})
  if(NOT last_output MATCHES "example_binary - example plugin")
    message(FATAL_ERROR "the installed nocsim did not list the plugin's codec:\n${last_output}")
  endif()
  # Named in a spec, the library loads only with --allow-plugin.
  execute_process(COMMAND ${prefix}/bin/nocsim codecs --try "@${build}/${lib}+example_binary"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0 OR NOT err MATCHES "is not allowed.*--allow-plugin")
    message(FATAL_ERROR "a plugin nobody allowed was loaded (${rc}):\n${out}\n${err}")
  endif()
  run("try ${project}" ${prefix}/bin/nocsim codecs --try "@${build}/${lib}+example_binary"
      --allow-plugin ${build}/${lib})
  if(NOT last_output MATCHES "bits/weight")
    message(FATAL_ERROR "the installed nocsim did not try the plugin's codec:\n${last_output}")
  endif()
endforeach()

# The installed tree is a nocsim tree for NOCSIM_HOME: a run from elsewhere finds its presets.
set(ENV{NOCSIM_HOME} ${prefix}/share/nocsim)
file(WRITE ${WORK_DIR}/run/s.textproto "tech_preset: \"45nm\"\nmodel { file: \"models/trained/pd_mlp_p4.pb\" }\n")
execute_process(COMMAND ${prefix}/bin/nocsim run ${WORK_DIR}/run/s.textproto --codec int8
                        --out ${WORK_DIR}/run/out
                WORKING_DIRECTORY ${WORK_DIR}/run RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR err MATCHES "warning" OR NOT out MATCHES "accuracy 89")
  message(FATAL_ERROR "installed nocsim run with NOCSIM_HOME failed (${rc}):\n${out}\n${err}")
endif()
file(READ ${WORK_DIR}/run/out/s.json result)
if(NOT result MATCHES "\"path\": \"${prefix}/share/nocsim/configs/tech/45nm.textproto\"")
  message(FATAL_ERROR "the result does not name the installed preset:\n${result}")
endif()

if(PYTHON)
  set(ENV{PYTHONPATH} ${prefix}/${PYTHON_DIR})
  run("import the installed Python package" ${PYTHON} -c
      "import nocsim, sys; assert nocsim.__file__.startswith(sys.argv[1]), nocsim.__file__; print(nocsim.version())"
      ${prefix})
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "installed, both plugins built against the installed tree and loaded")
