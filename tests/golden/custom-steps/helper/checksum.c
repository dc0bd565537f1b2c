/* Prints a simple checksum of stdin: the helper the builder stage compiles. */
#include <stdio.h>

int main(void) {
  unsigned long sum = 0;
  int c;
  while ((c = getchar()) != EOF)
    sum = sum * 31 + (unsigned char)c;
  printf("%lu\n", sum);
  return 0;
}
