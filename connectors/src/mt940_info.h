#pragma once
// Reader for the MT940 :86: information field: free text, or the structured
// German DFÜ layout "GVC?00posting text?10..?20purpose..?30bank?31account?32name..".

#include <string>
#include <vector>

#include "sfmon/model/bank_record.h"

namespace sfmon::mt940 {

struct Information {
  bool structured = false;
  std::string gvc;            // 3-digit business transaction code (structured only)
  std::string posting_text;   // ?00
  std::string purpose;        // ?20-?29 then ?60-?63, or the free text
  Counterparty counterparty;  // ?32+?33 name, ?31 (else ?38) account, ?30 bank
};

// `lines` are the field's lines as the tokenizer returns them (first line
// without the ":86:" tag). Never throws: any text is valid information.
Information parse_information(const std::vector<std::string>& lines);

}  // namespace sfmon::mt940
