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

# octet_test_area(AREA DEPS...): one gtest executable `unit_<AREA>` from tests/unit/AREA/*.cpp,
# registered with ctest. Each area links only what it tests, so one broken library does not stop
# the others from building.
function(octet_test_area area)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${area}/*.cpp)
  if(NOT sources)
    return()
  endif()
  set(target unit_${area})
  add_executable(${target} ${sources})
  target_link_libraries(${target} PRIVATE ${ARGN} GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE OCTET_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "POCL_CACHE_DIR=${CMAKE_BINARY_DIR}/pocl-cache;OCTET_CACHE_DIR=${CMAKE_BINARY_DIR}/octet-cache")
endfunction()
