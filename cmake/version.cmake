# Writes OUT (configs/version.cc in the build tree) with nocsim's version: `git describe` of the
# source tree (SOURCE_DIR) when it is a git checkout, else PROJECT_VERSION. Run at every build by
# the nocsim_version target; the file is rewritten only when the version changed, so an unchanged
# tree recompiles nothing.
set(version "${PROJECT_VERSION}")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --tags --always --dirty
                  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE described
                  RESULT_VARIABLE failed OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT failed AND described)
    # Without a tag, describe gives the bare commit: say which release line it is on.
    if(described MATCHES "^[0-9a-f]+(-dirty)?$")
      set(version "${PROJECT_VERSION}+g${described}")
    else()
      set(version "${described}")
    endif()
  endif()
endif()
set(NOCSIM_VERSION_STRING "${version}")
configure_file(${SOURCE_DIR}/configs/version.cc.in ${OUT} @ONLY)
