#pragma once
// One function per CLI command, with its help text. Each returns the exit code.

#include <iosfwd>

#include "sfmon/monitor/cli_args.h"

namespace sfmon {

extern const char* const kRunOnceHelp;
extern const char* const kIngestHelp;
extern const char* const kRecordsListHelp;
extern const char* const kAlertsListHelp;
extern const char* const kRulesCheckHelp;
extern const char* const kRulesTestHelp;
extern const char* const kReplayHelp;

int run_once_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int ingest_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int records_list_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int alerts_list_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int rules_check_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int rules_test_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int replay_command(const CliArgs& args, std::ostream& out, std::ostream& err);

}  // namespace sfmon
