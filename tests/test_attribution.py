"""Who said it: one invented sentence per attribution pattern, with the negative cases.

Every name, place and event here is made up. A wrong speaker is worse than none, so each
"no speaker" case matters as much as each named one.
"""

from __future__ import annotations

import pytest

from summarizer.extract.rules.doc import Doc
from summarizer.extract.rules.quotes import attribute
from summarizer.ingest import RawArticle, parse


def speakers(text: str) -> list[str | None]:
    article = parse(RawArticle(id="t.txt", path="t.txt", text=text))
    return [q.speaker for q in attribute(Doc.of(article))]


# --- the name, without the office glued to it -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # office "of" a portfolio before the name
        (
            "Minister of Fisheries Orla Brennick toured the harbour on Friday. "
            "“The quotas stay,” Brennick said.",
            "Orla Brennick",
        ),
        # a list of portfolios: the last one ends the office
        (
            "The bill was tabled by Minister of Transport, Infrastructure and Housing "
            "Tobias Lindqvist, who said it was “overdue by a decade.”",
            "Tobias Lindqvist",
        ),
        # a hyphenated office
        (
            "“We are ready to serve,” said former Vice-Chair Imani Okonkwo-Reyes.",
            "Imani Okonkwo-Reyes",
        ),
        # "X of <organisation>": the person, not the organisation
        (
            "“Nobody wanted a lockout,” Dana Whitlock of Harbour Freight Company admitted.",
            "Dana Whitlock",
        ),
        # an appositive holding an office between the name and the verb
        (
            "Priit Saar, Northern Region Director of Baltic Forest Watch, warned of a "
            "“dangerous precedent.”",
            "Priit Saar",
        ),
        (
            "Marguerite Oyelaran, the Greens’ MEP for the Islands, said: “This deal sells "
            "out the fishermen.”",
            "Marguerite Oyelaran",
        ),
        # a name glued to its office by bad copy
        (
            "“We will rebuild the pier,” SecretaryDanaWhitlock said on Monday.",
            "Dana Whitlock",
        ),
    ],
)
def test_the_speaker_is_the_name_without_its_office(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


def test_a_bare_surname_is_the_full_name_introduced_before() -> None:
    text = (
        "Governor Ngozi Adeyemi-Larsen signed the order on Tuesday.\n\n"
        "“The levees will hold,” Adeyemi-Larsen said.\n"
    )
    assert speakers(text) == ["Ngozi Adeyemi-Larsen"]


def test_a_possessor_before_the_name_is_not_the_subject() -> None:
    text = (
        "In a speech before Halvorsen’s statement, Chancellor Ines Moravec stressed that "
        "“the door stays open.”\n\n"
        "“We will keep talking,” she said.\n"
    )
    assert speakers(text) == ["Ines Moravec", "Ines Moravec"]


def test_a_surname_that_is_also_a_month_still_speaks() -> None:
    text = (
        "Prime Minister Lydia May met the union leaders on Monday.\n\n"
        "“This is a fair offer,” May told reporters.\n"
    )
    assert speakers(text) == ["Lydia May"]


# --- outlets relay, places do not speak, documents are nobody ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # an outlet relaying what investigators found
        "Investigators opened a case that uncovered “serious lapses in the kitchen,” the "
        "Kessel Courier reported.",
        # an outlet named by a broadcast call sign
        "Officers found the boat adrift. “Everyone is accounted for,” WKXR reported.",
        # a document says it, no person does
        "“The parties will cooperate on fisheries,” according to the draft declaration.",
        "The draft declaration notes that the “parties envisage a close partnership.”",
        # a place is not a speaker
        "Storms flooded homes in Port Aldous overnight. Port Aldous warned of “more rain.”",
        # the passive subject did not say it
        "Harbour House was accused of “acting behind the public's back.”",
        # a claim denied is the claim's words, not the denier's
        "Mayor Ruth Okafor denied claims that the council had “buried the report.”",
    ],
)
def test_nobody_speaks(text: str) -> None:
    assert speakers(text) == [None]


def test_the_outlet_is_not_the_speaker_of_what_it_relays() -> None:
    text = (
        "Tomasz Wierzba released a statement after his daughter was found, the Valley "
        "Herald reports:\n\n"
        "“We are grateful to every volunteer who searched.”\n"
    )
    assert speakers(text) == ["Tomasz Wierzba"]


def test_the_audience_of_told_is_not_the_speaker() -> None:
    text = "“The shelter is full,” Nadia Ferreira told WKXR on Sunday."
    assert speakers(text) == ["Nadia Ferreira"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Moscow called the expulsions a “hostile act.”", "Moscow"),
        ("Iran said the sanctions were “economic warfare.”", "Iran"),
        ("Nairobi called the new tariff “a breach of the customs union.”", "Nairobi"),
        ("Phnom Penh said the border post was “on our side of the river.”", "Phnom Penh"),
    ],
)
def test_a_country_or_capital_speaking_is_its_government(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "“The levy is unfair,” opposition leaders in Nairobi said on Friday.",
        "“We were never asked,” farmers outside Moscow said.",
        "“We will march again,” students from Lisbon said after the vote.",
    ],
)
def test_a_place_where_the_speakers_are_is_not_the_speaker(text: str) -> None:
    # A capital speaks for its government only as the subject itself ("Moscow said").
    assert speakers(text) == [None]


def test_the_actor_of_a_position_is_never_where_its_takers_are() -> None:
    from summarizer.extract.rules.stances import find_stances

    def actors(text: str) -> list[str]:
        article = parse(RawArticle(id="t.txt", path="t.txt", text=text))
        return [s.actor for s in find_stances(Doc.of(article))]

    assert actors("Farmers in Rabat said they would block the coast road until May.") == []
    assert actors("Rabat said it would recall its ambassador over the remarks.") == ["Rabat"]


def test_a_capital_that_is_also_a_given_name_is_a_person_as_ever() -> None:
    # "Victoria" is a capital too (Seychelles), but as often a person: not read as a seat.
    text = "“The bridge will reopen in May,” Victoria Nakashima said on Monday."
    assert speakers(text) == ["Victoria Nakashima"]


def test_the_statement_is_its_issuers() -> None:
    text = (
        "The Harbour Workers Union said in a statement that the offer was unfair.\n\n"
        "“We will not sign this,” the statement said.\n"
    )
    assert speakers(text) == ["Harbour Workers Union"]


def test_a_document_quoted_in_the_middle_of_a_speakers_quotes_is_not_theirs() -> None:
    text = (
        "“We have a text,” Commissioner Aldo Ferrante said on Thursday.\n\n"
        "“The parties will cooperate closely,” according to the document.\n"
    )
    assert speakers(text) == ["Aldo Ferrante", None]


# --- unnamed sources, crowds, colons ---------------------------------------------------------


def test_an_unnamed_source_is_kept_as_written() -> None:
    text = (
        "The talks are stuck, a senior treasury source said on Monday.\n\n"
        "“Nobody will blink first,” the source said.\n"
    )
    assert speakers(text) == ["senior treasury source"]


def test_a_spokeswoman_of_a_company_introduced_by_a_colon() -> None:
    text = "An Orbitex spokeswoman told the paper: “We are reviewing every order.”"
    assert speakers(text) == ["An Orbitex spokeswoman"]


def test_the_unnamed_source_is_never_the_person_the_story_is_about() -> None:
    text = (
        "Defence Minister Karel Dvorak has threatened to quit the coalition.\n\n"
        "“It is theatre,” the source said.\n"
    )
    assert speakers(text) == [None]


def test_a_chant_is_the_crowds() -> None:
    text = (
        "Thousands marched through the capital on Sunday.\n\n"
        "Protesters chanted “No more tolls!” as they passed the ministry.\n"
    )
    assert speakers(text) == ["Protesters"]


def test_a_participle_after_a_noun_has_that_noun_as_subject() -> None:
    text = (
        "Emergency director Sven Aalto said: “The sirens work.”\n\n"
        "The tests come with radio announcements urging people to “stay indoors.”\n"
    )
    assert speakers(text) == ["Sven Aalto", None]


# --- frames beyond "X said" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # emphatic "did"
        (
            "Spokesperson Elena Vasquez-Moor did confirm that “work is continuing.”",
            "Elena Vasquez-Moor",
        ),
        # a characterising verb
        (
            "Opposition leader Bram Hollis slammed the budget as a “raid on pensions.”",
            "Bram Hollis",
        ),
        # a coordinated verb takes the sentence's subject
        (
            "President Amara Tsegaye has traded threats with rebels and warned that the army "
            "would “answer in kind.”",
            "Amara Tsegaye",
        ),
        # a time between the subject and the verb
        (
            "Before the vote, Tsegaye on Thursday urged calm and rejected “any reprisals.”",
            "Tsegaye",
        ),
        # quoted as saying
        (
            "State radio quoted the Kessel High Court as saying the arrests were “unlawful.”",
            "Kessel High Court",
        ),
        # the author of a document after "according to"
        (
            "“The army lies,” according to a statement signed by the group's spokesman, "
            "Idris Kamara-Bello, on Sunday.",
            "Idris Kamara-Bello",
        ),
    ],
)
def test_reporting_frames(text: str, speaker: str | None) -> None:
    assert speakers(text) == [speaker]


def test_a_quote_inside_a_clause_about_someone_else_is_not_the_reporters() -> None:
    text = (
        "The newspaper said envoy Ruth Calder was told of a call in which the general "
        "ordered troops to “clear the square.”"
    )
    assert speakers(text) == [None]


# --- context: who goes on speaking ------------------------------------------------------------


def test_context_stops_when_someone_else_takes_the_floor() -> None:
    text = (
        "“We stand by the plan,” Minister Hanne Solberg said.\n\n"
        "The Harbour Authority declined to comment on Monday.\n\n"
        "“It will not survive the winter.”\n"
    )
    assert speakers(text) == ["Hanne Solberg", None]


def test_a_quote_paragraph_after_a_new_subject_is_that_persons() -> None:
    text = (
        "“We stand by the plan,” Minister Hanne Solberg said.\n\n"
        "Opposition leader Kwame Mensah-Doyle dismissed the plan on Monday.\n\n"
        "“It will not survive the winter.”\n"
    )
    assert speakers(text) == ["Hanne Solberg", "Kwame Mensah-Doyle"]


def test_context_goes_on_past_the_speakers_own_affiliation() -> None:
    text = (
        "“Nobody wanted a lockout,” Dana Whitlock of Harbour Freight Company admitted.\n\n"
        "“We tried everything.”\n"
    )
    assert speakers(text) == ["Dana Whitlock", "Dana Whitlock"]


def test_a_name_inside_a_quotation_is_not_who_he_is() -> None:
    text = (
        "“There is another tape,” columnist Orhan Demirel wrote on Thursday.\n\n"
        "“It is said that director Lena Sauer heard it,” he wrote.\n"
    )
    assert speakers(text) == ["Orhan Demirel", "Orhan Demirel"]


def test_a_subject_pronoun_sets_gender_not_a_possessive() -> None:
    text = (
        "Judge Marion Achterberg said the accused had acted to satisfy his curiosity.\n\n"
        "“It was reckless,” she said.\n"
    )
    assert speakers(text) == ["Marion Achterberg"]


def test_a_scare_quote_in_lower_case_is_not_a_proper_name_in_a_quote() -> None:
    text = (
        "An “urgent care hub” opened in Falmouth Vale on Monday.\n\n"
        "“The Urgent Care Hub will see 40 patients a day,” said Mayor Idris Falk.\n"
    )
    assert speakers(text) == [None, "Idris Falk"]


def test_it_is_the_body_that_spoke_just_before() -> None:
    text = (
        "The main opposition, the Coastal Reform Party (CRP), said Halvorsen’s plan "
        "“reads like our own manifesto”, it said in a statement.\n"
    )
    assert speakers(text) == ["Coastal Reform Party"]


def test_it_after_a_statement_is_the_statement_not_the_body() -> None:
    text = (
        "The Delta Defence Front has put out a statement denying the attack. It calls the "
        "army’s account a “fabrication”.\n"
    )
    assert speakers(text) == [None]


def test_claims_from_someone_are_theirs_not_the_dismissers() -> None:
    text = (
        "Premier Lotte Andersen dismissed claims from Kessland’s foreign minister that the "
        "accord was “the best deal in a century”.\n"
    )
    assert speakers(text) == ["Kessland’s foreign minister"]


def test_the_us_speaking_is_its_government() -> None:
    assert speakers("U.S. warns of “severe consequences” after the launch") == ["U.S."]


def test_a_newspaper_reporting_is_not_the_speaker_but_a_company_is() -> None:
    assert speakers("“Fares will rise,” the Kessel Post reported on Monday.") == [None]
    assert speakers("“Parcels will be late,” Harbour Post said on Monday.") == ["Harbour Post"]


def test_an_indefinite_spokeswoman_is_someone_new() -> None:
    text = (
        "Spokeswoman Ada Lindqvist said the plant would reopen.\n\n"
        "A spokeswoman told the paper: “Nobody has called us.”\n"
    )
    assert speakers(text) == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The talks are stuck,” said a senior treasury source.", "a senior treasury source"),
        ("“We will rebuild,” said the mayor, Tomas Ruivo.", "Tomas Ruivo"),
        # a lower-case description, then the name it describes
        ("“The welds come first,” said port director Halvard Moen.", "Halvard Moen"),
        ("“No comment,” said the club spokesman Ilse Varga on Monday.", "Ilse Varga"),
        ("“Never again,” chanted the crowd outside the court.", "crowd"),
        # nothing says whose: a bare plural, across a comma, or someone new without affiliation
        ("In Kessel, officials said the deal was “dead.”", None),
        ("“It was loud,” said one resident, who asked not to be named.", None),
    ],
)
def test_said_then_a_description(text: str, speaker: str | None) -> None:
    assert speakers(text) == [speaker]


def test_a_seat_of_government_speaks_even_when_things_happen_in_it() -> None:
    text = (
        "The envoy was received in the Kremlin on Monday.\n\n"
        "The Kremlin called the sanctions “a hostile act.”\n"
    )
    assert speakers(text) == ["Kremlin"]
