# Install and export rules: `cmake --install` puts the imageplan executable and
# its CMake package (imageplanConfig.cmake, imageplanConfigVersion.cmake,
# imageplanTargets.cmake and the module defining add_container_image()) under
# the prefix; the build tree holds the same package, for
# -Dimageplan_DIR=<build dir>. Both provide the imported target
# imageplan::imageplan. Included by the top-level CMakeLists.txt once the
# imageplan target exists.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# A project that adds imageplan with add_subdirectory or FetchContent gets the
# function and imageplan::imageplan (an alias) without these rules.
option(IMAGEPLAN_INSTALL "Install rules and the build-tree package for imageplan"
       ${PROJECT_IS_TOP_LEVEL})
if(NOT IMAGEPLAN_INSTALL)
  return()
endif()

set(IMAGEPLAN_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/imageplan" CACHE STRING
    "Where the imageplan CMake package is installed, relative to the prefix")

install(TARGETS imageplan EXPORT imageplanTargets
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT imageplanTargets
        NAMESPACE imageplan::
        DESTINATION "${IMAGEPLAN_INSTALL_CMAKEDIR}")

set(_imageplan_module "${PROJECT_SOURCE_DIR}/cmake/imageplanAddContainerImage.cmake")
set(_imageplan_package_dir "${PROJECT_BINARY_DIR}/imageplan-package")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/imageplanConfig.cmake.in"
  "${_imageplan_package_dir}/install/imageplanConfig.cmake"
  INSTALL_DESTINATION "${IMAGEPLAN_INSTALL_CMAKEDIR}")
# imageplan is a build tool: a consumer of any architecture (or none, with
# LANGUAGES NONE) may use it, so the version check ignores the pointer size.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/imageplanConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
          "${_imageplan_package_dir}/install/imageplanConfig.cmake"
          "${PROJECT_BINARY_DIR}/imageplanConfigVersion.cmake"
          "${_imageplan_module}"
        DESTINATION "${IMAGEPLAN_INSTALL_CMAKEDIR}")

# The build tree as a package: -Dimageplan_DIR=<this build dir> (or the build
# dir in CMAKE_PREFIX_PATH) imports the freshly built executable.
export(EXPORT imageplanTargets
       NAMESPACE imageplan::
       FILE "${PROJECT_BINARY_DIR}/imageplanTargets.cmake")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/imageplanConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/imageplanConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
configure_file("${_imageplan_module}" "${PROJECT_BINARY_DIR}/imageplanAddContainerImage.cmake"
               COPYONLY)
