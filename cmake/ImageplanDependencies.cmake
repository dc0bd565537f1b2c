# Finds every third-party library imageplan uses. All of them come from Debian 12
# packages (see scripts/setup.sh); nothing is downloaded or vendored.

# Debian installs LLVM's CMake package under /usr/lib/llvm-<N>; llvm-config names it.
find_program(IMAGEPLAN_LLVM_CONFIG NAMES llvm-config llvm-config-14)
set(_imageplan_llvm_hints "")
if(IMAGEPLAN_LLVM_CONFIG)
  execute_process(COMMAND "${IMAGEPLAN_LLVM_CONFIG}" --cmakedir
                  OUTPUT_VARIABLE _imageplan_llvm_hints
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
find_package(LLVM REQUIRED CONFIG HINTS ${_imageplan_llvm_hints} /usr/lib/llvm-14/lib/cmake/llvm)
message(STATUS "imageplan: LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

add_library(imageplan_llvm_support INTERFACE)
target_include_directories(imageplan_llvm_support SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(imageplan_llvm_support INTERFACE ${LLVM_DEFINITIONS})
llvm_map_components_to_libnames(_imageplan_llvm_libs support)
target_link_libraries(imageplan_llvm_support INTERFACE ${_imageplan_llvm_libs})

find_package(yaml-cpp REQUIRED CONFIG)
find_package(Boost 1.74 REQUIRED COMPONENTS graph)
find_package(spdlog REQUIRED CONFIG)

# toml++ reads pyproject.toml (readers/Pyproject.cpp). Debian builds it as a
# shared library that exports only the throwing parse(), and its imported target
# selects that build (-DTOML_HEADER_ONLY=0); imageplan uses the headers alone, in
# the no-exceptions mode whose parse() returns the error with its position.
find_package(tomlplusplus 3.3 REQUIRED CONFIG)
add_library(imageplan_tomlplusplus INTERFACE)
get_target_property(_imageplan_toml_includes tomlplusplus::tomlplusplus
                    INTERFACE_INCLUDE_DIRECTORIES)
target_include_directories(imageplan_tomlplusplus SYSTEM INTERFACE ${_imageplan_toml_includes})
target_compile_definitions(imageplan_tomlplusplus INTERFACE TOML_HEADER_ONLY=1 TOML_EXCEPTIONS=0)
