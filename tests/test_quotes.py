"""Speaker attribution on invented news copy: the rules must be general, not the seeds'."""

from __future__ import annotations

import pytest

from summarizer.extract.rules.doc import Doc
from summarizer.extract.rules.quotes import attribute
from summarizer.ingest import RawArticle, parse
from summarizer.models import Quote


def quotes_of(text: str) -> list[Quote]:
    article = parse(RawArticle(id="t.txt", path="t.txt", text=text))
    return attribute(Doc.of(article))


def speakers(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes_of(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "...," X said
        (
            '"We will not back down," Prime Minister Anna Kowalski said on Tuesday.',
            [("We will not back down,", "Anna Kowalski")],
        ),
        # "...," said X
        (
            '"The dam held," said Javier Ortega, the regional fire chief.',
            [("The dam held,", "Javier Ortega")],
        ),
        # X, appositive, said ... "..."
        (
            "Lena Brandt, a spokesperson for the ministry, said the talks had been "
            "“constructive and frank.”",
            [("constructive and frank.", "Lena Brandt")],
        ),
        # participle takes the clause's subject
        (
            "Governor Samuel Okafor condemned the attack, calling it a “cowardly act of terror.”",
            [("cowardly act of terror.", "Samuel Okafor")],
        ),
        # relative clause between subject and verb
        (
            "Senator Priya Raman, who chairs the committee, warned of “a long winter ahead.”",
            [("a long winter ahead.", "Priya Raman")],
        ),
    ],
)
def test_explicit_attribution(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert speakers(text) == expected


def test_surname_and_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Health Minister Clara Jensen visited the hospital on Monday.\n"
        "Jensen said the wards were “stretched to breaking point.”\n"
        "“We need more nurses now,” she told reporters.\n"
    )
    assert [s for _, s in speakers(text)] == ["Clara Jensen", "Clara Jensen"]


def test_pronoun_follows_the_subject_not_the_last_name_mentioned() -> None:
    text = (
        "For Marcus Hale, an economist at the Lisbon Institute, the slump has deep roots.\n"
        "He said the crisis began under the government of Pedro Alves and grew for years.\n"
        "“This did not start yesterday,” he said.\n"
    )
    assert speakers(text) == [("This did not start yesterday,", "Marcus Hale")]


def test_bare_name_prefers_the_surname_of_someone_named_before() -> None:
    text = (
        "Both Omar Farouk and Farouk Haddad, a historian, spoke at the forum.\n"
        "“Memory is a public duty,” Farouk said.\n"
    )
    assert speakers(text)[0][1] == "Omar Farouk"


def test_role_description_resolves_to_the_person_who_holds_it() -> None:
    text = (
        "UN Special Envoy Karin Solberg arrived in the capital on Sunday.\n"
        "The envoy said the ceasefire was “fragile but holding.”\n"
    )
    assert speakers(text) == [("fragile but holding.", "Karin Solberg")]


def test_unattributed_quote_continues_the_previous_speaker() -> None:
    text = "“The bridge is safe,” engineer Tomas Varga said. “We checked every cable twice.”\n"
    assert [s for _, s in speakers(text)] == ["Tomas Varga", "Tomas Varga"]


def test_scare_quoted_fragment_echoes_the_longer_quote_it_repeats() -> None:
    text = (
        "President Elena Marquez promised “a swift and firm response” on Friday.\n"
        "Analyst Rui Costa said talk of a “firm response” would worry investors.\n"
    )
    found = dict(speakers(text))
    assert found["firm response"] == "Elena Marquez"


def test_quote_with_no_speaker_anywhere_stays_unattributed() -> None:
    text = "The word “resilience” appears on every poster in town this spring.\n"
    assert speakers(text) == [("resilience", None)]


def test_quote_text_is_always_the_exact_span() -> None:
    text = '“Alpha,” said Ana Silva. ‘Beta’ and "Gamma delta epsilon zeta" too, said Ana Silva.'
    article = parse(RawArticle(id="t.txt", path="t.txt", text=text))
    for quote in attribute(Doc.of(article)):
        assert article.text[quote.start : quote.end] == quote.text
        assert quote.speaker_span is None or quote.speaker in article.text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a lower-case office before the name, then a role reference
        (
            "Port spokeswoman Ines Duarte spoke at dawn. "
            "“Ships are waiting,” the spokeswoman said.",
            "Ines Duarte",
        ),
        # an age appositive before the speech verb
        ("Rahel Tesfaye, 61, said: “The water came in through the roof.”", "Rahel Tesfaye"),
        # a person of an organisation
        (
            "“We warned them twice,” Omid Karimi of the Union of Engineers told reporters.",
            "Omid Karimi",
        ),
        # a capitalised word opening a sentence is not a person
        (
            "Opposition leader Jan Novak rejected the plan, calling it “a gift to the banks.”",
            "Jan Novak",
        ),
    ],
)
def test_descriptions_around_the_name(text: str, speaker: str) -> None:
    assert [s for _, s in speakers(text)] == [speaker]


def test_a_bare_first_surname_links_to_a_double_surname() -> None:
    text = (
        "Interior Minister Ricardo Alvarado Mena defended the police.\n"
        "“It was organised vandalism,” Alvarado told a news conference.\n"
    )
    assert [s for _, s in speakers(text)] == ["Ricardo Alvarado Mena"]


def test_every_paragraph_of_a_continued_quote_has_the_speaker() -> None:
    text = (
        '"Forty years in a mine is enough," he said. Union head Piotr Nowak spoke first.\n\n'
        'Union head Piotr Nowak spoke at the rally. "We will not accept this.\n\n'
        '"Not now, not ever," Nowak said.\n'
    )
    found = speakers(text)
    assert found[-2:] == [
        ("We will not accept this.", "Piotr Nowak"),
        ("Not now, not ever,", "Piotr Nowak"),
    ]


def test_a_later_quote_repeating_a_word_does_not_take_it_from_its_named_speaker() -> None:
    text = (
        "The minister, Carla Reyes, described the marchers as “vandals” on Monday.\n"
        "Student Tomas Ruiz said: “They call us vandals, but we pay for their mistakes.”\n"
    )
    assert dict(speakers(text))["vandals"] == "Carla Reyes"


def test_names_with_particles_are_one_name() -> None:
    text = (
        "UN envoy Jean-Luc de la Roche arrived on Monday. “We need access,” de la Roche said.\n"
        "Mayor Idris bin Khalifa al-Hashimi added: “We need water.”\n"
    )
    assert [s for _, s in speakers(text)] == [
        "Jean-Luc de la Roche",
        "Idris bin Khalifa al-Hashimi",
    ]


def test_she_skips_a_man_who_spoke_later() -> None:
    text = (
        "Relief coordinator Ana Costa, who runs the shelter, said she had 300 beds.\n"
        "Mr. Paulo Reis, the mayor, said he would send more.\n"
        "“We are full tonight,” she said.\n"
    )
    assert speakers(text) == [("We are full tonight,", "Ana Costa")]


def test_object_pronouns_do_not_set_gender() -> None:
    text = (
        "A fruit seller, Karim Haddad, told her he had been thrown to the ground.\n"
        "“There was no warning,” he said.\n"
    )
    assert speakers(text) == [("There was no warning,", "Karim Haddad")]


def test_inverted_attribution_makes_the_speaker_the_topic() -> None:
    text = (
        '"The deal is dead," said Kofi Mensah, leader of the opposition.\n'
        'He told the chamber that the plan was "written with a calculator".\n'
    )
    assert speakers(text)[1] == ("written with a calculator", "Kofi Mensah")


def test_a_person_introduced_with_a_description_is_who_she_refers_to() -> None:
    text = (
        "Nurse Helen Park said the ward was full.\n"
        "Among those waiting outside was Maria Lopez, a 38-year-old teacher whose son was hurt. "
        "She had been there since dawn.\n"
        "“Nobody tells us anything,” she said.\n"
    )
    assert speakers(text) == [("Nobody tells us anything,", "Maria Lopez")]


def test_the_role_of_the_person_the_story_is_about() -> None:
    text = (
        "Idris Haddad walked through the ruined market on Wednesday.\n"
        "The 61-year-old mayor had been at his desk when the shell struck.\n"
        "“We buried them before sunset,” the mayor said.\n"
    )
    assert speakers(text) == [("We buried them before sunset,", "Idris Haddad")]


def test_interview_answers_go_to_the_interviewee() -> None:
    text = (
        "Governor Ramon Cruz spoke to our reporter in Port Lamay on Friday.\n\n"
        "Governor, how many died?\n\n"
        "“Twelve, as of this morning. We are still searching.”\n\n"
        "Who is to blame?\n\n"
        "“The operator ignored the weather warnings.”\n"
    )
    assert [s for _, s in speakers(text)] == ["Ramon Cruz", "Ramon Cruz"]


def test_a_quoted_heading_is_not_the_previous_speaker_going_on() -> None:
    text = (
        "Dr Lena Aziz, the hospital director, told us: “We have 48 wounded.”\n\n"
        "UN: ‘Markets must never be targets’\n\n"
        "Envoy Paul Okafor said: “Markets must never be targets, and this one was.”\n"
    )
    assert [s for _, s in speakers(text)] == ["Lena Aziz", "Paul Okafor", "Paul Okafor"]
