"""Text to features, numpy only: shared by training and inference.

``normalization``  text -> words -> normal tokens; the lexicon file (no state)
``lookup``         fast batch structures: bigram hash, term matcher, character n-gram
                   index, vectorised WordPiece
``tokens``         the token cache: the one owner of per-word and per-token state, bounded
``features``       FeatureSpace: vocabularies and weights -> feature units and rows

Examples
--------
>>> normalize_tokens("Counter-UAS systems and drones: AML/CFT rules")
['counter', 'uav', 'system', 'and', 'uav', 'aml', 'cft', 'rule']
"""

from themes.text.features import FeatureRows, FeatureSpace, Units, segment_sum, smooth_idf
from themes.text.normalization import (
    MAX_TERM_TOKENS,
    READING_VERSION,
    STOP_WORDS,
    char_ngrams,
    load_glossary,
    load_lexicon,
    normal_form,
    normalize_tokens,
    raw_words,
    read_names,
    statement_words,
)
from themes.text.tokens import TOKEN_CACHE_LIMIT, TokenCache

__all__ = [
    "MAX_TERM_TOKENS",
    "READING_VERSION",
    "STOP_WORDS",
    "TOKEN_CACHE_LIMIT",
    "FeatureRows",
    "FeatureSpace",
    "TokenCache",
    "Units",
    "char_ngrams",
    "load_glossary",
    "load_lexicon",
    "normal_form",
    "normalize_tokens",
    "raw_words",
    "read_names",
    "segment_sum",
    "smooth_idf",
    "statement_words",
]
