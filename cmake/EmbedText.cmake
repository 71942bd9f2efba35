# Writes OUTPUT, a C++ file defining skillsim::io::detail::embedded_defaults_toml(), which returns
# the text of INPUT verbatim (a raw string literal; INPUT must not contain the delimiter).
file(READ ${INPUT} content)
string(FIND "${content}" ")skillsim_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )skillsim_embed\"")
endif()
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace skillsim::io::detail {\nstd::string_view embedded_defaults_toml() {\n  static constexpr std::string_view text = R\"skillsim_embed(${content})skillsim_embed\";\n  return text;\n}\n} // namespace skillsim::io::detail\n")
