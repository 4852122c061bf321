// Follow-up of reports (Ondernemers Alert: reporters must see that their reports are taken
// seriously). Each signal walks a status path
//
//   nieuw -> in_behandeling -> doorgezet -> afgesloten | ongegrond
//                            \-----------> afgesloten | ongegrond
//
// (afgesloten and ongegrond are final; nothing goes back), and gets feedback to its reporter
// (terugkoppeling: a text and a date). Every change writes signalen.status / terugkoppeling /
// terugkoppeling_op, one row of the history table veldwacht_opvolging (who, when, from, to, the
// feedback text) and one audit row, in ONE transaction. The audit row names the change but not
// the feedback text (data minimisation: the audit log outlives retention; the history goes
// with its signal, see removeRetained).
//
// And the figures asked at the evenings: reports without feedback after N days, and per evening
// (the date reported), month or source type: reported, taken up, handled, feedback given and
// the median number of days from report to feedback.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layers/privacy/audit.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

enum class SignalStatus { Nieuw, InBehandeling, Doorgezet, Afgesloten, Ongegrond };

/// "nieuw", "in_behandeling", "doorgezet", "afgesloten", "ongegrond" (signalen.status values).
const char* statusName(SignalStatus status);
/// Throws geo::OptionError("status", ...) listing the values for anything else.
SignalStatus parseStatus(std::string_view name);
/// Whether the status path allows `from` -> `to` (see the diagram above).
bool transitionAllowed(SignalStatus from, SignalStatus to);
/// The statuses reachable from `from` in one step (empty for a final status).
std::vector<SignalStatus> nextStatuses(SignalStatus from);

/// One change of one signal: a new status, feedback, or both.
struct StatusChange {
  std::string signal{};              ///< signaal_id
  std::optional<SignalStatus> to{};  ///< new status; none = status unchanged (feedback only)
  std::string feedback{};            ///< terugkoppeling text; empty = no feedback in this change
  std::string date{};                ///< YYYY-MM-DD of the change and feedback; empty = today
  std::string who{};                 ///< empty = the OS user

  /// Throws geo::OptionError: no signal, neither a status nor feedback, a bad date.
  void validate() const;
};

struct StatusChangeResult {
  SignalStatus from = SignalStatus::Nieuw;
  SignalStatus to = SignalStatus::Nieuw;
  bool feedbackRecorded = false;
};

/// Applies `change` (see the file comment). An unknown signal or an illegal jump is refused with
/// a geo::InputError naming the signal, its status and the allowed next ones; nothing is
/// written then. Needs an updatable store with no transaction open.
StatusChangeResult changeStatus(Store& store, const StatusChange& change);

/// One row of veldwacht_opvolging.
struct FollowupEvent {
  std::string signal;
  std::string when;  ///< YYYY-MM-DD (the change's date) or YYYY-MM-DDTHH:MM:SS
  std::string who;
  std::string from;      ///< status before
  std::string to;        ///< status after (= from for feedback only)
  std::string feedback;  ///< terugkoppeling text, empty when none
};
/// The history of one signal (or of all when `signal` is empty), oldest first. Empty when the
/// table does not exist yet.
std::vector<FollowupEvent> followupHistory(Store& store, const std::string& signal = {});

enum class FollowupGrouping { Avond, Maand, Brontype };
/// "avond", "maand", "brontype"; parseGrouping throws geo::OptionError for anything else.
const char* groupingName(FollowupGrouping grouping);
FollowupGrouping parseGrouping(std::string_view name);

struct FollowupOptions {
  int days = 14;  ///< a report waiting MORE than this many days without feedback is overdue
  FollowupGrouping per = FollowupGrouping::Maand;
  std::string today{};  ///< YYYY-MM-DD; empty = the local date
  /// The period (YYYY-MM-DD, inclusive) the date reported must lie in; empty = open.
  std::string from{};
  std::string to{};

  /// Throws geo::OptionError: days < 1 or > 3650, a bad date, from after to.
  void validate() const;
};

/// Figures of one group (an evening = the date reported, a month YYYY-MM, or a source type).
/// The date reported is gemeld_op, else waargenomen_van.
struct FollowupFigures {
  std::string group;
  int reported = 0;       ///< signals in the group
  int takenUp = 0;        ///< status past nieuw
  int handled = 0;        ///< afgesloten or ongegrond
  int feedbackGiven = 0;  ///< terugkoppeling = 1
  int overdue = 0;        ///< no feedback and waiting more than `days`
  /// Median of (terugkoppeling_op - date reported) in days over the feedback given with a date;
  /// none when there is none.
  std::optional<double> medianDaysToFeedback;
};

/// A report without feedback after more than `days` days.
struct OverdueReport {
  std::string signal;
  std::string reportedOn;  ///< YYYY-MM-DD
  int daysWaiting = 0;
  std::string status;
  std::string brontype;
  std::string categorie;
};

struct FollowupReport {
  std::vector<FollowupFigures> groups;  ///< sorted by group
  FollowupFigures total;                ///< group "totaal"
  std::vector<OverdueReport> overdue;   ///< longest waiting first, then by signal
  /// Signals whose feedback date lies before the date reported (left out of the medians).
  std::vector<std::string> warnings;
};

FollowupReport followupReport(Store& store, const FollowupOptions& options = {});

/// The figures as CSV (`;`-separated, decimal comma, as Dutch Excel reads it), a header row
/// first: groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;
/// mediaan_dagen_tot_terugkoppeling, the total last.
std::string followupCsv(const FollowupReport& report);

/// Signals per category per month (of waargenomen_van), for the trend chart of the
/// Kennissessie export. Counts only, no places: the chart shows regional totals.
struct CategoryTrend {
  std::vector<std::string> months;  ///< YYYY-MM, every month from the first to the last
  struct Series {
    std::string category;
    std::vector<int> counts;  ///< parallel to months
    int total = 0;
  };
  std::vector<Series> series;  ///< largest total first, then by category
};

/// The trend of the signals with a waargenomen_van; `maxSeries` > 0 keeps the largest
/// categories and sums the rest into "overig". `from`/`to` (YYYY-MM-DD, inclusive; empty =
/// open) limit the dates of waargenomen_van; geo::OptionError for a bad date or from after to.
CategoryTrend categoryTrend(Store& store, std::size_t maxSeries = 0, const std::string& from = {},
                            const std::string& to = {});

}  // namespace veldwacht::layers
