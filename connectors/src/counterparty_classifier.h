#pragma once
// Decides whether a counterparty is a natural person or an organisation when
// the source did not say (formats.md "Counterparty classification"), and
// records why. Private to the connectors; the public entry points are in
// sfmon/connectors/record_normaliser.h.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/registry.h"

namespace sfmon {

// True when `name` carries a legal-form or institution word: 有限公司, 公司,
// 学校, 银行, 局, ... anywhere, or a Latin token such as GmbH, Ltd, Co., S.A.,
// Bank, School (case-insensitive, as whole words).
bool has_legal_form(std::string_view name);

// True when `name` is 2-4 Han characters (spaces ignored), or Han parts
// joined by middle dots (·), as minority names are written ("买买提·艾力");
// those may be longer than 4 characters.
bool has_personal_name_shape(std::string_view name);

// The class a name alone reveals: Organisation for a legal-form word,
// Person for a personal name shape, nullopt otherwise.
std::optional<CounterpartyClass> class_from_name(std::string_view name);

// Classifies many counterparties against one registry and watchlist, which
// it indexes once (by normalised account and normalised name). Copies what
// it needs; the arguments need not outlive it.
class CounterpartyClassifier {
 public:
  CounterpartyClassifier(const Registry& registry, const std::vector<WatchlistEntry>& watchlist);

  // Order: the source's marking is kept (a class without a basis counts as
  // the source's); a registry related party, then a watchlist entry,
  // matched by account or name, whose name reveals its class; legal-form
  // words in the counterparty's name; a personal name shape; else Unknown.
  void classify(Counterparty& counterparty) const;

 private:
  // Normalised account or name -> class revealed by the entry's name. The
  // first entry wins when several share a key.
  struct Index {
    std::unordered_map<std::string, CounterpartyClass> by_account;
    std::unordered_map<std::string, CounterpartyClass> by_name;

    void add(std::string_view name, std::string_view account);
    std::optional<CounterpartyClass> find(const std::string& account,
                                          const std::string& name) const;
  };

  Index registry_;
  Index watchlist_;
};

}  // namespace sfmon
