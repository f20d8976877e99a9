# octet_library(NAME DIR [DEPS ...]): a static library from every .cpp under DIR (recursively),
# so adding a source file needs no CMake edit. Exposed as Octet::NAME. A DIR with no sources yet
# gives an interface library that only forwards its DEPS.
function(octet_library name dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC
      $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
      $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/runtime/include>)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE
      $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
      $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/runtime/include>)
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
  add_library(Octet::${name} ALIAS ${name})
endfunction()

# octet_test_area(AREA [OPS_SHARDS N] DEPS...): one gtest executable `unit_<AREA>` from
# tests/unit/AREA/*.cpp, registered with ctest. Each area links only what it tests, so one broken
# library does not stop the others from building. Every test is its own ctest entry except the
# single-op zoo cases (the `Ops/` instantiations: thousands of cases of a few milliseconds each),
# which run as N entries `unit_<AREA>:ops_<i>_of_<N>` (gtest's own sharding, failures listed by
# case name): one process per case cost far more than the cases themselves (Ops/OpenClZoo on a
# cold PoCL cache: 316 s of ctest time as 1,356 processes, 74 s as one).
function(octet_test_area area)
  cmake_parse_arguments(ARG "" "OPS_SHARDS" "" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${area}/*.cpp)
  if(NOT sources)
    return()
  endif()
  set(target unit_${area})
  add_executable(${target} ${sources})
  target_link_libraries(${target} PRIVATE ${ARG_UNPARSED_ARGUMENTS} GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE OCTET_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(environment "POCL_CACHE_DIR=${CMAKE_BINARY_DIR}/pocl-cache;OCTET_CACHE_DIR=${CMAKE_BINARY_DIR}/octet-cache")
  set(filter "*")
  if(ARG_OPS_SHARDS)
    set(filter "-Ops/*")
    math(EXPR last "${ARG_OPS_SHARDS} - 1")
    foreach(shard RANGE ${last})
      set(name "${target}:ops_${shard}_of_${ARG_OPS_SHARDS}")
      add_test(NAME ${name} COMMAND ${target} --gtest_filter=Ops/* --gtest_brief=1)
      # A shard that selects no case (the suites renamed) fails instead of passing empty.
      set_tests_properties(${name} PROPERTIES ENVIRONMENT
        "${environment};GTEST_TOTAL_SHARDS=${ARG_OPS_SHARDS};GTEST_SHARD_INDEX=${shard}"
        FAIL_REGULAR_EXPRESSION "\\[==========\\] 0 tests from")
    endforeach()
  endif()
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 TEST_FILTER "${filter}" PROPERTIES ENVIRONMENT "${environment}")
endfunction()
