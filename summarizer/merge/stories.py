"""Stories: which articles report the same event.

A morning's folder holds several events, and figures or quotes are compared only within one
event, so grouping comes first. Three rules keep it right and stable:

- **How alike two articles are depends on those two articles only**, never on what else is
  in the folder (no folder-wide document frequencies). An article is one unit vector in two
  parts: its names (``NAME_SHARE`` of it: words it writes capitalised mid-sentence, and its
  multi-word names such as "Ada Lindqvist", titles dropped) and its other content words,
  each weighted ``1 + log tf``. Names the whole world shares (countries' peoples and capitals,
  "U.S.", "ISIS", regions, months) and capitalised words that name a kind of thing
  ("Interior Ministry", "General Hospital") weigh as ordinary words: they say nothing of
  which event. So copying two folders into one never regroups either.
- **A link must hold against the story as a whole**, not one similar neighbour: stories are
  built by average-link agglomeration. Candidate pairs are taken most alike first; the two
  stories they belong to join only when the mean similarity over *every* pair of their
  articles is at least ``LINK`` (exact and cheap: the dot product of the two sums of unit
  vectors, divided by the product of the sizes). A chain of similar single articles across
  two events cannot fuse them, because the far ends pull the mean down.
- **Stories set in different countries are different events**: two stories that each name
  countries, none in common, never join. A country is named by its name, in the possessive
  too ("Kenya's"), or by its capital ("officials in Nairobi").

Comparing all pairs is quadratic, so candidate pairs are blocked: every article is indexed
under its ``BLOCKING_TERMS`` heaviest terms, and only articles sharing ``MIN_SHARED_TERMS``
of them are scored. A term carried by more than ``MAX_POSTING`` articles pairs each with its
next ``WINDOW`` neighbours in an order set by the articles' own text (a hash): the only place
the folder matters is which pairs are looked at, never how alike they are.

Within a story, a wire story republished (most of its word 5-grams found in an earlier
article) is marked as the same copy (``same_copies``), so that it is counted once.

Everything read of one article (its vector, names, countries, words, capitalised runs and
5-gram sample) is its ``ArticleProfile``, a pure function of that article (``profile``): the
pipeline can compute it where the article is extracted and cache it, and merge then only
compares profiles.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import add, and_, itemgetter, lshift, mul, or_, rshift, xor
from typing import Any, NamedTuple

from ..aliases import ALIASES
from ..errors import InternalError
from ..extract.rules.lexicon import (
    CAPITALS,
    COUNTRY_DEMONYMS,
    DEMONYMS,
    NATIONALITIES,
    ORG_WORDS,
    OUTLET_WORDS,
    PORTFOLIO_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
)
from ..models import Article, Sentence
from ..textutil import STOPWORDS, content_words_of, fold, sentence_words, word_key, words
from . import forked
from .unionfind import DisjointSets

BLOCKING_TERMS = 20
MIN_SHARED_TERMS = 2
MAX_POSTING = 64
VECTOR_TERMS = 200
NAME_SHARE = 0.7  # of an article's vector, the part its names make
NAME_TF = 1.0  # how much a name's frequency in the article adds to its weight
NAME_PREFIX = "^"  # name terms: "^mugabe"; never a content word
RUNS = True
RUN_PREFIX = "_"  # multi-word names: "_north korea"
LINK = 0.26  # mean pairwise cosine for two stories to join
PAIR_LINK = 0.26  # a candidate pair below this never starts a join
WINDOW = 16  # a posting longer than MAX_POSTING pairs each article with this many neighbours
PASSES = 3
PARALLEL_PAIRS_FROM = 2_000  # articles: from this many on, pairs are scored in processes
PAIR_WORKERS = 2
SHINGLE = 5  # words per shingle, for near-duplicate copy
SHINGLE_SAMPLE = 4  # one shingle in this many (by a stable hash) is compared
SAME_COPY = 0.65  # share of the shorter article's shingles found in the other
MIN_SHINGLES = 8
MIN_TITLE_WORDS = 3
MAX_TITLE_WORDS = 25
_TITLE_CASE_SHARE = 0.8
# The world's countries (as one word each where the name has several, see ``_WORLD_NAMES``).
_COUNTRIES = """afghanistan albania algeria andorra angola argentina armenia australia austria
azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia
bosnia herzegovina botswana brazil brunei bulgaria burkina faso burundi cambodia cameroon canada
chad chile china colombia comoros congo costa rica croatia cuba cyprus czechia denmark
djibouti dominica ecuador egypt salvador eritrea estonia eswatini ethiopia fiji finland france
gabon gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary
iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania
mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar
namibia nauru nepal netherlands zealand nicaragua niger nigeria macedonia norway oman pakistan
palau palestine panama papua paraguay peru philippines poland portugal qatar romania russia
rwanda samoa marino arabia senegal serbia seychelles sierra leone singapore slovakia slovenia
somalia sudan spain sri lanka suriname sweden switzerland syria taiwan tajikistan tanzania
thailand timor togo tonga trinidad tobago tunisia turkey türkiye turkmenistan tuvalu uganda
ukraine emirates uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe"""
# Names of the world that many unrelated events share (countries, their peoples and capitals,
# the best-known organisations): they weigh as ordinary words, not as an event's names.
_WORLD_NAMES = frozenset(
    fold(name)
    for name in [
        *NATIONALITIES,
        *DEMONYMS,
        *CAPITALS,
        *COUNTRY_DEMONYMS,
        *(v for v in COUNTRY_DEMONYMS.values()),
        *(a for spellings in ALIASES.values() for a in spellings),
        # Regions, months, and the months' abbreviations that are nothing else ("Jan", "Mar"
        # and "Jun" are also given names or words).
        *"""europe european africa african asia asian america latin middle east west western
        gulf arab world pacific atlantic january february march april june july august
        september october november december feb aug sept oct nov dec""".split(),
        # Countries are not among them: articles on one event may share little else but the
        # country's name (read as words, two real stories of the corpora split in two).
        "middle east",
        "european union",
        "arab world",
    ]
)
_COUNTRY_WORDS = frozenset(_COUNTRIES.split())
# Other names of one country, read as the one in ``_COUNTRIES``.
_COUNTRY_ALIASES = {
    "türkiye": "turkey",
    "turkiye": "turkey",
    "burma": "myanmar",
    "holland": "netherlands",
    "czech": "czechia",
    "swaziland": "eswatini",
    "persia": "iran",
    "britain": "kingdom",
    "england": "kingdom",
    "scotland": "kingdom",
    "wales": "kingdom",
}
# The country each capital is in (``lexicon.CAPITALS``, as the country is keyed above): an
# article that names a capital ("officials in Nairobi") is set in its country as much as one
# that names the country. Not Washington (the United States are not among ``_COUNTRIES``:
# "united" and "states" are words of too many names), nor Pretoria, Bangui, Yamoussoukro and
# Santo Domingo, whose countries are not either.
_CAPITAL_COUNTRIES = {
    "kabul": "afghanistan",
    "tirana": "albania",
    "algiers": "algeria",
    "luanda": "angola",
    "riyadh": "arabia",
    "buenos aires": "argentina",
    "yerevan": "armenia",
    "canberra": "australia",
    "vienna": "austria",
    "baku": "azerbaijan",
    "manama": "bahrain",
    "dhaka": "bangladesh",
    "minsk": "belarus",
    "brussels": "belgium",
    "porto-novo": "benin",
    "thimphu": "bhutan",
    "la paz": "bolivia",
    "sarajevo": "bosnia",
    "gaborone": "botswana",
    "brasilia": "brazil",
    "ouagadougou": "burkina",
    "gitega": "burundi",
    "phnom penh": "cambodia",
    "yaounde": "cameroon",
    "yaoundé": "cameroon",
    "ottawa": "canada",
    "n'djamena": "chad",
    "beijing": "china",
    "bogota": "colombia",
    "bogotá": "colombia",
    "brazzaville": "congo",
    "kinshasa": "congo",
    "zagreb": "croatia",
    "havana": "cuba",
    "nicosia": "cyprus",
    "prague": "czechia",
    "copenhagen": "denmark",
    "quito": "ecuador",
    "cairo": "egypt",
    "abu dhabi": "emirates",
    "asmara": "eritrea",
    "tallinn": "estonia",
    "mbabane": "eswatini",
    "addis ababa": "ethiopia",
    "suva": "fiji",
    "helsinki": "finland",
    "paris": "france",
    "libreville": "gabon",
    "banjul": "gambia",
    "tbilisi": "georgia",
    "berlin": "germany",
    "accra": "ghana",
    "athens": "greece",
    "guatemala city": "guatemala",
    "bissau": "guinea",
    "conakry": "guinea",
    "malabo": "guinea",
    "port-au-prince": "haiti",
    "tegucigalpa": "honduras",
    "budapest": "hungary",
    "reykjavik": "iceland",
    "new delhi": "india",
    "jakarta": "indonesia",
    "tehran": "iran",
    "baghdad": "iraq",
    "dublin": "ireland",
    "rome": "italy",
    "tokyo": "japan",
    "amman": "jordan",
    "astana": "kazakhstan",
    "nairobi": "kenya",
    "london": "kingdom",
    "pyongyang": "korea",
    "seoul": "korea",
    "pristina": "kosovo",
    "kuwait city": "kuwait",
    "bishkek": "kyrgyzstan",
    "vientiane": "laos",
    "riga": "latvia",
    "beirut": "lebanon",
    "freetown": "leone",
    "maseru": "lesotho",
    "monrovia": "liberia",
    "tripoli": "libya",
    "vilnius": "lithuania",
    "skopje": "macedonia",
    "antananarivo": "madagascar",
    "lilongwe": "malawi",
    "kuala lumpur": "malaysia",
    "bamako": "mali",
    "valletta": "malta",
    "nouakchott": "mauritania",
    "port louis": "mauritius",
    "mexico city": "mexico",
    "chisinau": "moldova",
    "ulaanbaatar": "mongolia",
    "ulan bator": "mongolia",
    "podgorica": "montenegro",
    "rabat": "morocco",
    "maputo": "mozambique",
    "naypyidaw": "myanmar",
    "windhoek": "namibia",
    "kathmandu": "nepal",
    "amsterdam": "netherlands",
    "the hague": "netherlands",
    "managua": "nicaragua",
    "niamey": "niger",
    "abuja": "nigeria",
    "oslo": "norway",
    "muscat": "oman",
    "islamabad": "pakistan",
    "panama city": "panama",
    "port moresby": "papua",
    "asuncion": "paraguay",
    "asunción": "paraguay",
    "manila": "philippines",
    "warsaw": "poland",
    "lisbon": "portugal",
    "doha": "qatar",
    "bucharest": "romania",
    "moscow": "russia",
    "kigali": "rwanda",
    "san salvador": "salvador",
    "dakar": "senegal",
    "belgrade": "serbia",
    "bratislava": "slovakia",
    "ljubljana": "slovenia",
    "mogadishu": "somalia",
    "madrid": "spain",
    "juba": "sudan",
    "khartoum": "sudan",
    "stockholm": "sweden",
    "bern": "switzerland",
    "damascus": "syria",
    "taipei": "taiwan",
    "dushanbe": "tajikistan",
    "dodoma": "tanzania",
    "bangkok": "thailand",
    "dili": "timor",
    "lome": "togo",
    "lomé": "togo",
    "tunis": "tunisia",
    "ankara": "turkey",
    "ashgabat": "turkmenistan",
    "kampala": "uganda",
    "kiev": "ukraine",
    "kyiv": "ukraine",
    "montevideo": "uruguay",
    "tashkent": "uzbekistan",
    "caracas": "venezuela",
    "hanoi": "vietnam",
    "sanaa": "yemen",
    "lusaka": "zambia",
    "harare": "zimbabwe",
}
# A name of a country (its name as one word, another name of it, its capital) -> the country.
_COUNTRY_OF = {**{word: word for word in _COUNTRY_WORDS}, **_COUNTRY_ALIASES, **_CAPITAL_COUNTRIES}
# Capitalised words that name a kind of thing, not one thing ("Interior Ministry", "General
# Hospital", "Special Envoy"): a name made only of them is no event's own.
_KIND_WORDS = (
    ORG_WORDS
    | TITLE_WORDS
    | ROLE_NOUNS
    | PORTFOLIO_WORDS
    | OUTLET_WORDS
    | frozenset(
        """street avenue road boulevard bridge park station airport port river lake valley
        district province region county city town village hall stadium market clinic
        memorial church mosque temple cathedral central north south east west northern
        southern eastern western upper lower new old national international global
        united republic democratic federal royal saint st whoever""".split()
    )
)


@dataclass(frozen=True)
class StoryArticles:
    """One story: its id, a readable title and its articles in input order."""

    id: str
    title: str
    articles: list[Article]
    words: Counter[str]  # content words of the story's body sentences, for centrality
    # A republished wire story: article id -> the id of the first article with the same copy.
    copies: dict[str, str]


@dataclass(frozen=True)
class StoryGroup:
    """One story as positions in the list of articles: its id, title, members (ascending)
    and the content words of its articles' body sentences (for centrality)."""

    id: str
    title: str
    members: list[int]
    words: Counter[str]


# The sets of countries profiles name: one frozenset for each (most articles name one country,
# and a set of one is 216 bytes).
_COUNTRY_SETS: dict[frozenset[str], frozenset[str]] = {}


def _narrow(counts: array[int]) -> array[int]:
    """``counts`` in the narrowest array that holds them: word counts are almost always under
    256, one byte each rather than four (arrays of the same numbers compare equal)."""
    top = max(counts, default=0)
    typecode = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I"
    return counts if counts.typecode == typecode else array(typecode, counts)


# The array types a profile is written with (``to_bytes``): weights, then counts and hashes.
_TYPECODES = frozenset("dBHI")
# A profile's head as written (``to_bytes``): how many bytes its strings take and its headline
# (0: none, else one more than its bytes), how many countries, terms, words and runs
# it holds, and the typecodes of its four arrays.
_PROFILE = struct.Struct("<6I4s")


def _little_endian(numbers: array[Any]) -> bytes:
    """An array's bytes, little-endian (``_native`` reads them back)."""
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _native(numbers: array[Any]) -> array[Any]:
    """An array read from little-endian bytes (``_little_endian``), in this machine's order."""
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """What grouping, titles, story words and copy detection read of one article: a pure
    function of that article (``profile``), so that it can be computed where the article is
    extracted (a worker process) and cached with the extraction.

    A large run holds every article's profile at once, so it keeps only what merge reads, in
    compact form: strings in tuples (interned: a word written in many articles is one string,
    however the profiles were made or unpickled), numbers in arrays (8 bytes a weight, 4 a
    count or hash, rather than an object each). Equal profiles compare equal."""

    digest: str  # the article's sha256: orders the articles that share a common term
    terms: tuple[str, ...]  # the unit vector's terms, heaviest first (then alphabetical)
    weights: array[float]  # their weights, in that order ("d")
    countries: frozenset[str]  # the countries it names (capitalised)
    words: tuple[str, ...]  # content words of its body sentences
    word_counts: array[int]  # how often each is written (``_narrow``)
    runs: tuple[str, ...]  # runs of capitalised words as written
    run_counts: array[int]  # how often each is written (``_narrow``)
    shingles: array[int]  # its sample of body word 5-gram hashes, ascending ("I")
    headline: str | None = None  # its title, when it reads as a headline (``headline``)

    def __post_init__(self) -> None:
        intern = sys.intern
        object.__setattr__(self, "terms", tuple(map(intern, self.terms)))
        countries = frozenset(map(intern, self.countries))
        object.__setattr__(self, "countries", _COUNTRY_SETS.setdefault(countries, countries))
        object.__setattr__(self, "words", tuple(map(intern, self.words)))
        object.__setattr__(self, "runs", tuple(map(intern, self.runs)))
        object.__setattr__(self, "word_counts", _narrow(self.word_counts))
        object.__setattr__(self, "run_counts", _narrow(self.run_counts))

    def __reduce__(self) -> tuple[type[ArticleProfile], tuple[object, ...]]:
        # Unpickled through the constructor, so that its strings are interned again.
        return (
            ArticleProfile,
            (
                self.digest,
                self.terms,
                self.weights,
                self.countries,
                self.words,
                self.word_counts,
                self.runs,
                self.run_counts,
                self.shingles,
                self.headline,
            ),
        )

    def to_bytes(self) -> bytes:
        """Its fields as bytes (``from_bytes`` makes it again, equal), so that it can be
        cached with the article: a head (``_PROFILE``: the sizes of what follows and the
        arrays' typecodes), its strings (the digest, countries, terms, words and runs)
        in UTF-8, one NUL between two (no word holds one), its headline, then its arrays'
        bytes, little-endian (the same on every machine, so that a shared cache can hold
        it; the weights come back to the same bits). Read back in about half the time of
        the same fields as JSON (``split`` where JSON parses each string), and two thirds
        of its size."""
        strings = (self.digest, *sorted(self.countries), *self.terms, *self.words, *self.runs)
        text = "\0".join(strings).encode("utf-8", "surrogatepass")
        headline = b"" if self.headline is None else self.headline.encode("utf-8", "surrogatepass")
        arrays: tuple[array[Any], ...] = (
            self.weights,
            self.word_counts,
            self.run_counts,
            self.shingles,
        )
        head = _PROFILE.pack(
            len(text),
            0 if self.headline is None else len(headline) + 1,
            len(self.countries),
            len(self.terms),
            len(self.words),
            len(self.runs),
            "".join(a.typecode for a in arrays).encode("ascii"),
        )
        return b"".join((head, text, headline, *map(_little_endian, arrays)))

    @classmethod
    def from_bytes(cls, data: bytes) -> ArticleProfile:
        """The profile ``to_bytes`` gave ``data`` of; ValueError when they are not one."""
        try:
            (size, headline_size, countries, terms, words, runs, codes) = _PROFILE.unpack_from(data)
            at = _PROFILE.size
            strings = tuple(data[at : at + size].decode("utf-8", "surrogatepass").split("\0"))
            if len(strings) != 1 + countries + terms + words + runs:
                raise ValueError("its strings are not as many as it says")
            at += size
            headline = None
            if headline_size:
                end = at + headline_size - 1
                headline = data[at:end].decode("utf-8", "surrogatepass")
                at = end
            typecodes = codes.decode("ascii")
            if typecodes[0] != "d" or not set(typecodes) <= _TYPECODES:
                raise ValueError(f"arrays of unknown types: {typecodes!r}")
            weights, counts, run_counts, shingles = map(array, typecodes)
            for numbers, n in ((weights, terms), (counts, words), (run_counts, runs)):
                end = at + n * numbers.itemsize
                numbers.frombytes(data[at:end])
                at = end
            if at > len(data):
                raise ValueError("cut short")
            shingles.frombytes(data[at:])  # ValueError unless whole items
            cut = list(accumulate((1, countries, terms, words)))
            return cls(
                strings[0],
                strings[cut[1] : cut[2]],
                _native(weights),
                frozenset(strings[1 : cut[1]]),
                strings[cut[2] : cut[3]],
                _native(counts),
                strings[cut[3] :],
                _native(run_counts),
                _native(shingles),
                headline,
            )
        except (struct.error, ValueError) as error:  # UnicodeDecodeError is a ValueError
            raise ValueError(f"not a story profile: {error}") from None

    def vector(self) -> dict[str, float]:
        """The article's unit vector as a dict, heaviest term first."""
        return dict(zip(self.terms, self.weights, strict=True))

    def word_bag(self) -> dict[str, int]:
        """Its content words and their counts."""
        return dict(zip(self.words, self.word_counts, strict=True))

    def run_bag(self) -> dict[str, int]:
        """Its runs of capitalised words and their counts."""
        return dict(zip(self.runs, self.run_counts, strict=True))


def _key(token: str) -> str:
    return token.casefold() if token.isascii() else fold(token)


def _body(article: Article) -> list[Sentence]:
    return [s for s in article.sentences if not s.heading]


def _capitalised_runs(tokens: list[str]) -> list[list[str]]:
    """Runs of capitalised words (of a sentence's ``words``), leaving out a sentence's first
    word unless a run starts there."""
    if not tokens or sum(t[0].isupper() for t in tokens) > _TITLE_CASE_SHARE * len(tokens):
        return []  # a title-case line says nothing about which words are names
    runs: list[list[str]] = []
    start = 0
    for i, token in enumerate([*tokens, ""]):
        if token[:1].isupper() and _key(token) not in STOPWORDS:
            continue
        run = tokens[start:i]
        if len(run) > 1 or (run and start > 0):
            runs.append(run)
        start = i + 1
    return runs


class _SentenceTerms(NamedTuple):
    terms: tuple[str, ...]  # content words, then its multi-word names ("_north korea")
    lowers: tuple[str, ...]  # lower-case words, keyed (``word_key``)
    capitals: tuple[str, ...]  # capitalised words but the first, keyed
    runs: tuple[str, ...]  # runs of capitalised words as written
    world: tuple[str, ...]  # the keys of those runs that are names of the world's
    folded: str  # its words casefolded, joined by single spaces (for shingles)


@lru_cache(maxsize=1 << 16)
def _sentence_terms(text: str) -> _SentenceTerms:
    """What one sentence adds to its article's profile. Runs of capitalised words that are a
    name of the world's count all their keys in ``world``; others, without leading titles
    ("President Donald Trump" is "Donald Trump"), are terms when they have several words. A
    pure function of the text, memoised: outlets repeat sentences (wire copy)."""
    tokens = list(sentence_words(text))
    # Keyed as content words are (``word_key``), so that a name or a country written only
    # in the possessive ("Ukraine’s", "Okafor's") is still one, and the same term as its
    # content word.
    lowers: list[str] = []
    capitals: list[str] = []
    for i, token in enumerate(tokens):
        if token[:1].islower():
            lowers.append(word_key(token))
        elif i and token[:1].isupper():
            capitals.append(word_key(token))
    terms = content_words_of(tokens)
    runs: list[str] = []
    world: list[str] = []
    for run in _capitalised_runs(tokens):
        name = " ".join(run)
        runs.append(name)
        keys = [_key(t) for t in run]
        if fold(name) in _WORLD_NAMES or all(k in _KIND_WORDS for k in keys):
            world += keys
            continue
        while keys[0] in TITLE_WORDS:
            keys = keys[1:]
        if len(keys) > 1 and RUNS:
            terms.append(RUN_PREFIX + " ".join(keys))
    # Case folding maps each character on its own, so folding the joined words folds each.
    folded = " ".join(tokens).casefold()
    return _SentenceTerms(
        tuple(terms), tuple(lowers), tuple(capitals), tuple(runs), tuple(world), folded
    )


def _heaviest(weights: dict[str, float]) -> list[tuple[str, float]]:
    """Items by weight, heaviest first, then by term (a stable sort by weight of the items
    sorted by term)."""
    return sorted(sorted(weights.items()), key=itemgetter(1), reverse=True)


def _shingle_sample(folded: list[str]) -> tuple[int, ...]:
    """A sample of the word 5-grams of ``folded`` (casefolded texts), by a hash that is the
    same in every run: the crc32 of each 5-gram's UTF-8 bytes (words joined by a space), kept
    when divisible by ``SHINGLE_SAMPLE``. The text is encoded once and each 5-gram is a slice
    of it, so that the work is done in C."""
    text = " ".join(folded)
    tokens = text.split(" ")
    count = len(tokens) - SHINGLE + 1
    if count <= 0:
        return ()
    data = text.encode("utf-8")
    sizes = map(len, tokens) if text.isascii() else map(len, map(str.encode, tokens))
    starts = list(accumulate(map((1).__add__, sizes), initial=0))  # of each word in ``data``
    spans = map(slice, starts[:count], map((-1).__add__, starts[SHINGLE:]))
    codes = set(map(zlib.crc32, map(data.__getitem__, spans)))
    return tuple(sorted(code for code in codes if code % SHINGLE_SAMPLE == 0))


def profile(article: Article) -> ArticleProfile:
    """The article's own profile: nothing in it depends on any other article."""
    sequence: list[str] = []
    lowers: list[str] = []
    capitals: list[str] = []
    written: list[str] = []
    world_keys: list[str] = []
    folded: list[str] = []
    for sentence in _body(article):
        found = _sentence_terms(article.slice(sentence))
        sequence += found.terms
        lowers += found.lowers
        capitals += found.capitals
        written += found.runs
        world_keys += found.world
        if found.folded:
            folded.append(found.folded)
    terms = Counter(sequence)
    capitalised = Counter(capitals)
    capitalised_count, lower_count = capitalised.get, Counter(lowers).get
    world = set(world_keys)  # words of the world's names written here ("United States")
    names: dict[str, float] = {}
    others: dict[str, float] = {}
    for term, tf in terms.items():
        if (
            term.startswith(RUN_PREFIX) or capitalised_count(term, 0) > lower_count(term, 0)
        ) and not (term in world or term in _KIND_WORDS or fold(term) in _WORLD_NAMES):
            # Each name counts once, however often it is written: two events that share one
            # place name (a town, a hospital) share one name of many, not their main term.
            names[NAME_PREFIX + term] = 1.0 + NAME_TF * math.log(tf)
        else:
            others[term] = 1.0 + math.log(tf)
    vector: dict[str, float] = {}
    share = NAME_SHARE if names and others else 1.0 if names else 0.0
    for part, weight in ((names, share), (others, 1.0 - share)):
        top = _heaviest(part)[:VECTOR_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        scale = math.sqrt(weight) / norm
        vector.update((term, w * scale) for term, w in top)
    ranked = _heaviest(vector)
    content = {t: n for t, n in terms.items() if not t.startswith(RUN_PREFIX)}
    written_tf = Counter(written)
    return ArticleProfile(
        digest=article.sha256,
        terms=tuple(term for term, _ in ranked),
        weights=array("d", [weight for _, weight in ranked]),
        countries=_countries(capitalised, written_tf),
        words=tuple(content),
        word_counts=array("I", content.values()),
        runs=tuple(written_tf),
        run_counts=array("I", written_tf.values()),
        shingles=array("I", _shingle_sample(folded)),
        headline=headline(article),
    )


def _countries(capitalised: Counter[str], runs: Counter[str]) -> frozenset[str]:
    """The countries an article names (``capitalised``: its capitalised words but a
    sentence's first, keyed; ``runs``: its runs of capitalised words as written), by name or
    by their capital ("Tanzania's", "in Dodoma", "Addis Ababa"), each as ``_COUNTRIES``
    keys it."""
    found = {_COUNTRY_OF[t] for t in capitalised if t in _COUNTRY_OF}
    for run in runs:  # the capitals of several words
        if " " in run and (key := word_key(fold(run))) in _CAPITAL_COUNTRIES:
            found.add(_CAPITAL_COUNTRIES[key])
    return frozenset(found)


# A vector: a dict of term to weight (a story's sum), or an article's profile, whose
# ordered terms and weights are its vector without a dict (a dict of up to 400 terms and
# their floats is about 14 KB: held for every article of a large run, the largest part of
# merge's memory; a profile's arrays are a third of that, and it is held anyway).
_Vector = dict[str, float] | ArticleProfile


def _size(vector: _Vector) -> int:
    return len(vector) if isinstance(vector, dict) else len(vector.terms)


def _columns(vector: _Vector) -> tuple[Iterable[str], Iterable[float]]:
    """Its terms and their weights, in the vector's order."""
    if isinstance(vector, dict):
        return vector.keys(), vector.values()
    return vector.terms, vector.weights


def _dot(a: _Vector, b: _Vector) -> float:
    """The dot product, summed in the order of the smaller vector's terms (``a``'s when they
    are as long), so that it is the same in every run to the last bit, whichever form each
    vector has (the larger one is made a dict for the lookups when it is a profile)."""
    small, large = (a, b) if _size(a) <= _size(b) else (b, a)
    lookup = large if isinstance(large, dict) else large.vector()
    terms, weights = _columns(small)
    # Each term the larger one lacks adds ``w * 0.0``, which leaves a sum of positive
    # weights as it was: the same as summing the shared terms only, done in C.
    total: float = sum(map(mul, weights, map(lookup.get, terms, repeat(0.0))))
    return total


def similarity(a: Article, b: Article) -> float:
    """How alike two articles are (cosine, 0 to 1): a function of the two articles only."""
    return _dot(profile(a).vector(), profile(b).vector())


def _put(target: list[float], codes: Iterable[int], values: Iterable[float]) -> None:
    """``target[code] = value`` for each code and value, in C."""
    deque(map(target.__setitem__, codes, values), maxlen=0)


@dataclass(frozen=True)
class _Blocking:
    """What scoring the candidate pairs reads, made once from the profiles before any
    worker process is forked (``PairScoring``), so that the workers read these compact
    arrays (left as they are: shared with this process, page by page) and never touch the
    profiles, whose objects and strings each touch would copy (reference counts), nor make
    the same tables each again.

    ``codes``: each article's vector terms as small ints (one per distinct term of the
    folder), in the vector's order; ``weights``: its weights (the profile's own array);
    ``sizes``: how many terms. ``postings``: the articles under each of their
    ``BLOCKING_TERMS`` heaviest terms (by code, ascending; one array for every term, not a
    list for each: no object an article); ``common``: for a term more than
    ``MAX_POSTING`` articles carry, its articles in an order set by their own text (a hash),
    never by file names or input order, and their ranks in that order (ascending)."""

    codes: list[array[int]]
    weights: list[array[float]]
    sizes: array[int]
    n_terms: int
    starts: array[int]  # the postings of term ``t`` are ``postings[starts[t] : starts[t + 1]]``
    postings: array[int]
    rank: array[int]  # each article's place in the order of common terms' articles
    common: dict[int, tuple[array[int], array[int]]]

    @classmethod
    def of(cls, profiles: Sequence[ArticleProfile]) -> _Blocking:
        """The tables of ``profiles`` (one per article, in order)."""
        distinct = dict.fromkeys(chain.from_iterable(p.terms for p in profiles))
        code = {term: k for k, term in enumerate(distinct)}
        del distinct
        codes = [array("I", map(code.__getitem__, p.terms)) for p in profiles]
        n_terms = len(code)
        del code
        # Each article's rank by its text's hash, ties by position (as a stable sort of a
        # posting, ascending, by hash orders them): the order of a common term's articles.
        by_digest = sorted(range(len(profiles)), key=lambda i: profiles[i].digest)
        rank = array("I", bytes(4 * len(profiles)))
        for r, i in enumerate(by_digest):
            rank[i] = r
        del by_digest
        heads = [own[:BLOCKING_TERMS] for own in codes]
        counts = array("I", bytes(4 * (n_terms + 1)))
        for head in heads:
            for term in head:
                counts[term + 1] += 1
        starts = array("I", accumulate(counts))
        postings = array("I", bytes(4 * starts[-1]))
        filled = array("I", starts)
        for index, head in enumerate(heads):
            for term in head:
                postings[filled[term]] = index
                filled[term] += 1
        del heads, filled
        common: dict[int, tuple[array[int], array[int]]] = {}
        for term in range(n_terms):
            if counts[term + 1] > MAX_POSTING:
                members = postings[starts[term] : starts[term + 1]]
                ordered = array("I", sorted(members, key=rank.__getitem__))
                common[term] = (ordered, array("I", map(rank.__getitem__, ordered)))
        return cls(
            codes,
            [p.weights for p in profiles],
            array("I", [len(p.terms) for p in profiles]),
            n_terms,
            starts,
            postings,
            rank,
            common,
        )


class Pairs:
    """Candidate pairs ``(score, i, j)``, ``i < j``, as three arrays (8 + 4 + 4 bytes a pair,
    not a tuple and a float object: a fifth of the memory at 30,000 articles' half a million
    pairs, and sent from a worker process as their bytes)."""

    def __init__(
        self,
        scores: array[float] | None = None,
        firsts: array[int] | None = None,
        seconds: array[int] | None = None,
    ) -> None:
        self.scores = array("d") if scores is None else scores
        self.firsts = array("I") if firsts is None else firsts
        self.seconds = array("I") if seconds is None else seconds

    def __len__(self) -> int:
        return len(self.scores)

    def __iter__(self) -> Iterator[tuple[float, int, int]]:
        return zip(self.scores, self.firsts, self.seconds, strict=True)

    def add(self, score: float, i: int, j: int) -> None:
        self.scores.append(score)
        self.firsts.append(i)
        self.seconds.append(j)

    def extend(self, other: Pairs) -> None:
        self.scores.extend(other.scores)
        self.firsts.extend(other.firsts)
        self.seconds.extend(other.seconds)


def _candidate_pairs(
    profiles: Sequence[ArticleProfile] | _Blocking, part: int = 0, parts: int = 1
) -> Pairs:
    """Pairs sharing enough heavy terms, scored, most alike first (then by position).

    An article meets the others under its blocking terms (every article of a term's
    posting; of a common term, its ``WINDOW`` neighbours on either side): the pairs that meet
    ``MIN_SHARED_TERMS`` times are the candidates, the same seen from either article (small
    ints, counted in C). Each pair is scored once, by its larger vector (the one with more
    terms; of two as long, the later), while that article's weights are at hand, spread
    over the folder's term codes (one vector at a time, none kept as a dict): the dot
    product walks the smaller vector's terms in its own order, as ``_dot`` does, so each
    score is the same to the last bit.

    ``part`` of ``parts``: only the pairs scored by the articles at positions ``part``,
    ``part + parts``, ... (``PairScoring`` shares the folder among processes so); the parts'
    pairs together, ordered by ``_most_alike_first``, are the whole folder's."""
    blocking = profiles if isinstance(profiles, _Blocking) else _Blocking.of(profiles)
    codes, weights, sizes = blocking.codes, blocking.weights, blocking.sizes
    starts, postings, rank, common = (
        blocking.starts,
        blocking.postings,
        blocking.rank,
        blocking.common,
    )
    at_hand = [0.0] * blocking.n_terms  # the larger vector's weights by code; 0.0: not its
    scored = Pairs()
    for x in range(part, len(codes), parts):
        met: list[array[int]] = []
        for term in codes[x][:BLOCKING_TERMS]:
            if term in common:
                ordered, ranks = common[term]
                k = bisect_left(ranks, rank[x])
                met += (ordered[max(k - WINDOW, 0) : k], ordered[k + 1 : k + 1 + WINDOW])
            else:
                # ``x`` among them: it is never smaller than itself.
                met.append(postings[starts[term] : starts[term + 1]])
        n_x = sizes[x]
        smaller = [
            y
            for y, n in Counter(chain.from_iterable(met)).items()
            if n >= MIN_SHARED_TERMS and (sizes[y] < n_x or (sizes[y] == n_x and y < x))
        ]
        if not smaller:
            continue
        _put(at_hand, codes[x], weights[x])
        for y in smaller:
            # ``_dot(profiles[y], profiles[x])`` (merge's hottest loop), in C: a term of the
            # smaller vector that the larger lacks adds ``w * 0.0``, which leaves a sum of
            # positive weights as it was.
            score = sum(map(mul, weights[y], map(at_hand.__getitem__, codes[y])))
            if score >= PAIR_LINK:
                scored.add(score, min(x, y), max(x, y))
        _put(at_hand, codes[x], repeat(0.0))
    return _most_alike_first(scored)


_WORD = (1 << 32) - 1
_DOUBLE = (1 << 64) - 1


def _most_alike_first(pairs: Pairs) -> Pairs:
    """``pairs`` most alike first, ties of score by position (i, j): an order of the pairs
    alone, whatever order they were found in. Each pair is sorted as one integer, in C: the
    bits of its score inverted (a score is never negative, and the bits of a double that is
    not, read as an integer, order as the numbers do), then i, then j, 32 bits each."""
    bits = array("Q")
    bits.frombytes(pairs.scores.tobytes())
    positions = map(or_, map(lshift, pairs.firsts, repeat(32)), pairs.seconds)
    keys = sorted(map(or_, map(lshift, map(xor, bits, repeat(_DOUBLE)), repeat(64)), positions))
    seconds = array("I", map(and_, keys, repeat(_WORD)))
    firsts = array("I", map(and_, map(rshift, keys, repeat(32)), repeat(_WORD)))
    bits = array("Q", map(xor, map(rshift, keys, repeat(64)), repeat(_DOUBLE)))
    del keys
    scores = array("d")
    scores.frombytes(bits.tobytes())
    return Pairs(scores, firsts, seconds)


# What a pair-scoring worker process was forked with (``PairScoring``).
_forked_with: _Blocking | None = None


def _fork_with(blocking: _Blocking) -> None:
    global _forked_with  # the one way a forked worker is handed its data
    _forked_with = blocking


def _scored_part(part: int, parts: int) -> Pairs:
    assert _forked_with is not None  # set when the worker started
    return _candidate_pairs(_forked_with, part, parts)


class PairScoring:
    """The candidate pairs of a folder (``_candidate_pairs``), scored from when it is made.

    Scoring is merge's largest cost (half a million dot products at 10,000 articles), and
    each article's share of it depends on the profiles only, so from ``PARALLEL_PAIRS_FROM``
    articles on it runs in ``PAIR_WORKERS`` processes forked with what scoring reads in
    memory (``_Blocking``, made here first: the workers never touch the profiles; ``forked``:
    nothing large is pickled; each sends back its pairs), while the caller goes on with work
    of its own (merge makes its article and extraction models meanwhile). The same code on
    the same profiles gives each score to the last bit, and the pairs are put in an order of
    their own (``_most_alike_first``), so the result is the one of one process. Below that
    size, where processes cannot be forked, or should a worker fail, the pairs are scored
    here when asked."""

    def __init__(self, profiles: Sequence[ArticleProfile]) -> None:
        self._profiles = profiles
        self._blocking: _Blocking | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._parts: list[Future[Pairs]] = []
        self._scored: Pairs | None = None  # the pairs once collected (``wait``)
        if len(profiles) < PARALLEL_PAIRS_FROM:
            return
        self._blocking = _Blocking.of(profiles)
        self._pool = forked.pool(PAIR_WORKERS, _fork_with, (self._blocking,))
        if self._pool is None:
            return
        try:
            self._parts = [
                self._pool.submit(_scored_part, part, PAIR_WORKERS) for part in range(PAIR_WORKERS)
            ]
        except OSError:  # no process to be had (memory, limits): scored here instead
            self._close()

    def wait(self) -> None:
        """Collect the scored pairs now (``result`` then hands them over), the workers ended."""
        self._scored = self._collected()

    def result(self) -> Pairs:
        """The scored pairs, most alike first (``_candidate_pairs``); not kept here after."""
        scored, self._scored = self._scored, None
        return scored if scored is not None else self._collected()

    def _collected(self) -> Pairs:
        blocking, self._blocking = self._blocking, None  # let go of once the pairs are in
        if self._pool is None:
            return _candidate_pairs(blocking or self._profiles)
        scored = Pairs()
        try:
            for part in self._parts:
                scored.extend(part.result())
        except Exception:  # noqa: BLE001 - a worker's failure: scored here (a bug shows here)
            return _candidate_pairs(blocking or self._profiles)
        finally:
            self._close()
        return _most_alike_first(scored)

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _summed(first: _Vector, second: _Vector) -> dict[str, float]:
    """The sum of two components' vectors: the larger one, with the smaller added into it.
    A component's vector is an article's profile until the component first grows, then a
    dict of its own, safe to add into."""
    big, small = (second, first) if _size(second) > _size(first) else (first, second)
    total = big if isinstance(big, dict) else big.vector()
    # ``total[term] = total.get(term, 0.0) + weight`` for each of the smaller one's terms in
    # its order (a term new to the sum goes last), done in C.
    terms, weights = _columns(small)
    total.update(zip(terms, map(add, map(total.get, terms, repeat(0.0)), weights), strict=True))
    return total


class _Components:
    """Disjoint sets of articles whose components keep the sum of their members' unit
    vectors, so that the mean similarity over every pair across two components is one dot
    product."""

    def __init__(self, profiles: Sequence[ArticleProfile]) -> None:
        # The lower index stays the root, so that numbering never depends on merge order.
        self.sets = DisjointSets(range(len(profiles)))
        self.size = [1] * len(profiles)
        # An article's profile stands for its component's vector until the component grows.
        self.sums: list[_Vector] = list(profiles)
        # Stories set in different countries are different events, however alike the copy.
        # An article's own set stands for its component until the component grows.
        self.countries: list[frozenset[str]] = [p.countries for p in profiles]
        # Two stories found apart (their roots, the lower first): the dot product of their
        # sums then, and their sizes (``_still_apart``).
        self.apart: dict[tuple[int, int], tuple[float, int, int]] = {}

    def holds(self, ri: int, rj: int, score: float) -> bool:
        """Whether the mean similarity over every pair across the two stories is high enough.
        ``score``: the candidate pair's, which is that mean when both stories are the pair's
        own two articles (the same dot product, already made)."""
        pairs = self.size[ri] * self.size[rj]
        here, there = self.countries[ri], self.countries[rj]
        if here and there and here.isdisjoint(there):
            return False
        if pairs == 1:
            return score >= LINK
        key = (ri, rj) if ri < rj else (rj, ri)
        if self._still_apart(key):
            return False
        dot = _dot(self.sums[ri], self.sums[rj])
        if dot / pairs < LINK:
            self.apart[key] = (dot, self.size[key[0]], self.size[key[1]])
            return False
        return True

    def _still_apart(self, key: tuple[int, int]) -> bool:
        """Whether two stories found apart before (``key``: their roots) are apart still,
        whatever they have taken in since, without the dot product of their sums: a large
        story grows an article at a time, and each would otherwise compare it again with
        every story it was found apart from (at 100,000 articles, a third of grouping).

        A root's story only grows. Each article it takes in is a unit vector of
        non-negative weights, whose dot product with a story of ``n`` articles is at most
        ``n``: so after stories of ``a`` and ``b`` articles, whose sums' dot product was
        ``dot``, have taken in ``k`` and ``m`` more, their sums' dot product is at most
        ``dot + k * b + m * a + k * m``. Below ``LINK`` (with a margin far wider than
        rounding), the mean is too: the answer the dot product would give."""
        found = self.apart.get(key)
        if found is None:
            return False
        dot, a, b = found
        k, m = self.size[key[0]] - a, self.size[key[1]] - b
        most = (dot + k * b + m * a + k * m) / ((a + k) * (b + m))
        return most < LINK * (1 - 1e-9)

    def try_union(self, i: int, j: int, score: float) -> bool | None:
        """Join the stories of ``i`` and ``j`` (a candidate pair, ``score`` its similarity)
        when the link holds: True joined, False refused (for now: they may hold once grown),
        None one story already (for good)."""
        ri, rj = self.sets.find(i), self.sets.find(j)
        if ri == rj:
            return None
        if not self.holds(ri, rj, score):
            return False
        joined = self.sets.union(ri, rj)
        assert joined is not None  # ri != rj
        root, child = joined
        self.sums[root] = _summed(self.sums[ri], self.sums[rj])
        self.sums[child] = {}
        self.size[root] += self.size[child]
        self.countries[root] = self.countries[ri] | self.countries[rj]
        self.countries[child] = frozenset()
        return True


def headline(article: Article) -> str | None:
    """The article's title when it reads as a headline: not a dateline ("ISTANBUL",
    "MALATYA, Türkiye"), not a label of a word or two, not a photo caption, not a paragraph."""
    title = " ".join((article.title or "").split())
    n_words = len(words(title))
    if not MIN_TITLE_WORDS <= n_words <= MAX_TITLE_WORDS or title.isupper():
        return None
    captions = (article.slice(x) for x in article.excluded if x.kind == "caption")
    if any(title == " ".join(caption.split()) for caption in captions):
        return None
    return title


def _title(members: list[int], profiles: Sequence[ArticleProfile]) -> str:
    """The best headline of the story's articles: the one whose own words are most central
    to the story (closest to the centroid of its articles), else the most frequent names."""
    centroid: dict[str, float] = {}
    for i in members:
        # ``centroid[term] = centroid.get(term, 0.0) + weight`` for each of the article's
        # (distinct) terms in its order, done in C: the same sums, the same key order.
        own, weights = profiles[i].terms, profiles[i].weights
        sums = map(add, map(centroid.get, own, repeat(0.0)), weights)
        centroid.update(zip(own, sums, strict=True))
    headlines = {i: h for i in members if (h := profiles[i].headline)}
    if headlines:

        def central(i: int) -> tuple[float, int]:
            terms = set(content_words_of(words(headlines[i])))
            score = sum(
                centroid.get(t, 0.0) + centroid.get(NAME_PREFIX + t, 0.0) for t in terms
            ) / math.sqrt(len(terms) or 1)
            return (score, -i)

        return headlines[max(headlines, key=central)].rstrip(".")
    runs: Counter[str] = Counter()
    for i in members:
        runs.update(profiles[i].run_bag())
    top = sorted(runs.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:3]
    if top:
        return " / ".join(run for run, _ in top)
    terms: Counter[str] = Counter()
    for i in members:
        terms.update(profiles[i].word_bag())
    return " / ".join(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def same_copies(
    articles: Sequence[Article], profiles: Sequence[ArticleProfile] | None = None
) -> dict[str, str]:
    """Articles that republish another's copy (a wire story run by several outlets): most of
    the shorter one's word 5-grams stand in the other. Each maps to the first article of its
    copy, in input order, so the copy is counted once. ``profiles``: one per article, when
    the caller has them."""
    if profiles is None:
        profiles = [profile(a) for a in articles]
    postings: dict[int, list[int]] = {}
    copies: dict[str, str] = {}
    for i, p in enumerate(profiles):
        sample = p.shingles
        found = map(postings.get, sample, repeat(()))
        shared: Counter[int] = Counter(chain.from_iterable(found))
        for j, n in sorted(shared.items()):
            smaller = min(len(sample), len(profiles[j].shingles))
            if smaller >= MIN_SHINGLES and n / smaller >= SAME_COPY:
                copies[articles[i].id] = copies.get(articles[j].id, articles[j].id)
                break
        for code in sample:
            postings.setdefault(code, []).append(i)
    return copies


def group(
    profiles: Sequence[ArticleProfile], scoring: PairScoring | None = None
) -> list[list[int]]:
    """Article indices grouped into stories, ordered by size (largest first), then by first
    appearance. ``scoring``: the profiles' pairs, when their scoring was started earlier."""
    pairs = (scoring or PairScoring(profiles)).result()
    components = _Components(profiles)
    for _ in range(PASSES):
        # A pair refused while its stories were small may hold once they have grown; a pair
        # within one story stays so, and is not looked at again.
        joined = False
        refused = Pairs()
        for score, i, j in pairs:
            outcome = components.try_union(i, j, score)
            if outcome is False:
                refused.add(score, i, j)
            joined = joined or outcome is True
        pairs = refused
        if not joined:
            break
    return sorted(components.sets.groups().values(), key=lambda g: (-len(g), g[0]))


def _story_words(members: list[int], profiles: Sequence[ArticleProfile]) -> Counter[str]:
    """The content words of the members' body sentences and their counts: what
    ``Counter.update`` with each member's ``word_bag`` in turn makes (a word new to the story
    goes last), added in C."""
    story_words: Counter[str] = Counter()
    for i in members:
        words, counts = profiles[i].words, profiles[i].word_counts
        pairs = zip(words, map(add, map(story_words.get, words, repeat(0)), counts), strict=True)
        dict.update(story_words, pairs)
    return story_words


def story_groups(profiles: Sequence[ArticleProfile]) -> Iterator[StoryGroup]:
    """Stories as positions in ``profiles`` (one per article), ordered by size (largest
    first), then first appearance. Each story's title and words are made when it is
    reached, so that only the story at hand holds its words."""
    for number, members in enumerate(group(profiles), start=1):
        yield story_group(number, members, profiles)


def story_group(number: int, members: list[int], profiles: Sequence[ArticleProfile]) -> StoryGroup:
    """The ``number``-th story (from 1), of the articles at ``members`` in ``profiles``."""
    return StoryGroup(
        id=f"S{number}",
        title=_title(members, profiles) or f"Story {number}",
        members=members,
        words=_story_words(members, profiles),
    )


def group_stories(
    articles: Sequence[Article], profiles: Sequence[ArticleProfile] | None = None
) -> list[StoryArticles]:
    """Articles grouped into stories, ordered by size (largest first), then first appearance.
    ``profiles``: each article's ``profile``, in the same order, when the caller has them
    (computed where the articles were extracted, say); else they are computed here."""
    profiles = checked_profiles(articles, profiles)
    stories = []
    for story in story_groups(profiles):
        own = [articles[i] for i in story.members]
        stories.append(
            StoryArticles(
                id=story.id,
                title=story.title,
                articles=own,
                words=story.words,
                copies=same_copies(own, [profiles[i] for i in story.members]),
            )
        )
    return stories


def checked_profiles(
    articles: Sequence[Article], profiles: Sequence[ArticleProfile] | None
) -> Sequence[ArticleProfile]:
    """``profiles`` when there is one per article, else (None) each article's ``profile``."""
    if profiles is None:
        return [profile(article) for article in articles]
    if len(profiles) != len(articles):
        raise InternalError(
            f"{len(profiles)} story profiles given for {len(articles)} articles; give one "
            "per article, in the same order (please report this)"
        )
    return profiles
