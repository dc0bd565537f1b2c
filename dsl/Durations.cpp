// Health check durations (`interval: 1m30s`): integers with h, m, s or ms,
// within what docker accepts for a HEALTHCHECK flag, 1ms to about 292 years.
#include "dsl/ValueRuleHelpers.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/StringExtras.h"

#include <climits>
#include <optional>

namespace imageplan::dsl {
namespace {

// Docker parses a HEALTHCHECK duration into Go's time.Duration, nanoseconds
// in an int64, and refuses a longer one: 9223372036854 ms, about 292 years.
constexpr long long kMaxDurationMillis = LLONG_MAX / 1000000;

/// The milliseconds of `value`, or nothing when it is malformed or longer
/// than kMaxDurationMillis (then `tooLong` is set).
std::optional<long long> parseDuration(llvm::StringRef value, bool &tooLong) {
  if (value.empty())
    return std::nullopt;
  long long millis = 0;
  bool over = false;
  while (!value.empty()) {
    size_t digits = value.find_if_not(llvm::isDigit);
    if (digits == 0 || digits == llvm::StringRef::npos)
      return std::nullopt;
    llvm::StringRef number = value.take_front(digits).ltrim('0');
    value = value.drop_front(digits);
    long long unit = value.consume_front("ms")  ? 1
                     : value.consume_front("s") ? 1000
                     : value.consume_front("m") ? 60 * 1000
                     : value.consume_front("h") ? 3600 * 1000
                                                : 0;
    if (unit == 0)
      return std::nullopt;
    long long n = 0;
    // More digits than kMaxDurationMillis has (13) cannot fit, nor overflow here.
    if (number.size() > 13 || (!number.empty() && number.getAsInteger(10, n)) ||
        n > (kMaxDurationMillis - millis) / unit)
      over = true;
    else
      millis += n * unit;
  }
  tooLong = over;
  if (over)
    return std::nullopt;
  return millis;
}

} // namespace

namespace detail {

std::string checkDuration(llvm::StringRef v) {
  bool tooLong = false;
  std::optional<long long> millis = parseDuration(v, tooLong);
  if (tooLong)
    return "docker's longest duration is 2562047h47m16s854ms";
  if (!millis)
    return "expected a duration like '30s', '1m30s' or '500ms'";
  // Docker 20.10 refuses every HEALTHCHECK duration under 1ms, 0 included
  // ("cannot be less than 1ms"); later versions read 0 as "the default".
  if (*millis < 1)
    return "docker refuses a duration under 1ms; leave the key out for docker's default";
  return "";
}

} // namespace detail

std::optional<long long> durationMillis(llvm::StringRef value) {
  bool tooLong = false;
  return parseDuration(value, tooLong);
}

} // namespace imageplan::dsl
