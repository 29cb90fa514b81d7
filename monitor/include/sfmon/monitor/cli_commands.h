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

// Alert lifecycle, notifications and silences (command_alert_lifecycle.cpp,
// command_notify.cpp, command_silence.cpp).
extern const char* const kAlertsAckHelp;
extern const char* const kAlertsResolveHelp;
extern const char* const kAlertsDismissHelp;
extern const char* const kAlertsCommentHelp;
extern const char* const kAlertsShowHelp;
extern const char* const kNotifyHelp;
extern const char* const kDeadLettersListHelp;
extern const char* const kSilenceAddHelp;
extern const char* const kSilenceListHelp;

int alerts_ack_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int alerts_resolve_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int alerts_dismiss_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int alerts_comment_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int alerts_show_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int notify_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int deadletters_list_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int silence_add_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int silence_list_command(const CliArgs& args, std::ostream& out, std::ostream& err);

// The daemon and its API tokens (command_serve.cpp, command_tokens.cpp).
extern const char* const kServeHelp;
extern const char* const kTokensAddHelp;
extern const char* const kTokensListHelp;

int serve_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int tokens_add_command(const CliArgs& args, std::ostream& out, std::ostream& err);
int tokens_list_command(const CliArgs& args, std::ostream& out, std::ostream& err);

}  // namespace sfmon
