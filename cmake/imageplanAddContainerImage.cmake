# add_container_image(): compile an imageplan spec into a Dockerfile and its
# .dockerignore at build time, and optionally add a target that builds the image.
# Loaded by imageplanConfig.cmake (installed package and build tree) and by
# imageplan's own CMakeLists.txt, so that add_subdirectory and FetchContent users
# get it too. docs/cmake.md documents every argument.
include_guard(GLOBAL)
# Commands made by function() keep the policies in effect where they are defined
# (CMP0116: depfile paths are transformed for Ninja), whatever the caller's.
cmake_policy(VERSION 3.25)

set(IMAGEPLAN_IMAGE_BUILDER "" CACHE STRING
    "Image builder for add_container_image(BUILD): empty to detect one (docker buildx build, \
docker build with BuildKit, podman build, buildah build), a docker, podman or buildah \
program to use that one, or NONE for no image targets")

# Sets <out> to the file add_container_image() writes the backend <backend> to
# in OUTPUT_DIR, or to "" when imageplan has no such backend, and <known_out>
# to the backend names. The ignore file is named after the Dockerfile because
# BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile given with
# --file, before any .dockerignore in the context. (Kept in a function: a
# variable set here would not reach projects that add imageplan with
# add_subdirectory.)
function(_imageplan_backend_file backend out known_out)
  set(table dockerfile Dockerfile
            dockerignore Dockerfile.dockerignore
            explain explain.txt
            explain-json explain.json)
  set(file "")
  set(known "")
  while(table)
    list(POP_FRONT table name file_name)
    list(APPEND known "${name}")
    if(name STREQUAL backend)
      set(file "${file_name}")
    endif()
  endwhile()
  set(${out} "${file}" PARENT_SCOPE)
  set(${known_out} "${known}" PARENT_SCOPE)
endfunction()

# find_program() validator: a docker CLI that can run a BuildKit build, either
# through buildx or through its built-in BuildKit client (DOCKER_BUILDKIT=1).
# A newer CLI without the buildx plugin refuses the latter, even for --help.
function(_imageplan_docker_can_build result docker)
  _imageplan_docker_flavor("${docker}" flavor)
  if(NOT flavor)
    set(${result} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Sets <out> to "buildx", "buildkit" or "" for the docker CLI <docker>.
function(_imageplan_docker_flavor docker out)
  execute_process(COMMAND "${docker}" buildx version
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET TIMEOUT 30)
  if(rc EQUAL 0)
    set(${out} buildx PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env DOCKER_BUILDKIT=1 "${docker}" build --help
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET TIMEOUT 30)
  if(rc EQUAL 0)
    set(${out} buildkit PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Sets <kind_out> to buildx, buildkit, podman, buildah or "" (none usable) and
# <program_out> to the program, for the builder <program> names.
function(_imageplan_builder_of program kind_out program_out)
  set(kind "")
  get_filename_component(base "${program}" NAME)
  if(base STREQUAL "docker")
    _imageplan_docker_flavor("${program}" kind)
  elseif(base STREQUAL "podman" OR base STREQUAL "buildah")
    set(kind "${base}")
  endif()
  set(${kind_out} "${kind}" PARENT_SCOPE)
  set(${program_out} "${program}" PARENT_SCOPE)
endfunction()

# The image builder, found once per configure: sets <kind_out> (buildx,
# buildkit, podman, buildah, or "" when there is none) and <program_out>, and
# <why_out> to what was looked for when nothing was found.
function(_imageplan_find_image_builder kind_out program_out why_out)
  get_property(resolved GLOBAL PROPERTY _IMAGEPLAN_IMAGE_BUILDER_RESOLVED SET)
  if(NOT resolved)
    set(kind "")
    set(program "")
    set(why "")
    if(IMAGEPLAN_IMAGE_BUILDER STREQUAL "NONE")
      set(why "IMAGEPLAN_IMAGE_BUILDER is NONE")
    elseif(IMAGEPLAN_IMAGE_BUILDER)
      set(program "${IMAGEPLAN_IMAGE_BUILDER}")
      if(NOT IS_ABSOLUTE "${program}")
        find_program(_imageplan_builder_program "${program}" NO_CACHE)
        set(program "${_imageplan_builder_program}")
      endif()
      if(program AND EXISTS "${program}")
        _imageplan_builder_of("${program}" kind program)
      endif()
      if(NOT kind)
        set(why "IMAGEPLAN_IMAGE_BUILDER='${IMAGEPLAN_IMAGE_BUILDER}' is not a docker CLI that \
can build with BuildKit (buildx, or DOCKER_BUILDKIT=1 docker build), a podman or a buildah \
program")
      endif()
    else()
      find_program(IMAGEPLAN_DOCKER_EXECUTABLE docker VALIDATOR _imageplan_docker_can_build
                   DOC "docker CLI for add_container_image(BUILD)")
      find_program(IMAGEPLAN_PODMAN_EXECUTABLE podman DOC "podman for add_container_image(BUILD)")
      find_program(IMAGEPLAN_BUILDAH_EXECUTABLE buildah DOC "buildah for add_container_image(BUILD)")
      foreach(candidate IN ITEMS IMAGEPLAN_DOCKER_EXECUTABLE IMAGEPLAN_PODMAN_EXECUTABLE
                                 IMAGEPLAN_BUILDAH_EXECUTABLE)
        if(NOT kind AND ${candidate})
          _imageplan_builder_of("${${candidate}}" kind program)
        endif()
      endforeach()
      if(NOT kind)
        set(why "no image builder found: looked for docker buildx build, docker build with \
BuildKit, podman build and buildah build")
        find_program(_imageplan_any_docker docker NO_CACHE)
        if(_imageplan_any_docker)
          string(APPEND why " (${_imageplan_any_docker} cannot build with BuildKit: it has no \
buildx plugin and refuses DOCKER_BUILDKIT=1)")
        endif()
      endif()
    endif()
    set_property(GLOBAL PROPERTY _IMAGEPLAN_IMAGE_BUILDER_RESOLVED "${kind};${program};${why}")
    if(kind)
      message(STATUS "add_container_image: image builder: ${kind} (${program})")
    endif()
  endif()
  get_property(resolved GLOBAL PROPERTY _IMAGEPLAN_IMAGE_BUILDER_RESOLVED)
  list(GET resolved 0 kind)
  list(GET resolved 1 program)
  list(GET resolved 2 why)
  set(${kind_out} "${kind}" PARENT_SCOPE)
  set(${program_out} "${program}" PARENT_SCOPE)
  set(${why_out} "${why}" PARENT_SCOPE)
endfunction()

# Sets <out> to the command line that builds the image with the builder <kind>.
function(_imageplan_image_build_command kind program out)
  cmake_parse_arguments(PARSE_ARGV 3 arg ""
                        "TAG;TARGET_STAGE;DOCKERFILE;IGNORE_FILE;CACHE_REF;CONTEXT" "OPTIONS")
  if(kind STREQUAL "buildx")
    # --load: the image lands in the local image store, as with the other builders.
    set(command "${program}" buildx build --load)
  elseif(kind STREQUAL "buildkit")
    set(command "${CMAKE_COMMAND}" -E env DOCKER_BUILDKIT=1 "${program}" build)
  elseif(kind STREQUAL "podman")
    # --format docker keeps HEALTHCHECK, which the OCI image format drops.
    set(command "${program}" build --format docker)
  else()
    # buildah does not reuse layers unless told to.
    set(command "${program}" build --format docker --layers)
  endif()
  list(APPEND command --tag "${arg_TAG}")
  if(arg_TARGET_STAGE)
    list(APPEND command --target "${arg_TARGET_STAGE}")
  endif()
  list(APPEND command --file "${arg_DOCKERFILE}")
  # podman and buildah do not look for <Dockerfile>.dockerignore: name it.
  if(arg_IGNORE_FILE AND (kind STREQUAL "podman" OR kind STREQUAL "buildah"))
    list(APPEND command --ignorefile "${arg_IGNORE_FILE}")
  endif()
  if(arg_CACHE_REF)
    if(kind STREQUAL "buildx")
      list(APPEND command --cache-from "type=registry,ref=${arg_CACHE_REF}"
                          --cache-to "type=registry,ref=${arg_CACHE_REF},mode=max")
    elseif(kind STREQUAL "buildkit")
      # docker build has no --cache-to: the cache travels inline in the pushed image.
      list(APPEND command --cache-from "${arg_CACHE_REF}" --build-arg BUILDKIT_INLINE_CACHE=1)
    else()
      list(APPEND command --cache-from "${arg_CACHE_REF}" --cache-to "${arg_CACHE_REF}")
    endif()
  endif()
  list(APPEND command ${arg_OPTIONS} "${arg_CONTEXT}")
  set(${out} "${command}" PARENT_SCOPE)
endfunction()

# Adds a line to add_container_image()'s list of mistakes: a macro, so that it
# appends to the caller's `problems` and names the caller's `name`.
macro(_imageplan_problem text)
  string(APPEND problems "\n add_container_image(${name}): ${text}")
endmacro()

# add_container_image(<name> SPEC <file> [CONTEXT <dir>] [OUTPUT_DIR <dir>]
#                     [EMIT <backend>...] [DIALECT <dialect>] [HISTORY]
#                     [DEPENDS <file-or-target>...] [OUTPUT_VARIABLE <var>]
#                     [BUILD [TAG <ref>] [TARGET_STAGE <stage>] [CACHE_REF <ref>]
#                            [BUILDER_OPTIONS <arg>...]])
function(add_container_image name)
  set(options BUILD HISTORY)
  set(one_value SPEC CONTEXT OUTPUT_DIR DIALECT OUTPUT_VARIABLE TAG TARGET_STAGE CACHE_REF)
  set(multi_value EMIT DEPENDS BUILDER_OPTIONS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")

  # Every mistake in the call is reported at once, one line each, naming the
  # argument. (A leading space keeps CMake from re-wrapping the lines.)
  set(problems "")
  if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
    _imageplan_problem("'${name}' is not a valid target name")
  elseif(TARGET "${name}")
    _imageplan_problem("a target named '${name}' already exists")
  endif()
  list(JOIN options ", " keywords)
  foreach(group IN ITEMS one_value multi_value)
    list(JOIN ${group} ", " more)
    string(APPEND keywords ", ${more}")
  endforeach()
  foreach(unknown IN LISTS arg_UNPARSED_ARGUMENTS)
    _imageplan_problem("unknown argument '${unknown}' (keywords: ${keywords})")
  endforeach()
  # An empty DEPENDS or BUILDER_OPTIONS (say, from an empty variable) is fine.
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(keyword STREQUAL "EMIT")
      _imageplan_problem("EMIT needs at least one backend")
    elseif(NOT keyword IN_LIST multi_value)
      _imageplan_problem("${keyword} needs a value")
    endif()
  endforeach()

  set(spec "")
  if(DEFINED arg_SPEC)
    cmake_path(ABSOLUTE_PATH arg_SPEC BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE spec)
    if(NOT EXISTS "${spec}")
      _imageplan_problem("SPEC file '${spec}' does not exist")
    elseif(IS_DIRECTORY "${spec}")
      _imageplan_problem("SPEC '${spec}' is a directory, not a spec file")
    endif()
  elseif(NOT "SPEC" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    _imageplan_problem("SPEC <file> is required")
  endif()

  if(DEFINED arg_CONTEXT)
    cmake_path(ABSOLUTE_PATH arg_CONTEXT BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE context)
    string(REGEX REPLACE "(.)/$" "\\1" context "${context}") # "dir/" -> "dir"
    if(EXISTS "${context}" AND NOT IS_DIRECTORY "${context}")
      _imageplan_problem("CONTEXT '${context}' is a file, not a directory")
    endif()
  else()
    cmake_path(GET spec PARENT_PATH context)
  endif()

  if(DEFINED arg_OUTPUT_DIR)
    cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
               NORMALIZE OUTPUT_VARIABLE output_dir)
    string(REGEX REPLACE "(.)/$" "\\1" output_dir "${output_dir}")
  else()
    set(output_dir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()

  set(emit dockerfile dockerignore)
  if(DEFINED arg_EMIT)
    set(emit ${arg_EMIT})
    list(REMOVE_DUPLICATES emit)
  endif()
  set(outputs "")
  foreach(backend IN LISTS emit)
    _imageplan_backend_file("${backend}" file known)
    if(file)
      list(APPEND outputs "${output_dir}/${file}")
    else()
      list(JOIN known ", " known)
      _imageplan_problem("EMIT '${backend}' is not a backend (valid: ${known})")
    endif()
  endforeach()

  set(dialects buildkit docker20 buildah legacy)
  if(DEFINED arg_DIALECT AND NOT arg_DIALECT IN_LIST dialects)
    list(JOIN dialects ", " known)
    _imageplan_problem("DIALECT '${arg_DIALECT}' is not a dialect (valid: ${known})")
  endif()

  if(NOT arg_BUILD)
    foreach(keyword TAG TARGET_STAGE CACHE_REF BUILDER_OPTIONS)
      if(DEFINED arg_${keyword})
        _imageplan_problem("${keyword} only applies to the image build: add BUILD")
      endif()
    endforeach()
  elseif(NOT "dockerfile" IN_LIST emit)
    _imageplan_problem("BUILD needs the Dockerfile: add dockerfile to EMIT")
  elseif(TARGET "${name}-image")
    _imageplan_problem("BUILD adds a target '${name}-image', and one already exists")
  endif()

  # Two images writing the same file would overwrite each other's output.
  foreach(output IN LISTS outputs)
    get_property(owner GLOBAL PROPERTY "_IMAGEPLAN_OUTPUT_OWNER:${output}")
    if(owner)
      _imageplan_problem("OUTPUT_DIR '${output_dir}' already holds the output of \
add_container_image(${owner}); give each image its own OUTPUT_DIR")
      break()
    endif()
  endforeach()

  if(problems)
    string(SUBSTRING "${problems}" 1 -1 problems) # the first line's "\n"
    message(FATAL_ERROR "${problems}")
  endif()
  foreach(output IN LISTS outputs)
    set_property(GLOBAL PROPERTY "_IMAGEPLAN_OUTPUT_OWNER:${output}" "${name}")
  endforeach()

  # One imageplan run per backend; the first also writes the depfile (the spec
  # and every requirements file read), which names that run's output.
  set(work_dir "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/imageplan")
  set(depfile "${work_dir}/${name}.d")
  set(gen_options --context "${context}")
  if(DEFINED arg_DIALECT)
    list(APPEND gen_options --dialect "${arg_DIALECT}")
  endif()
  if(arg_HISTORY)
    list(APPEND gen_options --history)
  endif()
  if(CMAKE_GENERATOR MATCHES "^Ninja")
    # Ninja re-stats a custom command's outputs after it runs: a file that
    # --write-if-changed left untouched does not re-trigger what depends on it.
    set(written ${outputs})
    set(byproducts "")
    list(APPEND gen_options --write-if-changed)
  else()
    # make cannot re-stat, and would re-run imageplan on every build after an
    # input changed without changing the output. So the command's outputs are
    # staged copies, rewritten on every run (newer than their inputs), and
    # copy_if_different updates the real files only when their text changed.
    set(written "")
    foreach(output IN LISTS outputs)
      cmake_path(GET output FILENAME file)
      list(APPEND written "${work_dir}/${name}/${file}")
    endforeach()
    set(byproducts ${outputs})
  endif()
  set(commands COMMAND "${CMAKE_COMMAND}" -E make_directory "${output_dir}" "${work_dir}/${name}")
  set(depfile_option --depfile "${depfile}")
  foreach(backend file output IN ZIP_LISTS emit written outputs)
    list(APPEND commands COMMAND imageplan::imageplan gen "${spec}" ${gen_options}
         --emit "${backend}" -o "${file}" ${depfile_option})
    set(depfile_option "")
    if(NOT file STREQUAL output)
      list(APPEND commands COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${file}" "${output}")
    endif()
  endforeach()

  set(names "")
  foreach(output IN LISTS outputs)
    cmake_path(GET output FILENAME file)
    list(APPEND names "${file}")
  endforeach()
  list(JOIN names ", " names)
  add_custom_command(
    OUTPUT ${written}
    BYPRODUCTS ${byproducts}
    ${commands}
    DEPENDS imageplan::imageplan "${spec}" ${arg_DEPENDS}
    DEPFILE "${depfile}"
    COMMENT "imageplan: generating ${names} for ${name}"
    VERBATIM)
  add_custom_target("${name}" ALL DEPENDS ${written})

  set(dockerfile "")
  set(dockerignore "")
  if("dockerfile" IN_LIST emit)
    set(dockerfile "${output_dir}/Dockerfile")
  endif()
  if("dockerignore" IN_LIST emit)
    set(dockerignore "${output_dir}/Dockerfile.dockerignore")
  endif()
  set_target_properties("${name}" PROPERTIES
    IMAGEPLAN_SPEC "${spec}"
    IMAGEPLAN_CONTEXT "${context}"
    IMAGEPLAN_OUTPUT_DIR "${output_dir}"
    IMAGEPLAN_OUTPUTS "${outputs}"
    IMAGEPLAN_DOCKERFILE "${dockerfile}"
    IMAGEPLAN_DOCKERIGNORE "${dockerignore}"
    IMAGEPLAN_IMAGE_TARGET "")
  if(DEFINED arg_OUTPUT_VARIABLE)
    set(${arg_OUTPUT_VARIABLE} "${outputs}" PARENT_SCOPE)
  endif()

  if(NOT arg_BUILD)
    return()
  endif()
  _imageplan_find_image_builder(kind program why)
  if(NOT kind)
    message(WARNING "add_container_image(${name}): BUILD: ${why}; target '${name}-image' is not \
added. Install one, or set IMAGEPLAN_IMAGE_BUILDER to the program to use.")
    return()
  endif()
  string(TOLOWER "${name}" tag)
  if(DEFINED arg_TAG)
    set(tag "${arg_TAG}")
  endif()
  _imageplan_image_build_command("${kind}" "${program}" command
    TAG "${tag}" TARGET_STAGE "${arg_TARGET_STAGE}" DOCKERFILE "${dockerfile}"
    IGNORE_FILE "${dockerignore}" CACHE_REF "${arg_CACHE_REF}" CONTEXT "${context}"
    OPTIONS ${arg_BUILDER_OPTIONS})
  add_custom_target("${name}-image"
    COMMAND ${command}
    DEPENDS ${written} ${arg_DEPENDS}
    COMMENT "imageplan: building image ${tag} for ${name}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies("${name}-image" "${name}")
  set_target_properties("${name}" PROPERTIES
    IMAGEPLAN_IMAGE_TARGET "${name}-image"
    IMAGEPLAN_IMAGE_TAG "${tag}"
    IMAGEPLAN_IMAGE_BUILDER "${kind}")
endfunction()
