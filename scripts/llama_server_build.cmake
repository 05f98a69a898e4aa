# How llmx builds llama.cpp's llama-server faster on a few cores (scripts/build_llama_server.sh
# passes it as CMAKE_PROJECT_INCLUDE; it runs after llama.cpp's top-level project() call).
#
# The server links llama.cpp's multimodal library (mtmd: image and audio encoders, about fifty
# model files), which never runs when only text is served. It is compiled without optimisation
# (-O0) and its model files as a unity build (a few large translation units that parse the shared
# headers once). Everything on the path of a token (ggml, libllama, the common library, the
# server's own code) keeps llama.cpp's own Release flags.

if(NOT CMAKE_CURRENT_SOURCE_DIR STREQUAL CMAKE_SOURCE_DIR)
  return()  # a sub-project's project() call (ggml's)
endif()

function(llmx_lighter_multimodal_library)
  if(NOT TARGET mtmd)
    return()
  endif()
  target_compile_options(mtmd PRIVATE -O0)
  # its public helpers refuse to share a translation unit with its internal headers
  get_target_property(sources mtmd SOURCES)
  get_target_property(dir mtmd SOURCE_DIR)
  list(FILTER sources INCLUDE REGEX "mtmd-helper")
  list(TRANSFORM sources PREPEND "${dir}/")
  set_source_files_properties(${sources} DIRECTORY "${dir}" PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  set_target_properties(mtmd PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 16)
endfunction()

cmake_language(DEFER CALL llmx_lighter_multimodal_library)
