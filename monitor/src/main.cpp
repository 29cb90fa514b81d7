#include <iostream>
#include <string>
#include <vector>

#include "sfmon/monitor/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sfmon::run_cli(args, std::cout, std::cerr);
}
