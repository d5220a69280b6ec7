// GCC 13 moved the iostreams start-up into libstdc++ and has every translation unit that includes
// <iostream> reference std::ios_base_library_init() (version GLIBCXX_3.4.32) instead of constructing
// its own std::ios_base::Init. TorchSharp's native library is built with GCC 13, so on a system with
// GCC 12's libstdc++ (Debian 12) it will not load. This library supplies the symbol and does the
// start-up the old way; the build adds it as a needed library of a patched copy of that library.
#include <ios>

namespace std {
void ios_base_library_init();
}

namespace {
std::ios_base::Init iostreams_init;  // constructs std::cout and friends when this library loads
}

void std::ios_base_library_init() {}
