# One idiom for every target of the project:
#   crm_cc_library(NAME eventstore HDRS ... SRCS ... DEPS ... [PRIVATE_DEPS ...])
#     -> static library crm_eventstore, alias crm::eventstore; public headers under
#        <dir>/include, private sources under <dir>/src.
#   crm_cc_binary(NAME crm-devbroker SRCS ... DEPS ...)
#     -> an executable linked with the project's allocator (tcmalloc), as tests are.
#   crm_cc_test(NAME eventstore_test SRCS ... DEPS ... [LABELS ...] [TIMEOUT s])
#     -> a GoogleTest binary registered with CTest as one test (tests in one binary share
#        expensive fixtures such as the dev broker).
#   crm_proto_library(NAME common_proto PROTOS crm/v1/common.proto [DEPS ...] [GRPC]
#                     [IMPORT_DIRS ...])
# Project code builds with -Wall -Wextra -Werror; generated code does not.

set(CRM_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

function(crm_cc_library)
  cmake_parse_arguments(CC "" "NAME" "HDRS;SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target crm_${CC_NAME})
  if(CC_SRCS)
    add_library(${target} STATIC ${CC_SRCS} ${CC_HDRS})
    target_compile_options(${target} PRIVATE ${CRM_WARNINGS})
    target_link_libraries(${target} PUBLIC ${CC_DEPS} PRIVATE ${CC_PRIVATE_DEPS})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
      target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
    endif()
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/src)
      target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    endif()
  else()
    add_library(${target} INTERFACE ${CC_HDRS})
    target_link_libraries(${target} INTERFACE ${CC_DEPS})
    target_include_directories(${target} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
  endif()
  add_library(crm::${CC_NAME} ALIAS ${target})
endfunction()

# Links the project's allocator (CrmDependencies.cmake) into an executable. Nothing calls
# it by name, so the linker is told to keep it even where it drops unused libraries.
set(CMAKE_LINK_LIBRARY_USING_NO_AS_NEEDED "LINKER:--push-state,--no-as-needed" "<LINK_ITEM>"
    "LINKER:--pop-state")
set(CMAKE_LINK_LIBRARY_USING_NO_AS_NEEDED_SUPPORTED TRUE)
function(crm_link_allocator target)
  if(TCMALLOC_FOUND)
    target_link_libraries(${target} PRIVATE
                          "$<LINK_LIBRARY:NO_AS_NEEDED,${TCMALLOC_LINK_LIBRARIES}>")
  endif()
endfunction()

function(crm_cc_binary)
  cmake_parse_arguments(CC "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${CC_NAME} ${CC_SRCS})
  target_compile_options(${CC_NAME} PRIVATE ${CRM_WARNINGS})
  target_link_libraries(${CC_NAME} PRIVATE ${CC_DEPS})
  crm_link_allocator(${CC_NAME})
endfunction()

function(crm_cc_test)
  cmake_parse_arguments(CC "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${CC_NAME} ${CC_SRCS})
  target_compile_options(${CC_NAME} PRIVATE ${CRM_WARNINGS})
  target_link_libraries(${CC_NAME} PRIVATE ${CC_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  crm_link_allocator(${CC_NAME})
  add_test(NAME ${CC_NAME} COMMAND ${CC_NAME})
  if(NOT CC_TIMEOUT)
    set(CC_TIMEOUT 300)
  endif()
  set_tests_properties(${CC_NAME} PROPERTIES TIMEOUT ${CC_TIMEOUT} LABELS "${CC_LABELS}")
endfunction()

# Generates C++ (and with GRPC, gRPC stubs) from .proto files whose import root is the
# current source directory (plus IMPORT_DIRS), into a library crm_<NAME> / crm::<NAME>.
function(crm_proto_library)
  cmake_parse_arguments(PL "GRPC" "NAME" "PROTOS;DEPS;IMPORT_DIRS" ${ARGN})
  set(target crm_${PL_NAME})
  add_library(${target} STATIC ${PL_PROTOS})
  protobuf_generate(TARGET ${target} LANGUAGE cpp
                    IMPORT_DIRS ${CMAKE_CURRENT_SOURCE_DIR} ${PL_IMPORT_DIRS}
                    PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  if(PL_GRPC)
    protobuf_generate(TARGET ${target} LANGUAGE grpc
                      GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
                      PLUGIN "protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>"
                      IMPORT_DIRS ${CMAKE_CURRENT_SOURCE_DIR} ${PL_IMPORT_DIRS}
                      PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf gRPC::grpc++ ${PL_DEPS})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_BINARY_DIR})
  add_library(crm::${PL_NAME} ALIAS ${target})
endfunction()
