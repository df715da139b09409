"""Word lists the rules backend reads. General newsroom English, never tied to one story."""

from __future__ import annotations

from functools import lru_cache

from ...aliases import ALIASES as ALIASES  # merge needs it too; it lives below both

# Verbs that introduce speech or a reported claim, in the forms news copy uses.
SPEECH_VERBS = frozenset(
    """said says say saying told tells telling added adds adding stated states stating
    stressed stresses stressing noted notes noting warned warns warning argued argues arguing
    asserted asserts asserting wrote writes writing posted posts tweeted pledged pledges
    vowed vows vowing outlined outlines suggested suggests suggesting framed frames framing
    called calls calling described describes describing insisted insists insisting claimed
    claims claiming explained explains explaining urged urges urging condemned condemns
    condemning declared declares declaring announced announces announcing emphasized
    emphasised emphasizes emphasises emphasizing emphasising acknowledged acknowledges
    cautioned cautions cautioning echoed echoes replied replies responded responds continued
    confirmed confirms confirming reported reports reporting indicated indicates
    announced remarked observed commented conceded admitted denied denies recalled
    predicted promised promises threatened threatens accused accuses blamed blames
    signaled signalled signals reiterated reaffirmed affirmed maintained contended
    highlighted underscored answered testified mentioned explained alleged fumed quipped
    snapped shouted cried sobbed whispered texted conceded countered retorted joked mused
    pleaded boasted lamented complained proclaimed asked asks wondered branded labelled
    labeled dubbed termed wrote insisted recounted recalls added spoke speaks underlined
    underlines underscore underscores denounced denounces slammed slams blasted blasts
    hailed hails praised praises criticized criticised criticizes criticises decried decries
    derided derides lambasted lambastes ridiculed mocked ruled chanted chanting chant chants
    sang singing dismissed dismisses rejected rejects""".split()
)

# Base forms after "did" / "does" ("X did confirm that ..."): the same verbs, emphatic.
SPEECH_BASE_FORMS = frozenset(
    """say tell add state stress note warn argue assert write post tweet pledge vow suggest
    call describe insist claim explain urge condemn declare announce emphasize emphasise
    acknowledge caution echo reply respond confirm indicate admit deny concede predict
    promise threaten accuse blame signal reiterate affirm maintain highlight underscore
    underline answer mention allege ask""".split()
)

# Nouns for someone else's claim: a quote after "denied claims that" is the claim's words,
# not the denier's.
CLAIM_NOUNS = frozenset(
    """claim claims report reports suggestion suggestions allegation allegations accusation
    accusations charge charges rumour rumours rumor rumors assertion assertions""".split()
)

# Verbs after which a speaker takes a position (stances).
STANCE_VERBS = frozenset(
    """vowed vows pledged pledges promised promises warned warns urged urges called calls
    demanded demands condemned condemns rejected rejects opposed opposes supported supports
    backed backs welcomed welcomes endorsed endorses criticized criticised criticizes
    criticises denounced denounces insisted insists argued argues stressed stresses
    emphasized emphasised emphasizes emphasises threatened threatens committed commits
    reaffirmed reaffirms reiterated reiterates signaled signalled signals""".split()
)

PRONOUNS = frozenset({"he", "she"})

# Words before a name that give a person's office; removed from the name, kept as the role.
TITLE_WORDS = frozenset(
    """president vice prime minister foreign interior defense defence secretary envoy special
    ambassador spokesperson spokesman spokeswoman sgt sgt. sergeant gen gen. general col col.
    colonel lt lt. lieutenant capt capt. captain maj maj. major adm adm. admiral commander
    chief director dr dr. mr mr. mrs mrs. ms ms. sen sen. senator rep rep. representative gov
    gov. governor mayor king queen prince princess sheikh emir pope chancellor premier
    interim acting former deputy assistant state war general attorney justice judge editor
    editor-in-chief founder chairman chairwoman chair ceo head leader officer official
    analyst expert professor prof prof. pastor imam rabbi cardinal bishop crown ombudsman
    commissioner inspector superintendent sheriff detective headman spokeswoman mp mep msp mla
    mpp mk councillor councilor alderman""".split()
)

# A mention containing one of these is an organisation, not a person.
ORG_WORDS = frozenset(
    """ministry department command council office agency network coalition group forces
    force army navy military observatory news house guard committee commission union party
    university institute center centre foundation organization organisation company
    corporation bank court parliament congress senate government administration authority
    authorities police service services bureau tv radio times post journal magazine
    press reuters association federation alliance front brigade brigades battalion
    movement operation operations mission embassy consulate assembly cabinet board fund
    program programme hospital school crossing highway square act agency society rights
    watch crescent cross monitor chamber institute academy chiefs""".split()
)

# Descriptions that stand for a person already named: "the envoy", "the ministry spokesperson".
ROLE_NOUNS = frozenset(
    """envoy ambassador president minister spokesperson spokesman spokeswoman secretary
    official officer commander general chief director analyst expert leader senator
    governor mayor premier chancellor king prince editor founder diplomat negotiator
    lawmaker prosecutor judge ombudsman commissioner sheriff headman inspector
    superintendent student teacher resident activist protester witness survivor farmer
    doctor nurse engineer lawyer retiree shopkeeper driver worker journalist researcher
    economist historian scientist professor coach priest volunteer organizer organiser
    candidate voter owner father mother son daughter brother sister neighbour neighbor""".split()
)

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
VAGUE_COUNTS = frozenset(
    """several multiple many dozens scores hundreds thousands numerous some few more
    other others""".split()
)

# Demonyms and country names to one nationality label.
NATIONALITIES = {
    "us": "US",
    "u.s": "US",
    "u.s.": "US",
    "usa": "US",
    "american": "US",
    "americans": "US",
    "united states": "US",
    "uk": "British",
    "u.k.": "British",
    "british": "British",
    "briton": "British",
    "britons": "British",
}
# Demonyms as used for people ("Syrian", "Syrians"); a closed list, because a pattern such as
# "-an" also matches given names (Brian, Ghassan).
DEMONYMS = frozenset(
    """afghan albanian algerian angolan argentine argentinian armenian australian austrian
    azerbaijani bahraini bangladeshi belarusian belgian bolivian bosnian brazilian bulgarian
    burmese cambodian cameroonian canadian chadian chilean chinese colombian congolese
    croatian cuban cypriot czech danish dutch ecuadorian egyptian emirati eritrean estonian
    ethiopian filipino finnish french georgian german ghanaian greek guatemalan haitian
    honduran hungarian indian indonesian iranian iraqi irish israeli italian ivorian
    jamaican japanese jordanian kazakh kenyan korean kosovar kurdish kuwaiti kyrgyz lebanese
    libyan lithuanian malaysian malian mauritanian mexican moldovan mongolian moroccan
    mozambican nepali nigerian nigerien norwegian omani pakistani palestinian panamanian
    peruvian polish portuguese qatari romanian russian rwandan saudi senegalese serbian
    slovak slovenian somali sudanese spanish swedish swiss syrian taiwanese tajik tanzanian
    thai tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese
    yemeni zambian zimbabwean european african asian arab yazidi druze alawite houthi""".split()
)


@lru_cache(maxsize=4096)
def nationality(word: str) -> str | None:
    """'American' -> 'US', 'Syrians' -> 'Syrian', 'Israeli' -> 'Israeli'; None otherwise.
    Asked of the first words of every name, over and over: answers are kept."""
    key = word.casefold()
    key = key.rstrip(".") if key.count(".") <= 1 else key
    if key in NATIONALITIES:
        return NATIONALITIES[key]
    if key + "." in NATIONALITIES:
        return NATIONALITIES[key + "."]
    singular = key[:-1] if key.endswith("s") and key[:-1] in DEMONYMS else key
    if singular in DEMONYMS:
        return singular[:1].upper() + singular[1:]
    return None


# Words that multiply the number before them: "two hundred", "1.5 million".
NUMBER_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Counts written as fixed phrases, with their value (None: a count with no number).
COUNT_PHRASES: dict[tuple[str, ...], int | None] = {
    ("no", "one"): 0,
    ("no",): 0,
    ("nobody",): 0,
    ("none",): 0,
    ("a", "few"): None,
    ("a", "handful"): None,
    ("a", "number"): None,
    ("an", "few"): None,
    ("an", "handful"): None,
    ("an", "number"): None,
    ("half", "a", "dozen"): 6,
    ("tens", "of", "thousands"): None,
    ("tens", "of", "millions"): None,
}

# Hedges and bounds written before a count: "at least 12", "more than 100", "some 40".
COUNT_QUALIFIERS = frozenset(
    {
        "at least",
        "at most",
        "more than",
        "less than",
        "fewer than",
        "over",
        "nearly",
        "almost",
        "about",
        "around",
        "roughly",
        "approximately",
        "some",
        "up to",
        "as many as",
        "an estimated",
        "close to",
        "upwards of",
        "a total of",
        "all",
        "just over",
        "just under",
        "well over",
        "only",
        "exactly",
        "a further",
        "another",
    }
)

# Verbs that credit a report to its source ("X said", "X reported that"). Narrower than
# SPEECH_VERBS: "described" or "called" characterise rather than report, and "reports",
# "claims" or "states" are as often plural nouns ("Media reports indicated ...").
REPORTING_VERBS = frozenset(
    """said says told tells reported indicated indicates confirmed announced stated added
    estimated counted recorded documented tallied insisted insists maintained maintains
    claimed say insist maintain""".split()
)

# Verbs by which a source gives a toll: "the ministry put the death toll at 38", "officials gave
# a lower toll of 38", "ERA raised the toll to 37".
TOLL_VERBS = frozenset(
    """put puts putting gave give gives giving given set sets setting raised raises raising
    revised revises revising lowered lowers lowering updated updates updating estimated
    estimates estimating""".split()
)

# Portfolios and domains an office governs ("Minister of Health", "Labour Minister"): before a
# name they belong to the role, never to the name ("Minister of Employment and Labour X Y").
PORTFOLIO_WORDS = frozenset(
    """health labour labor justice finance defence defense employment workforce development
    affairs foreign home interior trade transport transportation education environment
    agriculture immigration citizenship refugees energy housing safety security homeland
    public services procurement accessibility infrastructure economy economic culture
    heritage tourism fisheries oceans innovation science industry treasury revenue indigenous
    veterans women youth sport sports communications digital technology mines resources
    natural intergovernmental international external internal national regional rural urban
    municipal social welfare pensions work works planning climate water forests forestry
    family families children seniors tax taxation budget commerce investment exports
    information media arts relations northern emergency emergencies preparedness""".split()
)

# News outlets: they relay words, they never speak them ("..., the network reported", "told the
# paper"). Names of outlets that carry no outlet word, and words that make a name an outlet.
OUTLET_NAMES = frozenset(
    """ap afp reuters bloomberg upi dpa ansa efe xinhua kcna yonhap tass ria interfax anadolu
    cbs nbc abc cnn bbc cbc ctv msnbc fox pbs npr sky itv rte nhk kyodo aljazeera jazeera
    politico axios vox buzzfeed huffpost breitbart""".split()
)
OUTLET_WORDS = frozenset(
    """newspaper newspapers paper daily tabloid broadcaster broadcasters outlet affiliate
    times journal tribune herald gazette telegraph chronicle inquirer examiner courier
    dispatch newsweek magazine network station channel website""".split()
)
# Words a document goes by: "the declaration says", "according to the report". A document is
# not a person, and the words it contains are nobody's remark unless the text says whose.
DOCUMENT_NOUNS = frozenset(
    """document documents declaration statement release report letter text draft agreement
    bill law ruling judgment judgement decision memo memorandum communique communiqué
    resolution treaty accord deal plan proposal charter constitution notice order warrant
    filing lawsuit complaint affidavit indictment transcript survey study poll motion
    manifesto announcement post tweet message email notes note minutes""".split()
)
# Sources the copy leaves unnamed: "a senior source", "officials". A definite one ("the source
# said") is the one introduced before, kept as written; never guessed to be a named person.
UNNAMED_SOURCE_NOUNS = frozenset(
    """source sources official officials insider insiders aide aides diplomat diplomats
    spokesperson spokesman spokeswoman representative representatives person people""".split()
)
# Capitals that stand for their country's government when they speak ("Pyongyang said").
CAPITALS = {
    "washington": "US",
    "moscow": "Russian",
    "beijing": "Chinese",
    "pyongyang": "North Korean",
    "seoul": "South Korean",
    "tokyo": "Japanese",
    "tehran": "Iranian",
    "damascus": "Syrian",
    "baghdad": "Iraqi",
    "ankara": "Turkish",
    "riyadh": "Saudi",
    "kyiv": "Ukrainian",
    "kiev": "Ukrainian",
    "london": "British",
    "paris": "French",
    "berlin": "German",
    "madrid": "Spanish",
    "rome": "Italian",
    "ottawa": "Canadian",
    "canberra": "Australian",
    "new delhi": "Indian",
    "islamabad": "Pakistani",
    "kabul": "Afghan",
    "cairo": "Egyptian",
    "havana": "Cuban",
    "caracas": "Venezuelan",
    "brasilia": "Brazilian",
    "taipei": "Taiwanese",
    "hanoi": "Vietnamese",
    "doha": "Qatari",
    "amman": "Jordanian",
    "beirut": "Lebanese",
    "warsaw": "Polish",
    "budapest": "Hungarian",
    "athens": "Greek",
    "minsk": "Belarusian",
    # The other capitals, but those that are as often a person's or another place's name
    # ("Victoria", "Kingston", "Georgetown", "Santiago", "Lima", "Sofia", "Wellington",
    # "Male", "Colombo", "Sucre", "San Jose") and those named as their country is ("Kuwait",
    # "Singapore", "Monaco", "Luxembourg", "Djibouti").
    "dublin": "Irish",
    "amsterdam": "Dutch",
    "the hague": "Dutch",
    "brussels": "Belgian",
    "vienna": "Austrian",
    "prague": "Czech",
    "bratislava": "Slovak",
    "ljubljana": "Slovenian",
    "zagreb": "Croatian",
    "belgrade": "Serbian",
    "sarajevo": "Bosnian",
    "podgorica": "Montenegrin",
    "skopje": "Macedonian",
    "tirana": "Albanian",
    "pristina": "Kosovar",
    "bucharest": "Romanian",
    "chisinau": "Moldovan",
    "vilnius": "Lithuanian",
    "riga": "Latvian",
    "tallinn": "Estonian",
    "helsinki": "Finnish",
    "stockholm": "Swedish",
    "oslo": "Norwegian",
    "copenhagen": "Danish",
    "reykjavik": "Icelandic",
    "lisbon": "Portuguese",
    "bern": "Swiss",
    "valletta": "Maltese",
    "nicosia": "Cypriot",
    "tbilisi": "Georgian",
    "yerevan": "Armenian",
    "baku": "Azerbaijani",
    "astana": "Kazakh",
    "tashkent": "Uzbek",
    "bishkek": "Kyrgyz",
    "dushanbe": "Tajik",
    "ashgabat": "Turkmen",
    "ulaanbaatar": "Mongolian",
    "ulan bator": "Mongolian",
    "kathmandu": "Nepali",
    "thimphu": "Bhutanese",
    "dhaka": "Bangladeshi",
    "naypyidaw": "Myanmar",
    "bangkok": "Thai",
    "vientiane": "Lao",
    "phnom penh": "Cambodian",
    "kuala lumpur": "Malaysian",
    "jakarta": "Indonesian",
    "manila": "Filipino",
    "dili": "Timorese",
    "port moresby": "Papua New Guinean",
    "suva": "Fijian",
    "muscat": "Omani",
    "abu dhabi": "Emirati",
    "manama": "Bahraini",
    "sanaa": "Yemeni",
    "khartoum": "Sudanese",
    "juba": "South Sudanese",
    "addis ababa": "Ethiopian",
    "asmara": "Eritrean",
    "mogadishu": "Somali",
    "nairobi": "Kenyan",
    "kampala": "Ugandan",
    "kigali": "Rwandan",
    "gitega": "Burundian",
    "dodoma": "Tanzanian",
    "lusaka": "Zambian",
    "lilongwe": "Malawian",
    "harare": "Zimbabwean",
    "maputo": "Mozambican",
    "gaborone": "Botswanan",
    "windhoek": "Namibian",
    "pretoria": "South African",
    "maseru": "Basotho",
    "mbabane": "Swazi",
    "antananarivo": "Malagasy",
    "port louis": "Mauritian",
    "luanda": "Angolan",
    "kinshasa": "Congolese",
    "brazzaville": "Congolese",
    "libreville": "Gabonese",
    "yaounde": "Cameroonian",
    "yaoundé": "Cameroonian",
    "malabo": "Equatorial Guinean",
    "bangui": "Central African",
    "n'djamena": "Chadian",
    "abuja": "Nigerian",
    "niamey": "Nigerien",
    "ouagadougou": "Burkinabe",
    "bamako": "Malian",
    "dakar": "Senegalese",
    "banjul": "Gambian",
    "bissau": "Guinea-Bissauan",
    "conakry": "Guinean",
    "freetown": "Sierra Leonean",
    "monrovia": "Liberian",
    "yamoussoukro": "Ivorian",
    "accra": "Ghanaian",
    "lome": "Togolese",
    "lomé": "Togolese",
    "porto-novo": "Beninese",
    "nouakchott": "Mauritanian",
    "rabat": "Moroccan",
    "algiers": "Algerian",
    "tunis": "Tunisian",
    "tripoli": "Libyan",
    "bogota": "Colombian",
    "bogotá": "Colombian",
    "quito": "Ecuadorian",
    "la paz": "Bolivian",
    "asuncion": "Paraguayan",
    "asunción": "Paraguayan",
    "montevideo": "Uruguayan",
    "buenos aires": "Argentine",
    "managua": "Nicaraguan",
    "tegucigalpa": "Honduran",
    "san salvador": "Salvadoran",
    "guatemala city": "Guatemalan",
    "mexico city": "Mexican",
    "panama city": "Panamanian",
    "santo domingo": "Dominican",
    "port-au-prince": "Haitian",
    "kuwait city": "Kuwaiti",
}
# Seats that stand for a government or an office when they speak ("the Kremlin said").
GOVERNMENT_SEATS = frozenset(
    """kremlin pentagon elysee élysée quirinale vatican zhongnanhai""".split()
) | frozenset({"white house", "downing street", "blue house", "number 10", "no 10"})

# Countries whose demonym is not regular ("Britain" -> "British").
COUNTRY_DEMONYMS = {
    "britain": "British",
    "great britain": "British",
    "united kingdom": "British",
    "uk": "British",
    "u.k.": "British",
    "united states": "US",
    "us": "US",
    "u.s.": "US",
    "america": "US",
    "china": "Chinese",
    "japan": "Japanese",
    "france": "French",
    "spain": "Spanish",
    "turkey": "Turkish",
    "netherlands": "Dutch",
    "poland": "Polish",
    "sweden": "Swedish",
    "denmark": "Danish",
    "finland": "Finnish",
    "ireland": "Irish",
    "switzerland": "Swiss",
    "greece": "Greek",
    "iraq": "Iraqi",
    "israel": "Israeli",
    "pakistan": "Pakistani",
    "bangladesh": "Bangladeshi",
    "yemen": "Yemeni",
    "qatar": "Qatari",
    "kuwait": "Kuwaiti",
    "oman": "Omani",
    "bahrain": "Bahraini",
    "saudi arabia": "Saudi",
    "afghanistan": "Afghan",
    "vietnam": "Vietnamese",
    "lebanon": "Lebanese",
    "sudan": "Sudanese",
    "portugal": "Portuguese",
    "philippines": "Filipino",
    "thailand": "Thai",
    "germany": "German",
    "mexico": "Mexican",
    "peru": "Peruvian",
    "chile": "Chilean",
    "cuba": "Cuban",
    "egypt": "Egyptian",
}


def country_demonym(name: str) -> str | None:
    """The demonym of a country name: "North Korea" -> "North Korean", "Syria" -> "Syrian";
    None when ``name`` is not a country this list or the demonym list can tell."""
    words = name.casefold().split()
    if not words:
        return None
    key = " ".join(words)
    if key in COUNTRY_DEMONYMS:
        return COUNTRY_DEMONYMS[key]
    prefix, last = words[:-1], words[-1]
    if prefix and prefix not in (["north"], ["south"], ["east"], ["west"], ["new"]):
        return None
    for ending in ("n", "an", "ian", "i", "ese", "ish"):
        for stem in (last, last[:-1], last[:-2]):
            if stem and stem + ending in DEMONYMS and len(stem) >= len(last) - 2:
                demonym = stem + ending
                head = " ".join(w.capitalize() for w in prefix)
                return (head + " " if head else "") + demonym.capitalize()
    return None


# Crowds that chant or shout as one: the speaker of a chant or slogan is the group, as the
# text names it ("Protesters chanted ...", "the crowd sang ...").
GROUP_NOUNS = frozenset(
    """protesters protestors demonstrators marchers crowd crowds supporters fans strikers
    mourners rioters picketers chanters""".split()
)
