# Writes a C++ source that defines one string constant holding a text file, so
# that data kept in the repository (dsl/compat.yaml) is part of the binary and
# never read or downloaded at run time. Run as a script:
#   cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -DNAMESPACE=<ns> -DSYMBOL=<name> -P ImageplanEmbedText.cmake
# The text goes into a raw string literal; the build fails if the file holds
# the literal's delimiter.
foreach(var INPUT OUTPUT NAMESPACE SYMBOL)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ImageplanEmbedText.cmake: ${var} is not set")
  endif()
endforeach()
file(READ "${INPUT}" text)
set(delimiter "IMAGEPLAN_TEXT")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter ${delimiter}")
endif()
get_filename_component(name "${INPUT}" NAME)
set(source "// Generated from ${name} by cmake/ImageplanEmbedText.cmake; do not edit.\n")
string(APPEND source "namespace ${NAMESPACE} {\n")
string(APPEND source "extern const char *const ${SYMBOL};\n")
string(APPEND source "const char *const ${SYMBOL} = R\"${delimiter}(${text})${delimiter}\";\n")
string(APPEND source "} // namespace ${NAMESPACE}\n")
# Only a changed text touches the file, so nothing rebuilds for nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL source)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${source}")
