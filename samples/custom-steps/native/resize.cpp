// A stand-in native helper: prints the size it was asked for.
#include <cstdio>

int main(int argc, char **argv) {
  std::printf("resize %s\n", argc > 1 ? argv[1] : "(nothing)");
  return 0;
}
