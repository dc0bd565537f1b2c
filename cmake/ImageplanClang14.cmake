# Clang 14 with libstdc++ 12 cannot compile LLVM 14's llvm/Support/JSON.h as
# C++20 (json::Array holds a std::vector of the json::Value declared after it,
# and Clang 14 instantiates the vector's constexpr members early;
# llvm-project#55780, fixed in LLVM 15). The asan preset builds with Clang 14,
# so there the sources that include JSON.h are compiled as C++17, which they
# are written to allow; any other compiler builds them as C++20. Included at
# the end of the top-level CMakeLists.txt, once every target exists.
if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 15))
  return()
endif()

function(_imageplan_json_as_cxx17 dir)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      continue()
    endif()
    get_target_property(source_dir ${target} SOURCE_DIR)
    get_target_property(sources ${target} SOURCES)
    foreach(source IN LISTS sources)
      if(NOT source MATCHES "\\.cpp$")
        continue()
      endif()
      if(NOT IS_ABSOLUTE "${source}")
        set(source "${source_dir}/${source}")
      endif()
      # A source generated at build time (dsl/compat.yaml embedded as C++)
      # does not exist yet, and includes no JSON.h.
      if(NOT EXISTS "${source}")
        continue()
      endif()
      file(STRINGS "${source}" json REGEX "include \"llvm/Support/JSON.h\"")
      if(json)
        set_source_files_properties("${source}" TARGET_DIRECTORY ${target}
                                    PROPERTIES COMPILE_OPTIONS "-std=c++17")
      endif()
    endforeach()
  endforeach()
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    _imageplan_json_as_cxx17("${subdir}")
  endforeach()
endfunction()

_imageplan_json_as_cxx17("${PROJECT_SOURCE_DIR}")
