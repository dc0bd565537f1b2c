# Test helpers shared by every folder: GoogleTest unit tests live beside the
# code they test and are registered with imageplan_add_unit_test().
find_package(GTest REQUIRED)
include(GoogleTest)

# imageplan_add_unit_test(<name> SOURCES <files...> LIBRARIES <targets...>)
function(imageplan_add_unit_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBRARIES")
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBRARIES} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                       PROPERTIES LABELS unit)
endfunction()
