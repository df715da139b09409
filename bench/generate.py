"""Generate a deterministic folder of N synthetic news articles for the scale benchmark.

    python bench/generate.py 1000                # writes to a new temp dir, prints its path
    python bench/generate.py 1000 --out /tmp/x   # or to a folder of your choice
    python bench/generate.py 1000 --seed 7

The articles report N/20 distinct events, each covered by a varying number of outlets (a few
big stories, many small ones), so story grouping, quote matching and casualty tables all have
real work:

- about 20% of the events are the five seed articles of ``fixtures/articles`` rewritten: every
  person, place, country, date and casualty count replaced by the event's own (names drawn from
  first and last names of many cultures); the event keeps its own share of each seed's
  paragraphs, and each outlet's copy is reordered, trimmed and reworded (synonym swaps),
  sometimes with a different wounded count (a real discrepancy);
- the others come from invented templates of eight event kinds (earthquake, ferry, derailment,
  factory fire, flood, protest, mine collapse, ambush): the event fixes its places, officials,
  counts, its own wording of the kind (a textile plant or a chemical warehouse) and its quotes
  (sentences drawn from a pool, shuffled), and each outlet picks its own headline, paragraph
  order, attribution style, hedges ("at least"), partial quotes and swapped words;
- every event has its own villages, hospital, roads, residents and officials, and its own
  sentences about them and about the response, which its outlets share out.

Articles average about 2 KB of text (the seeds are 2 to 13 KB).

Most files are .txt; some are .json (title, outlet, published) and some .md. Output is a pure
function of (N, seed): the same call writes byte-identical files. No two articles are equal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
ARTICLES_PER_STORY = 20

# --- vocabularies ----------------------------------------------------------------------------

FIRST_NAMES = """Amina Mohammed Wei Priya Chukwuemeka Sofia Dmitri Yuki Aylin Mateus Fatima Kwame
Ingrid Rahul Mei Oluwaseun Carlos Nadia Hiroshi Leila Tomasz Thanh Ji-ho Zainab Pablo Anika
Kofi Elena Arjun Siobhan Ramón Aiko Mustafa Nkechi Lars Farida Diego Svetlana Tariq Ngozi Hamid
Ana Bongani Chen Isabela Omar Katarzyna Rashid Malia Kenji Emeka Leilani Yusuf Gulnara Abebe
Marisol Ravi Astrid Hyun-woo Adaeze Beatriz Joaquín Oksana Sipho Naledi Tuan Esra Kaveh Alejandra
Makoa Aroha Bjorn Lucía Hassan Marta Juma Wanjiru Sung-min Paulo Yerlan Aigerim Dawit Selin Mehmet
Ifeoma Niamh Rohan Tenzin Xochitl Mateo Giulia Anders Haruto Amara Kaito Zofia Ibrahim
Laila""".split()

LAST_NAMES = """Okafor Haddad Zhang Sharma Kowalski Nakamura Yilmaz Oliveira Mensah Petrov Nguyen
Al-Masri Fernández Mwangi Lindqvist Kim Abubakar Rossi Tanaka Hosseini Papadopoulos Adeyemi
Morales Ivanova Chowdhury Bakr Novak Osei Kaur Dubois Mahmoud Suzuki Eze Jansen Gonzaga Rahman
Park Wójcik Boateng Castillo Hashemi Mbeki Sato Demir Alvarez Chaudhry Kiplagat Lindgren Okonkwo
Farouk Takahashi Banda Quispe Horvat Ncube Reyes Ahmadi Tembo Moreau Salazar al-Tamimi Kuznetsov
Wanjiku Haile Öztürk Bianchi Mkhize Tran Choi Ferreira Nwosu Kapoor Sokolova Ramírez Idowu
Karimi Njoroge Lopes Vargas Halvorsen Achebe Mutua Zhou Andersson Yamamoto Bello Gutiérrez Nair
Jovanović Asante Rezaei Cruz Hakimi Mendoza Pham Kariuki Ortega Soto Aziz Delgado""".split()

# Invented towns (prefix + suffix), real countries with their demonyms and capitals.
TOWN_PREFIXES = """Kar Bel Mon Tas Vel Or Nov Ash Kel Mar Zan Lu Dor Sel Bran Hal Mir Tor Vas Quin
Ros Ulm Fen Gar Lind Sab Tek Ov""".split()
TOWN_SUFFIXES = """ovo ara ington abad pur dorf ville ka iya ston enza ova ak heim grad mouth
lia oro wick ane""".split()
COUNTRIES = [
    ("Peru", "Peruvian", "Lima"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("Turkey", "Turkish", "Ankara"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Chile", "Chilean", "Santiago"),
    ("Bangladesh", "Bangladeshi", "Dhaka"),
    ("Philippines", "Philippine", "Manila"),
    ("Mozambique", "Mozambican", "Maputo"),
    ("Georgia", "Georgian", "Tbilisi"),
    ("Colombia", "Colombian", "Bogotá"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Romania", "Romanian", "Bucharest"),
    ("Vietnam", "Vietnamese", "Hanoi"),
    ("Morocco", "Moroccan", "Rabat"),
    ("Ecuador", "Ecuadorian", "Quito"),
    ("Nepal", "Nepali", "Kathmandu"),
    ("Ghana", "Ghanaian", "Accra"),
    ("Kazakhstan", "Kazakh", "Astana"),
    ("Tanzania", "Tanzanian", "Dodoma"),
    ("Mongolia", "Mongolian", "Ulaanbaatar"),
    ("Bolivia", "Bolivian", "La Paz"),
    ("Serbia", "Serbian", "Belgrade"),
]
REGION_WORDS = "Northern Eastern Upper Lower Central Western Coastal Southern".split()
OUTLETS = """Morning Ledger|Daily Courier|Harbor Tribune|Wire Service International|Evening
Standard-Post|Continental Press|The Dispatch|Valley Gazette|Global Newsroom|Capital Herald|
Frontline Weekly|The Observer Review|Metro Bulletin|Regional Times|Pan-African Wire|
Andean Monitor|Asia Desk|Balkan Report|Steppe Daily|Atlantic Chronicle""".replace("\n", " ")
OUTLETS_LIST = [o.strip() for o in OUTLETS.split("|")]
MONTHS = """January February March April May June July August September October November
December""".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
NUMBER_WORDS = """zero one two three four five six seven eight nine ten eleven twelve""".split()

# Swapped per outlet, inside quotes and out: the same statement worded a little differently.
SYNONYMS = {
    "deadly": "lethal",
    "strategy": "approach",
    "threat": "danger",
    "cooperation": "collaboration",
    "ancient": "historic",
    "vowed": "pledged",
    "continued": "ongoing",
    "pressure": "strain",
    "quickly": "rapidly",
    "families": "relatives",
    "everything": "all",
    "help": "assist",
    "reach": "get to",
    "rebuild": "restore",
    "investigation": "inquiry",
    "responsible": "accountable",
    "difficult": "hard",
    "terrible": "awful",
    "tragedy": "disaster",
    "area": "zone",
    "homes": "houses",
    "support": "backing",
    "urgent": "pressing",
    "important": "vital",
    "believe": "think",
    "begin": "start",
    "children": "kids",
}

# Words of the invented kinds that each event says its own way (an event picks one variant of
# each for all its outlets): two fires are in different buildings, two floods on other rivers.
EVENT_VARIANTS = {
    "earthquake": ["earthquake", "quake", "tremor", "seismic shock"],
    "rubble": ["rubble", "debris", "wreckage", "collapsed masonry"],
    "rescue": ["rescue", "relief", "recovery", "emergency"],
    "ferry": ["ferry", "passenger boat", "launch", "riverboat", "motor vessel"],
    "coast guard": ["coast guard", "maritime police", "navy", "harbour authority"],
    "divers": ["divers", "frogmen", "navy swimmers", "salvage crews"],
    "train": ["train", "express", "commuter service", "freight-and-passenger train"],
    "carriages": ["carriages", "coaches", "wagons", "cars"],
    "track": ["track", "rails", "line", "signalling"],
    "factory": ["factory", "plant", "warehouse", "workshop", "mill"],
    "garment": ["garment", "textile", "plastics", "chemical", "furniture", "shoe"],
    "workers": ["workers", "employees", "labourers", "staff"],
    "blaze": ["blaze", "fire", "inferno", "flames"],
    "floods": ["floods", "flooding", "flash floods", "deluge"],
    "rain": ["rain", "monsoon rain", "storms", "downpours"],
    "rivers": ["rivers", "the river", "dams", "canals"],
    "protesters": ["protesters", "demonstrators", "marchers", "students"],
    "fuel prices": ["fuel prices", "bread prices", "a new tax", "power cuts", "an election result"],
    "tear gas": ["tear gas", "water cannon", "rubber bullets", "batons"],
    "mine": ["mine", "quarry", "pit", "tunnel"],
    "gold": ["gold", "coal", "copper", "jade", "tin"],
    "miners": ["miners", "diggers", "workers", "prospectors"],
    "patrol": ["patrol", "convoy", "checkpoint", "outpost"],
    "gunmen": ["gunmen", "militants", "insurgents", "attackers"],
    "soldiers": ["soldiers", "troops", "servicemen", "police officers"],
}
_VARIANT_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(EVENT_VARIANTS, key=len, reverse=True)) + r")\b"
)

# Sentences about the event's own places and people, whatever its kind: each event fixes its
# villages, hospital, road, street, square, radio station and residents, and its outlets pick
# among its sentences, so the words that tell one event from another are many, as in real copy.
LOCAL_DETAILS = [
    "{village1} and {village2}, two villages east of {town}, were among the worst affected.",
    "At {hospital}, {doctor}, a doctor, said staff had worked through the night.",
    "Traffic on the {road} was diverted through {village3}.",
    "{resident}, who runs a {shop} on {street}, said {pronoun} had never seen anything like it.",
    "The {town} municipal office opened a hotline for relatives on {street}.",
    "Volunteers from {village2} brought {supply} and blankets to {square}.",
    "A vigil was planned for {weekday2} evening in {square}.",
    "{radio} broadcast the names of the missing through the afternoon.",
    "{hospital} asked residents of {village1} to donate blood.",
    "Schools in {village3} were turned into shelters, {official} said.",
    "{resident2}, a teacher from {village1}, said families were sleeping in cars near the {road}.",
    "Crews from {village2} and {village3} reached {town} by the {road} before dawn.",
    "The market on {street} stayed closed, and {supply} ran short in {village1}.",
    "{official}, who heads the {town} district council, toured {square} with police.",
    "In {village3}, {resident} said the {shop} where {pronoun} works had lost its roof.",
    "Buses carried about {n1} people from {village1} to a sports hall in {town}.",
    "Power returned to parts of {street} late on {weekday2}, the utility said.",
    "{doctor} said {hospital} had treated {n2} people by nightfall.",
    "Relatives waited outside {hospital} for news, some of them since {weekday2}.",
    "Police closed the {road} between {town} and {village2}.",
    "The football ground in {village2} became a collection point for {supply}.",
    "{resident2} said neighbours in {village3} were sharing {supply} and phone chargers.",
    "{radio} reported queues at petrol stations on the {road}.",
    "Church and mosque halls around {square} stayed open overnight.",
    "{official} promised compensation to families in {village1} and {village3}.",
    "Engineers inspected the bridge at {village2} before reopening the {road}.",
]
# What any report adds around the facts: response, aid, politics, what comes next. Each event
# takes its own few, filled with its own names.
CONTEXT = [
    "{country}'s government declared three days of national mourning.",
    "International aid agencies said they were ready to send teams to {region}.",
    "The authorities said they would publish an updated count on {weekday2}.",
    "Opposition politicians in {capital} demanded an independent inquiry into the response.",
    "Insurers put early estimates of the damage at {n3} million dollars.",
    "The president of {country} cut short a foreign trip to return to {capital}.",
    "Neighbouring governments offered condolences and help.",
    "Officials warned that the number of victims could still change as information arrived.",
    "Aid workers said access to {village3} remained difficult.",
    "A spokesperson for the national police said officers had been sent from {capital}.",
    "The local chamber of commerce said businesses around {street} would stay shut for days.",
    "Parliament in {capital} is expected to debate the response next week.",
    "Residents said warnings had come too late for many families in {village1}.",
    "The {capital} office of an international relief group said it was monitoring the situation.",
    "Several airlines offered free changes to flights into {region}.",
    "Footage shared online showed crowds gathering near {square}.",
    "The regional authority set up a fund for the families of the victims.",
    "{official} said the priority was to look after the injured and the homeless.",
    "Doctors at {hospital} appealed for more staff and supplies.",
    "Some roads around {town} remained closed on {weekday2} morning.",
]
SHOPS = "bakery|pharmacy|tea house|hardware store|tailor's shop|grocery|repair shop|bookshop"
SHOPS_LIST = SHOPS.split("|")
SUPPLIES = "water bread rice medicine tents fuel milk lamps".split()
# Each place is named in one of several ways, as in real copy: no one capitalised word
# ("Street", "Hospital") stands in every event's reports.
HOSPITAL_FORMS = [
    "{name} General Hospital",
    "St. {name}'s",
    "the {town} infirmary",
    "the {name} Memorial Clinic",
    "the {name} medical centre",
    "{town}'s main hospital",
    "the district clinic in {town}",
]
ROAD_FORMS = ["{a}–{b} highway", "{a} ring road", "old {a} road", "{a}–{b} railway bridge"]
STREET_FORMS = [
    "{name} Street",
    "{name} Road",
    "{name} Avenue",
    "{name} Lane",
    "the {name} road",
    "Boulevard {name}",
    "the market street",
]
SQUARE_FORMS = [
    "{name} Square",
    "{name} Park",
    "the main square",
    "the {name} stadium",
    "the town hall steps",
    "the central mosque",
    "the cathedral forecourt",
]
RADIO_FORMS = [
    "Radio {town}",
    "{town} FM",
    "the local radio station",
    "a community station",
    "{town} Broadcasting",
    "state radio",
]


# --- invented event kinds --------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    headlines: list[str]
    leads: list[str]
    tolls: list[str]
    details: list[str]
    background: list[str]
    quotes: list[str]
    roles: list[str]
    agencies: list[str]


KINDS = [
    Kind(
        "earthquake",
        [
            "Magnitude {mag} earthquake strikes {region}, killing {K}",
            "{Country} quake: rescuers search rubble in {town} as toll rises",
            "Strong earthquake hits {country}'s {region}, {K} dead",
            "Hundreds homeless after {town} earthquake",
        ],
        [
            "A magnitude {mag} earthquake struck near the town of {town} in {country}'s {region} "
            "early on {weekday}, flattening homes and cutting power across the area.",
            "Rescue teams in {country} worked through the night after a powerful earthquake "
            "shook {town} and nearby villages on {weekday}.",
        ],
        [
            "At least {k} people were killed and {w} injured, according to {agency}.",
            "The quake killed {k} people and injured {w} others, {agency} said.",
            "{agency_cap} put the toll at {k} dead and {w} wounded.",
        ],
        [
            "Footage on local television showed collapsed buildings in the centre of {town}.",
            "Aftershocks continued through the morning, sending residents into the streets.",
            "Several roads into {region} were blocked by landslides.",
            "Hospitals in {capital} sent doctors and supplies to the affected area.",
            "The epicentre was about {dist} kilometres north of {town}, at a depth of 10 km.",
            "Schools in the province were closed until further notice.",
        ],
        [
            "{country} sits on an active fault line and has suffered several deadly earthquakes "
            "in recent decades.",
            "Building codes were tightened after a quake in {year} but enforcement remains weak.",
        ],
        [
            "We are doing everything we can to reach the people still trapped under the rubble.",
            "Our teams will not stop until every family knows what happened.",
            "The damage in the old town is terrible and many homes cannot be saved.",
            "We need heavy machinery and we need it quickly.",
            "The government will help every household rebuild.",
            "This is the most difficult night this region has seen in a generation.",
        ],
        [
            "the regional governor",
            "the head of the civil protection agency",
            "a rescue coordinator",
            "the interior minister",
            "the mayor of {town}",
        ],
        ["the national disaster agency", "the health ministry", "the civil protection agency"],
    ),
    Kind(
        "ferry",
        [
            "Ferry capsizes off {town}, {K} dead",
            "Search continues for missing after {country} ferry sinks",
            "Overloaded ferry sinks near {town}; coast guard says {K} killed",
        ],
        [
            "A passenger ferry carrying more than {passengers} people capsized off {town} in "
            "{country} on {weekday}, the coast guard said.",
            "Divers were searching the waters off {town} after a ferry sank in rough seas on "
            "{weekday}.",
        ],
        [
            "{k} passengers drowned and {w} were taken to hospital, {agency} said.",
            "At least {k} people died and {w} were injured, according to {agency}.",
            "{agency_cap} said {k} bodies had been recovered and {w} survivors were being treated.",
        ],
        [
            "Survivors said the vessel listed sharply before turning over.",
            "The ferry was licensed to carry {cap} passengers, officials said.",
            "Fishing boats joined the rescue before navy ships arrived.",
            "Relatives gathered at the port of {town} waiting for news.",
            "The operator of the ferry did not respond to requests for comment.",
        ],
        [
            "Ferry accidents are common in {country}, where boats are often overloaded.",
            "A similar sinking in {year} killed dozens near the same coast.",
        ],
        [
            "The ferry was clearly overloaded and someone must be held responsible.",
            "We are still searching and we have not given up hope.",
            "Our divers are working in very difficult conditions.",
            "An investigation has been opened into the operator.",
            "The families deserve answers and they will get them.",
        ],
        [
            "a coast guard spokesperson",
            "the transport minister",
            "the provincial governor",
            "a navy commander",
        ],
        ["the coast guard", "the transport ministry", "local officials"],
    ),
    Kind(
        "derailment",
        [
            "Train derails near {town}, {K} killed",
            "{Country} rail crash: investigators examine track near {town}",
            "Passenger train leaves the rails in {region}",
        ],
        [
            "A passenger train travelling from {capital} derailed near {town} on {weekday}, "
            "officials said, overturning several carriages.",
            "Several carriages of an express train left the tracks outside {town} on {weekday}.",
        ],
        [
            "{k} people were killed and {w} injured, {agency} said.",
            "The derailment killed {k} passengers and injured {w}, according to {agency}.",
        ],
        [
            "Cranes were brought in to lift the overturned carriages.",
            "The line between {capital} and {town} was closed in both directions.",
            "Passengers described being thrown from their seats as the train braked.",
            "The train was carrying about {passengers} passengers.",
        ],
        [
            "The rail network in {country} has received little investment for years.",
            "Unions have warned repeatedly about the state of the track in {region}.",
        ],
        [
            "Our first thoughts are with the families of those who lost their lives.",
            "We will find out exactly what caused this derailment.",
            "The track on this section was inspected last month.",
            "Safety has been neglected on this line for far too long.",
        ],
        [
            "the transport minister",
            "the head of the national railway",
            "a union leader",
            "the regional governor",
        ],
        ["the railway operator", "the emergency services", "the interior ministry"],
    ),
    Kind(
        "fire",
        [
            "Factory fire in {town} kills {K} workers",
            "Blaze at {town} garment factory: owners questioned",
            "{Country} factory fire toll rises to {K}",
        ],
        [
            "A fire tore through a garment factory in {town} on {weekday}, trapping workers on "
            "the upper floors, the fire service said.",
            "Firefighters in {town} battled for hours to control a blaze at a textile plant.",
        ],
        [
            "The fire killed {k} workers and injured {w}, {agency} said.",
            "At least {k} people died and {w} were hurt, according to {agency}.",
        ],
        [
            "Workers said the emergency exits had been locked.",
            "Smoke could be seen across {town} for most of the afternoon.",
            "Police detained the factory's manager for questioning.",
            "The factory employed about {cap} people, most of them women.",
        ],
        [
            "Garment exports are a large share of {country}'s economy.",
            "A fire at another factory in {year} led to promises of stricter inspections.",
        ],
        [
            "The doors were locked and nobody could get out.",
            "Whoever is responsible for this will face the law.",
            "Inspections were promised years ago and nothing changed.",
            "We will support the families of every worker who died.",
        ],
        [
            "the labour minister",
            "a fire service spokesperson",
            "a union organiser",
            "the district police chief",
        ],
        ["the fire service", "police", "the labour ministry"],
    ),
    Kind(
        "flood",
        [
            "Floods sweep through {region}, {K} dead",
            "Heavy rain swamps {town}; thousands evacuated",
            "{Country} floods: army deployed as rivers burst banks",
        ],
        [
            "Days of heavy rain caused rivers to burst their banks across {country}'s {region}, "
            "flooding {town} and surrounding villages.",
            "Floodwaters rose rapidly in {town} on {weekday} after the heaviest rain in decades.",
        ],
        [
            "{agency_cap} said {k} people had died and {w} were injured.",
            "The floods have killed {k} people and injured {w}, according to {agency}.",
        ],
        [
            "Helicopters plucked residents from rooftops.",
            "More than {passengers} families were moved to temporary shelters.",
            "The main bridge into {town} was washed away.",
            "Farmers said entire harvests had been lost.",
        ],
        [
            "Scientists say extreme rainfall is becoming more frequent in the region.",
            "The last major floods in {region} were in {year}.",
        ],
        [
            "The water came so quickly that people had no time to leave.",
            "We need boats, clean water and medicine urgently.",
            "This is a national tragedy and the whole country stands with {town}.",
            "We will rebuild every bridge and every school.",
        ],
        [
            "the prime minister",
            "the regional governor",
            "an army spokesperson",
            "the head of the red cross in {country}",
        ],
        ["the disaster management authority", "the health ministry", "the army"],
    ),
    Kind(
        "protest",
        [
            "Security forces fire on protesters in {town}, {K} killed",
            "Deadly clashes in {capital} as protests over fuel prices spread",
            "{Country}: rights groups condemn crackdown on {town} protest",
        ],
        [
            "Security forces opened fire on demonstrators in {town} on {weekday} as protests "
            "over rising fuel prices spread across {country}.",
            "Thousands marched in {town} and {capital} on {weekday} against a rise in fuel prices.",
        ],
        [
            "{k} protesters were killed and {w} wounded, {agency} said.",
            "At least {k} people were killed and {w} injured, according to {agency}.",
            "Police said {k} officers were among the wounded.",
        ],
        [
            "Witnesses said police used tear gas before live rounds were fired.",
            "The government imposed a curfew in {town}.",
            "Internet access was restricted in parts of the country.",
            "Opposition leaders called for a general strike.",
        ],
        [
            "Fuel subsidies were cut last month under a loan agreement.",
            "Protests over living costs have spread to several cities since {year}.",
        ],
        [
            "The police fired on unarmed people and that is a crime.",
            "We will restore order and protect public property.",
            "The government must reverse this decision before more lives are lost.",
            "An independent investigation is the only way forward.",
        ],
        [
            "the interior minister",
            "an opposition leader",
            "a police spokesperson",
            "the head of a national rights group",
        ],
        ["a rights group", "police", "the health ministry"],
    ),
    Kind(
        "mine",
        [
            "Mine collapse traps workers near {town}",
            "{K} miners dead in {country} mine collapse",
            "Rescuers drill toward trapped miners in {region}",
        ],
        [
            "A tunnel collapsed at a gold mine near {town} on {weekday}, trapping dozens of "
            "workers underground, officials said.",
            "Rescue crews in {region} were drilling toward miners trapped after a collapse.",
        ],
        [
            "{k} miners were killed and {w} injured, {agency} said.",
            "{agency_cap} said {k} bodies had been recovered and {w} miners rescued with injuries.",
        ],
        [
            "The mine is operated under a licence granted in {year}.",
            "Families waited at the entrance of the mine through the night.",
            "Rescuers said air was being pumped into the shaft.",
            "The collapse happened about {dist} metres below the surface.",
        ],
        [
            "Informal mining has grown quickly in {country}, often without safety checks.",
            "Several mines in {region} were closed after an accident in {year}.",
        ],
        [
            "We believe some of the men are still alive and we are working to reach them.",
            "This mine should have been closed a long time ago.",
            "The company will cooperate fully with the investigation.",
            "We are asking for patience while the rescue continues.",
        ],
        [
            "the mines minister",
            "a rescue team leader",
            "a company spokesperson",
            "the district commissioner",
        ],
        ["the mines ministry", "the mining company", "local officials"],
    ),
    Kind(
        "ambush",
        [
            "Gunmen ambush patrol near {town}, {K} soldiers killed",
            "{Country} army patrol attacked in {region}",
            "Militants kill {K} in attack on {town} checkpoint",
        ],
        [
            "Gunmen attacked an army patrol near {town} in {country}'s {region} on {weekday}, "
            "the defence ministry said.",
            "Militants ambushed a joint patrol outside {town} on {weekday}.",
        ],
        [
            "{k} soldiers were killed and {w} wounded, {agency} said.",
            "The attack killed {k} soldiers and wounded {w}, according to {agency}.",
            "{agency_cap} said one attacker was killed.",
        ],
        [
            "The army said reinforcements had been sent to {town}.",
            "No group immediately claimed responsibility for the attack.",
            "The patrol was returning from a village south of {town}.",
            "Residents said the shooting lasted about an hour.",
        ],
        [
            "Armed groups have been active in {region} since {year}.",
            "The government has deployed more troops to the area this year.",
        ],
        [
            "This cowardly attack will not go unanswered.",
            "Our soldiers died protecting the people of {town}.",
            "We will hunt down those responsible wherever they hide.",
            "Security in the region remains a very serious concern.",
        ],
        ["the defence minister", "an army spokesperson", "the regional governor", "the president"],
        ["the defence ministry", "the army", "a local official"],
    ),
]

# --- events ----------------------------------------------------------------------------------


@dataclass
class Event:
    number: int
    kind: Kind | None  # None: built from the seed articles
    country: tuple[str, str, str]
    town: str
    town2: str
    region: str
    date: tuple[int, int, int]  # year, month index, day
    weekday: str
    killed: int
    wounded: int
    people: list[tuple[str, str, str]]  # (first, last, role)
    agency: str
    quotes: list[tuple[str, int]] = field(default_factory=list)  # (text, person index)
    numbers: dict[str, int] = field(default_factory=dict)
    local: dict[str, str] = field(default_factory=dict)  # the event's own places and people
    details: list[str] = field(default_factory=list)  # its LOCAL_DETAILS, filled
    context: list[str] = field(default_factory=list)  # its CONTEXT sentences, filled
    dialect: frozenset[str] = frozenset()  # SYNONYMS every outlet of the event uses
    keep: float = 1.0  # share of a seed's body paragraphs the event's copies keep


def _town(rng: random.Random) -> str:
    return rng.choice(TOWN_PREFIXES) + rng.choice(TOWN_SUFFIXES)


def _number(n: int, rng: random.Random, words: bool = True) -> str:
    if words and n < len(NUMBER_WORDS) and rng.random() < 0.6:
        return NUMBER_WORDS[n]
    return f"{n:,}"


def make_event(number: int, rng: random.Random) -> Event:
    kind = None if rng.random() < 0.2 else rng.choice(KINDS)
    country = rng.choice(COUNTRIES)
    town = _town(rng)
    town2 = _town(rng)
    while town2 == town:
        town2 = _town(rng)
    region = f"{rng.choice(REGION_WORDS)} {_town(rng)}"
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    killed = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 18, 23, 31, 44, 57, 120])
    wounded = rng.choice([2, 3, 4, 5, 6, 8, 11, 14, 20, 27, 35, 60, 85, 210])
    while wounded == killed:
        wounded += 1
    n_people = 10 if kind is None else 4
    used: set[str] = set()
    people = []
    for index in range(n_people):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        while last in used:
            last = rng.choice(LAST_NAMES)
        used.add(last)
        role = kind.roles[index % len(kind.roles)] if kind else ""
        people.append((first, last, role))
    event = Event(
        number=number,
        kind=kind,
        country=country,
        town=town,
        town2=town2,
        region=region,
        date=(2025, month, day),
        weekday=rng.choice(WEEKDAYS),
        killed=killed,
        wounded=wounded,
        people=people,
        agency=rng.choice(kind.agencies) if kind else "the interior ministry",
        numbers={
            "mag": rng.randint(55, 78),
            "passengers": rng.choice([80, 120, 150, 200, 240, 300, 450]),
            "cap": rng.choice([60, 90, 100, 180, 250, 600, 1200]),
            "dist": rng.randint(5, 90),
            "year": rng.randint(1995, 2022),
        },
    )
    if kind:
        # Each event's statements: one to three pool sentences in a shuffled order, so two
        # events of one kind rarely share a whole quote.
        pool = rng.sample(kind.quotes, len(kind.quotes))
        for person in range(min(3, len(people))):
            take = rng.randint(1, max(1, min(3, len(pool) - (2 - person))))
            chosen, pool = pool[:take], pool[take:]
            if chosen:
                event.quotes.append((" ".join(chosen), person))
    villages = []
    while len(villages) < 3:
        village = _town(rng)
        if village not in (town, town2, *villages):
            villages.append(village)

    def someone() -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    event.local = {
        "village1": villages[0],
        "village2": villages[1],
        "village3": villages[2],
        "hospital": rng.choice(HOSPITAL_FORMS).format(name=rng.choice(LAST_NAMES), town=town),
        "road": rng.choice(ROAD_FORMS).format(a=town, b=rng.choice(villages)),
        "street": rng.choice(STREET_FORMS).format(name=rng.choice(LAST_NAMES)),
        "square": rng.choice(SQUARE_FORMS).format(name=rng.choice(FIRST_NAMES)),
        "radio": rng.choice(RADIO_FORMS).format(town=_town(rng)),
        "doctor": someone(),
        "resident": someone(),
        "resident2": someone(),
        "official": someone(),
        "pronoun": rng.choice(["he", "she"]),
        "shop": rng.choice(SHOPS_LIST),
        "supply": rng.choice(SUPPLIES),
        "weekday2": rng.choice(WEEKDAYS),
        "town": town,
        "n1": str(rng.randint(40, 900)),
        "n2": str(rng.randint(12, 300)),
        "n3": str(rng.randint(2, 900)),
        "region": region,
        "capital": country[2],
        "country": country[0],
    }
    event.details = [
        _sentence_case(_fill(t, event, event.local))
        for t in rng.sample(LOCAL_DETAILS, rng.randint(10, 14))
    ]
    event.context = [_sentence_case(_fill(t, event, event.local)) for t in rng.sample(CONTEXT, 10)]
    if kind:
        # The event's own picks among its kind's sentences, in its own words: its outlets
        # choose among these, so two events of one kind rarely tell it the same way.
        variant = {word: rng.choice(forms) for word, forms in EVENT_VARIANTS.items()}

        def own(texts: list[str], k: int) -> list[str]:
            return [_VARIANT_RE.sub(lambda m: variant[m.group()], t) for t in rng.sample(texts, k)]

        event.kind = Kind(
            kind.name,
            own(kind.headlines, 2),
            own(kind.leads, 1),
            own(kind.tolls, 2),
            own(kind.details, 2),
            own(kind.background, 1),
            kind.quotes,
            kind.roles,
            kind.agencies,
        )
        event.quotes = [
            (_VARIANT_RE.sub(lambda m: variant[m.group()], q), p) for q, p in event.quotes
        ]
    event.dialect = frozenset(k for k in SYNONYMS if rng.random() < 0.5)
    event.keep = rng.uniform(0.35, 0.6)
    return event


# --- text helpers ----------------------------------------------------------------------------


def _swap_words(
    text: str, rng: random.Random, rate: float, always: frozenset[str] = frozenset()
) -> str:
    """Swap words for their SYNONYMS: those in ``always``, and others at ``rate``."""

    def one(match: re.Match[str]) -> str:
        word = match.group()
        swap = SYNONYMS.get(word)
        return swap if swap and (word in always or rng.random() < rate) else word

    return re.sub(r"\b[a-z]+\b", one, text)


def _fill(template: str, event: Event, values: dict[str, str]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def _values(event: Event, rng: random.Random, killed: int, wounded: int) -> dict[str, str]:
    country, _, capital = event.country
    agency = event.agency
    hedge = "at least " if rng.random() < 0.2 else ""
    k_text = hedge + _number(killed, rng)
    return {
        "town": event.town,
        "region": event.region,
        "country": country,
        "Country": country,
        "capital": capital,
        "weekday": event.weekday,
        "k": k_text,
        "K": f"{killed}",
        "w": _number(wounded, rng),
        "agency": agency,
        "agency_cap": agency[:1].upper() + agency[1:],
        **{key: str(value) for key, value in event.numbers.items()},
        "mag": f"{event.numbers['mag'] / 10:.1f}",
    }


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- articles from templates -----------------------------------------------------------------


def template_article(event: Event, outlet: str, rng: random.Random) -> tuple[str, str]:
    """(title, body) of one outlet's report of an invented event."""
    kind = event.kind
    assert kind is not None
    # Most outlets agree; some report another wounded count, or a provisional death toll.
    killed, wounded = event.killed, event.wounded
    roll = rng.random()
    if roll < 0.12:
        wounded = max(1, wounded + rng.choice([-2, -1, 1, 3]))
    elif roll < 0.18:
        killed = max(1, killed - 1)
    values = _values(event, rng, killed, wounded)
    title = _fill(rng.choice(kind.headlines), event, values)
    title = _sentence_case(title)
    paragraphs: list[str] = []
    lead = _swap_words(_fill(rng.choice(kind.leads), event, values), rng, 0.0, event.dialect)
    if rng.random() < 0.5:
        lead = f"{event.town.upper()} ({outlet}) - {lead}"
    toll = _fill(rng.choice(kind.tolls), event, values)
    paragraphs.append(_sentence_case(lead + " " + _sentence_case(toll)))
    for text, person in rng.sample(event.quotes, rng.randint(1, len(event.quotes))):
        first, last, role = event.people[person]
        role = _fill(role, event, values)
        text = _swap_words(_fill(text, event, values), rng, 0.25, event.dialect)
        sentences = re.split(r"(?<=[.!?])\s+", text)
        if len(sentences) > 1 and rng.random() < 0.3:
            sentences = sentences[: rng.randint(1, len(sentences) - 1)]  # a partial quote
        quote = " ".join(sentences)
        style = rng.randrange(5)
        if style == 0:
            paragraphs.append(f"“{quote[:-1]},” said {first} {last}, {role}.")
        elif style == 1:
            paragraphs.append(f"{first} {last}, {role}, told reporters: “{quote}”")
        elif style == 2:
            paragraphs.append(f"“{quote[:-1]},” {last} said in a statement.")
        elif style == 3:
            paragraphs.append(
                f'{_sentence_case(role)} {first} {last} said: "{quote}" '
                f"{_sentence_case(kind.name)} relief would continue, {last} added."
            )
        else:
            paragraphs.append(f"“{quote}” {first} {last} wrote on social media.")
    details = [_fill(d, event, values) for d in kind.details]
    rng.shuffle(details)
    details = details[: rng.randint(0, 2)]
    details += rng.sample(event.details, rng.randint(6, min(11, len(event.details))))
    rng.shuffle(details)
    while details:
        take = rng.randint(1, 3)
        paragraphs.append(_swap_words(" ".join(details[:take]), rng, 0.3, event.dialect))
        details = details[take:]
    body_rest = paragraphs[1:]
    rng.shuffle(body_rest)
    paragraphs = paragraphs[:1] + body_rest
    context = rng.sample(event.context, rng.randint(4, 8))
    paragraphs.insert(rng.randint(2, len(paragraphs)), " ".join(context[:2]))
    if len(context) > 2:
        paragraphs.append(" ".join(context[2:]))
    if rng.random() < 0.7:
        paragraphs.append(_fill(rng.choice(kind.background), event, values))
    day = event.date[2]
    month = MONTHS[event.date[1]]
    stamp = f"Updated {day} {month} {event.date[0]}" if rng.random() < 0.4 else None
    lines = [title, ""] + ([stamp, ""] if stamp else []) + paragraphs
    return title, "\n\n".join(line for line in lines if line) + "\n"


# --- articles from the seeds -----------------------------------------------------------------

# (what the seeds say, which of the event's people or places replaces it); longest first.
_SEED_PEOPLE = [
    (["Tom Barrack"], ["Barrack"], 0),
    (["Ahmed al-Sharaa", "Ahmad Al-Sharaa"], ["Al-Sharaa", "al-Sharaa"], 1),
    (["Donald Trump"], ["Trump"], 2),
    (["Asaad Al-Shaibani"], ["Al-Shaibani"], 3),
    (["Noureddine Al-Baba"], ["Al-Baba"], 4),
    (["Ibrahim Hamidi"], ["Hamidi"], 5),
    (["Ghassan Ibrahim"], ["Ibrahim"], 6),
    (["Edgar Brian Torres Tovar"], ["Torres Tovar"], 7),
    (["William Nathaniel Howard"], ["Howard"], 8),
    (["Pete Hegseth", "Marco Rubio"], ["Hegseth", "Rubio"], 9),
]


def _seed_replacements(event: Event) -> list[tuple[str, str]]:
    country, demonym, capital = event.country
    pairs: list[tuple[str, str]] = []
    for fulls, shorts, index in _SEED_PEOPLE:
        first, last, _ = event.people[index]
        pairs += [(full, f"{first} {last}") for full in fulls]
        pairs += [(short, last) for short in shorts]
    month = MONTHS[event.date[1]]
    day = event.date[2]
    pairs += [
        ("Palmyra", event.town),
        ("Deir Ezzor", event.town2),
        ("Homs", event.region),
        ("Des Moines", _town_of(event, 1)),
        ("Marshalltown", _town_of(event, 2)),
        ("Damascus", capital),
        ("Syrian", demonym),
        ("Syria", country),
        ("December 13", f"{month} {day}"),
        ("13 December", f"{day} {month}"),
        ("Saturday", event.weekday),
    ]
    return pairs


def _town_of(event: Event, salt: int) -> str:
    digest = hashlib.sha256(f"{event.number}:{salt}".encode()).digest()
    return (
        TOWN_PREFIXES[digest[0] % len(TOWN_PREFIXES)]
        + TOWN_SUFFIXES[digest[1] % len(TOWN_SUFFIXES)]
    )


def _share(*key: object) -> float:
    """A stable number in [0, 1) for ``key``: the same for every outlet of one event."""
    digest = hashlib.sha256(repr(key).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def seed_article(
    event: Event, seed: int, seed_text: str, outlet: str, rng: random.Random
) -> tuple[str, str]:
    """(title, body) of one outlet's copy of seed ``seed``, rewritten for ``event``.

    The event keeps its own share of the seed's body paragraphs (every outlet the same ones),
    so two events made from one seed share only part of its text, and adds its local details.
    """
    pairs = _seed_replacements(event)
    table = dict(pairs)
    pattern = re.compile("|".join(re.escape(old) for old, _ in pairs))
    text = pattern.sub(lambda m: table[m.group()], seed_text)
    # Casualty counts: the seeds' "two" killed and "three" wounded become the event's, and
    # one outlet in eight reports another wounded count.
    killed, wounded = event.killed, event.wounded
    if rng.random() < 0.125:
        wounded = max(1, wounded + rng.choice([-1, 1, 2]))
    counts = {"two": _number(killed, rng), "three": _number(wounded, rng)}
    text = re.sub(r"\b(two|three)\b", lambda m: counts[m.group()], text)
    text = re.sub(r"\b(Two|Three)\b", lambda m: _sentence_case(counts[m.group().lower()]), text)
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    if len(paragraphs) < 4:
        paragraphs = text.strip("\n").split("\n")
        joiner = "\n"
    else:
        joiner = "\n\n"
    head, body = paragraphs[:2], paragraphs[2:]
    body = [p for k, p in enumerate(body) if _share(event.number, seed, k) < event.keep] or body[:3]
    local = rng.sample(event.details, rng.randint(4, min(7, len(event.details))))
    cut = len(local) // 2
    for part in (local[:cut], local[cut:]):
        body.insert(rng.randint(0, len(body)), " ".join(part))
    # Reorder a little (swap neighbours), drop a paragraph or two, reword.
    for _ in range(rng.randint(1, 3)):
        if len(body) > 2:
            i = rng.randrange(len(body) - 1)
            body[i], body[i + 1] = body[i + 1], body[i]
    for _ in range(rng.randint(0, 2)):
        if len(body) > 4:
            body.pop(rng.randrange(len(body)))
    body = [_swap_words(p, rng, 0.3, event.dialect) for p in body]
    title = head[0].strip().splitlines()[0]
    return title, joiner.join(head + body) + "\n"


# --- the folder ------------------------------------------------------------------------------


def generate(n: int, out: Path, seed: int = 20251213) -> list[Path]:
    """Write ``n`` articles under ``out`` (created); return their paths in writing order."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    n_events = max(1, n // ARTICLES_PER_STORY)
    events = [make_event(i, rng) for i in range(n_events)]
    # Uneven coverage: a few big stories, many small ones; every event gets one article.
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(n_events)]
    assignment = list(range(n_events)) + rng.choices(range(n_events), weights, k=n - n_events)
    assignment = assignment[:n]
    rng.shuffle(assignment)
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    copies: dict[int, int] = {}
    paths: list[Path] = []
    for number, event_index in enumerate(assignment):
        event = events[event_index]
        copy = copies.get(event_index, 0)
        copies[event_index] = copy + 1
        outlet = OUTLETS_LIST[(copy + event_index) % len(OUTLETS_LIST)]
        if copy >= len(OUTLETS_LIST):
            outlet = f"{outlet} {copy // len(OUTLETS_LIST) + 1}"
        for _attempt in range(20):
            if event.kind is None:
                seed = copy % len(seeds)
                title, body = seed_article(event, seed, seeds[seed], outlet, rng)
            else:
                title, body = template_article(event, outlet, rng)
            digest = hashlib.sha256(body.encode()).hexdigest()
            if digest not in seen:
                break
        else:
            body += f"\n{outlet} contributed to this report from {event.town}.\n"
            digest = hashlib.sha256(body.encode()).hexdigest()
        seen.add(digest)
        folder = out / f"batch_{number // 1000:03d}"
        folder.mkdir(exist_ok=True)
        stem = f"{number:05d}_e{event_index:04d}"
        roll = rng.random()
        if roll < 0.10:
            path = folder / f"{stem}.json"
            record = {
                "title": title,
                "source": outlet,
                "published": f"{event.date[0]}-{event.date[1] + 1:02d}-{event.date[2]:02d}",
                "text": body.split("\n", 1)[1].lstrip("\n") if event.kind else body,
            }
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        elif roll < 0.15:
            path = folder / f"{stem}.md"
            path.write_text("# " + body, encoding="utf-8")
        else:
            path = folder / f"{stem}.txt"
            path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("--out", type=Path, help="folder to write (default: a new temp dir)")
    parser.add_argument("--seed", type=int, default=20251213)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix=f"summarizer-scale-{args.n}-"))
    paths = generate(args.n, out, args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"{out}\t{len(paths)} articles\t{total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
