// The program the sample image runs. CMake builds it into the image's build
// context; the Dockerfile generated from image/imageplan.yaml copies it in.
#include <iostream>

int main() {
  std::cout << "hello from a CMake-built program in an imageplan image\n";
  return 0;
}
