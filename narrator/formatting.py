"""Locale-aware money, integers, decimals and percents, through Babel with an explicit locale.

One :class:`NumberFormat` per run and locale: the patterns are derived from the locale's own
CLDR patterns once, and every result is memoised per value, so a repeated call costs a dict
lookup. Nothing here reads ``LANG`` / ``LC_ALL``.

A value never seen before (a new record's pay, a pay gap) is formatted by :class:`_Compiled`:
the pattern's prefixes, suffixes, symbols and grouping read off Babel once, then plain string
work per value instead of ``NumberPattern.apply``'s general machinery. Babel stays the
reference: a value the fast path can't do exactly (one that needs rounding, exponent notation, a
``Decimal``) goes to Babel, and ``tests/test_formatting.py`` compares the two over many values,
locales and currencies.

Three things Babel 2.18 does not do, done here:

* no-cents money: ``currency_digits=False`` alone keeps the pattern's ``.00``, so the locale's
  standard currency pattern is copied with zero fraction digits;
* CLDR ``minimumGroupingDigits``: Babel drops it, so Spanish would print ``9.615`` where CLDR
  (and ICU) print ``9615``; see ``_MIN2_LANGUAGES`` / ``_MIN2_LOCALES``;
* the locale's minus sign: Babel always prints ASCII ``-`` (Swedish uses U+2212).
"""

from __future__ import annotations

import copy
import functools
from decimal import Decimal, localcontext

from babel import Locale, UnknownLocaleError, localedata
from babel.numbers import (
    NumberPattern,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    list_currencies,
)

from .errors import ConfigError

__all__ = ["SUPPORTED_LOCALES", "NumberFormat", "check_currency"]

#: The locales the templates are written and tested for; any locale Babel knows also works.
SUPPORTED_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "ja_JP")

# CLDR minimumGroupingDigits = 2 (no separator in a 4-digit integer part: "9615", "12.345").
# Read off ICU 78.2 / CLDR 48 (Node's Intl.NumberFormat(...).formatToParts(1234)) for every
# locale Babel 2.18 ships. Every locale of these languages:
_MIN2_LANGUAGES = frozenset(
    {"be", "bg", "ee", "et", "hu", "hy", "ia", "ie", "it", "ka", "lv", "pl", "sl", "sq"})
# ... and these, whose siblings (es_419, es_MX, pt_BR, pt_AO, ru_RU, ...) group from 1,000:
_MIN2_LOCALES = frozenset({
    "es", "es_EA", "es_ES", "es_GQ", "es_IC", "es_PH",
    "pt_CH", "pt_CV", "pt_GQ", "pt_GW", "pt_LU", "pt_MO", "pt_MZ", "pt_PT", "pt_ST", "pt_TL",
    "ru_UA"})

_CACHE_LIMIT = 200_000  # entries per cache; cleared when full (values repeat a lot in a batch)


@functools.cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies("en"))  # explicit locale: ISO 4217 codes Babel has names for


def check_currency(code: str) -> str:
    """Return *code* upper-cased if it is an ISO 4217 currency Babel knows; else ConfigError.

    >>> check_currency("usd")
    'USD'
    """
    if isinstance(code, str) and code.upper() in _currencies():
        return code.upper()
    raise ConfigError(
        f"unknown currency {code!r} (expected an ISO 4217 code such as USD, EUR, GBP)")


def _with_symbol(affixes: tuple[str, str], symbol: str) -> tuple[str, str]:
    """A pattern's (positive, negative) prefixes or suffixes with ¤ replaced by *symbol*."""
    return affixes[0].replace("¤", symbol), affixes[1].replace("¤", symbol)

def _parse_locale(name: str) -> Locale:
    try:
        code = name.replace("-", "_")
        if not localedata.exists(code):  # Babel parses "en_ZZ" without a word: CLDR has none
            raise UnknownLocaleError(code)
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        raise ConfigError(
            f"unknown locale {name!r} (use a code such as en_US, de_DE, fr_FR)") from None


class NumberFormat:
    """Formats numbers the way one locale writes them.

    >>> fmt = NumberFormat("en_US")
    >>> fmt.money(90615, "USD"), fmt.money(38.3, "USD", cents=True)
    ('$90,615', '$38.30')
    >>> fmt.integer(250590), fmt.decimal(4.6), fmt.percent(83.4), fmt.percent(-4)
    ('250,590', '4.6', '83.4%', '-4%')
    >>> NumberFormat("de-DE").money(90615, "EUR")
    '90.615\\xa0€'
    """

    def __init__(self, locale: str) -> None:
        self.locale: Locale = _parse_locale(locale)
        loc = self.locale
        key = f"{loc.language}_{loc.territory}" if loc.territory else loc.language
        self._min_grouping = 2 if loc.language in _MIN2_LANGUAGES or key in _MIN2_LOCALES else 1
        self._minus = get_minus_sign_symbol(loc)
        self._currency_format: NumberPattern = loc.currency_formats["standard"]
        self._money_patterns: dict[tuple[str, bool], NumberPattern] = {}
        self._integer = self._derive(loc.decimal_formats[None], (0, 0))
        self._decimal = self._derive(loc.decimal_formats[None], (0, 2))
        self._percent = self._derive(loc.percent_formats[None], (0, 1))
        self._percent.scale = 0  # the argument is already a percentage: 10 means 10 %
        self._fast: dict[int, _Compiled] = {}  # id(pattern) -> its compiled form
        self._money_cache: dict[tuple[float, str, bool], str] = {}
        self._integer_cache: dict[float, str] = {}
        self._decimal_cache: dict[float, str] = {}
        self._percent_cache: dict[float, str] = {}

    def __repr__(self) -> str:
        return f"NumberFormat({str(self.locale)!r})"

    def money(self, value: float, currency: str, *, cents: bool = False) -> str:
        """Whole units (salaries), or with the currency's minor units when *cents* is true."""
        key = (value, currency, cents)
        text = self._money_cache.get(key)
        if text is None:  # .get, not try/except: a miss (every new value) raised and caught
            text = self._store(self._money_cache, key,
                               self._render(self._money_pattern(currency, cents), value))
        return text

    def integer(self, value: float) -> str:
        """A count, rounded half-even to a whole number: ``250,590``."""
        text = self._integer_cache.get(value)
        if text is None:
            text = self._store(self._integer_cache, value, self._render(self._integer, value))
        return text

    def decimal(self, value: float) -> str:
        """Up to two fraction digits, no trailing zeros: ``4.6``, ``1``, ``0.25``."""
        text = self._decimal_cache.get(value)
        if text is None:
            text = self._store(self._decimal_cache, value, self._render(self._decimal, value))
        return text

    def percent(self, value: float) -> str:
        """*value* is a percentage (10 means 10 %); up to one fraction digit, half-even."""
        text = self._percent_cache.get(value)
        if text is None:
            text = self._store(self._percent_cache, value, self._render(self._percent, value))
        return text

    # -- internals --------------------------------------------------------------------------

    def _money_pattern(self, currency: str, cents: bool) -> NumberPattern:
        """The currency pattern with this currency's symbol and 0 or its minor-unit digits."""
        try:
            return self._money_patterns[currency, cents]
        except KeyError:
            code = check_currency(currency)
            digits = get_currency_precision(code) if cents else 0
            pattern = self._derive(self._currency_format, (digits, digits))
            symbol = get_currency_symbol(code, self.locale).replace("'", "''")
            pattern.prefix = _with_symbol(pattern.prefix, symbol)
            pattern.suffix = _with_symbol(pattern.suffix, symbol)
            self._money_patterns[currency, cents] = pattern
            return pattern

    def _derive(self, pattern: NumberPattern, frac_prec: tuple[int, int] | None = None
                ) -> NumberPattern:
        """A copy of the locale's *pattern* with other fraction digits and its minus sign."""
        derived = copy.copy(pattern)
        if frac_prec is not None:
            derived.frac_prec = frac_prec
        if self._minus != "-":
            derived.prefix = (pattern.prefix[0], pattern.prefix[1].replace("-", self._minus))
            derived.suffix = (pattern.suffix[0], pattern.suffix[1].replace("-", self._minus))
        return derived

    def _render(self, pattern: NumberPattern, value: float) -> str:
        fast = self._fast.get(id(pattern))
        if fast is None:
            fast = self._fast[id(pattern)] = _Compiled(pattern, self.locale, self._min_grouping)
        text = fast(value)
        return self._babel(pattern, value) if text is None else text

    def _babel(self, pattern: NumberPattern, value: float) -> str:
        """*value* through Babel's own ``NumberPattern.apply``: the reference."""
        if not isinstance(value, (int, float, Decimal)):
            raise TypeError(f"expected a number, got {value!r}")
        number = Decimal(value if isinstance(value, int) else str(value))
        if not number.is_finite():
            raise ValueError(f"cannot format {value!r} as a number")
        if number.is_zero():
            number = abs(number)  # -0.0 is 0: '0%', and one cache entry for both
        # Precision for any float's whole digits: quantizing 1e30 overflows the default 28.
        with localcontext(prec=400):
            grouped = True
            if self._min_grouping > 1:  # round as Babel will (context rounding, half-even)
                rounded = abs(number).quantize(Decimal(1).scaleb(-pattern.frac_prec[1]))
                grouped = rounded >= 10 ** (pattern.grouping[0] + self._min_grouping - 1)
            return pattern.apply(number, self.locale, group_separator=grouped)

    @staticmethod
    def _store(cache: dict, key: object, text: str) -> str:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = text
        return text


class _Compiled:
    """One NumberPattern as plain string operations, for the values that need no rounding: an
    ``int``, or a ``float`` whose shortest repr has no exponent and at most the pattern's
    maximum fraction digits (salaries, rates, percents and counts as data holds them). Calling
    it gives the text Babel would, or None: "ask Babel" (a value to round, a ``Decimal``, a
    pattern with exponent, significant digits or scale, quoting this class doesn't copy)."""

    __slots__ = ("ok", "prefix", "suffix", "decimal", "group", "first", "rest", "min_int",
                 "min_frac", "max_frac", "grouped_from", "threes", "group_digits", "group_at",
                 "zeros")

    def __init__(self, pattern: NumberPattern, locale: Locale, min_grouping: int) -> None:
        self.prefix, self.suffix = pattern.prefix, pattern.suffix
        self.decimal = get_decimal_symbol(locale, numbering_system="latn")
        self.group = get_group_symbol(locale, numbering_system="latn")
        # Babel strips '...' quoting from its whole result, digits included: with an apostrophe
        # in a symbol (de_CH groups with one) it prints 1234567; that stays Babel's to write.
        affixes = "".join(self.prefix + self.suffix) + self.decimal + self.group
        self.ok = not (pattern.exp_prec or "@" in pattern.pattern or pattern.scale
                       or pattern.number_pattern == "" or "'" in affixes or "¤" in affixes)
        self.first, self.rest = pattern.grouping
        self.min_int = pattern.int_prec[0]
        self.min_frac, self.max_frac = pattern.frac_prec
        self.zeros = ["0" * n for n in range(self.min_frac + 1)]  # padding by missing digits
        # an integer part of this many digits or more is grouped (CLDR minimumGroupingDigits)
        self.grouped_from = self.first + min_grouping if min_grouping > 1 else 0
        # Groups of three with one leading digit (most locales): grouped by slicing (see
        # _grouped), from the smallest whole number that is grouped.
        self.threes = self.first == self.rest == 3 and self.min_int == 1
        # the fewest whole-number digits that may be grouped, and the smallest such number
        self.group_digits = max(self.grouped_from, self.first + 1) if self.threes else 0
        self.group_at = 10 ** (self.group_digits - 1) if self.threes else 0

    def __call__(self, value: object) -> str | None:
        if not self.ok:
            return None
        kind = type(value)
        if kind is int:
            negative = value < 0  # type: ignore[operator]  # kind is int: mypy doesn't narrow through type() kept in a local
            n: int = -value if negative else value  # type: ignore[operator,assignment]  # as above
            frac = ""
        elif kind is float:
            if value != value or value in (_INF, -_INF):
                return None  # Babel's error
            negative = value < 0  # type: ignore[operator]  # kind is float (as above)
            text = repr(abs(value))  # type: ignore[arg-type]  # as above; abs: -0.0 is 0
            if "e" in text:
                return None
            whole, _, frac = text.partition(".")
            frac = "" if frac == "0" else frac.rstrip("0")
            if len(frac) > self.max_frac:
                return None  # needs rounding: Babel rounds half-even on the decimal repr
            if len(whole) >= self.group_digits:
                whole = self._grouped(whole)
        else:
            return None
        if len(frac) < self.min_frac:
            frac += self.zeros[self.min_frac - len(frac)]
        if kind is int:
            whole = str(n) if n < self.group_at else self._grouped(str(n))
        number = whole + self.decimal + frac if frac else whole
        return self.prefix[negative] + number + self.suffix[negative]

    def _grouped(self, whole: str) -> str:
        """The whole-number digits grouped, if the locale groups that many."""
        if self.threes:  # up to nine digits by slicing: no round trip through int()
            g, n = self.group, len(whole)
            if n <= 6:
                return whole[:-3] + g + whole[-3:]
            if n <= 9:
                return whole[:-6] + g + whole[-6:-3] + g + whole[-3:]
            grouped = format(int(whole), ",")
            return grouped if g == "," else grouped.replace(",", g)
        # any other grouping (Indian 3;2, a padded integer part), digit by digit
        if len(whole) >= self.grouped_from:  # Babel pads and groups only with a separator
            if len(whole) < self.min_int:
                whole = "0" * (self.min_int - len(whole)) + whole
            size, parts = self.first, []
            while len(whole) > size:
                parts.append(whole[-size:])
                whole = whole[:-size]
                size = self.rest
            parts.append(whole)
            whole = self.group.join(reversed(parts))
        return whole


_INF = float("inf")
