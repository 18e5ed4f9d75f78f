"""The input rules every mutation shares: ids, URLs, and enums exposed from the domain."""

from __future__ import annotations

import enum
import uuid

import pytest

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id, uuid_or_none
from domain.validation import Checks, is_blank
from schema.types.enums import exposed

KNOWN = uuid.UUID("0b5a2f0e-6a8f-4c59-9a3e-2a0f4f1c9d11")


def test_an_id_is_the_uuid_its_text_holds() -> None:
    assert uuid_or_none(str(KNOWN)) == KNOWN
    assert parse_id(str(KNOWN), field="conceptId", what="concept") == KNOWN


@pytest.mark.parametrize("text", ["", "42", "not-a-uuid", str(KNOWN)[:-1]])
def test_an_id_that_cannot_be_a_uuid_names_nothing(text: str) -> None:
    assert uuid_or_none(text) is None
    with pytest.raises(UserErrors) as refused:
        parse_id(text, field="conceptId", what="concept")
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("conceptId", ErrorCode.NOT_FOUND)
    assert error.message == f"no concept with id {text}"


@pytest.mark.parametrize(
    "url", ["https://example.org/a.png", "http://example.org", "https://h.example/p?q=1#f"]
)
def test_a_web_url_with_a_host_is_accepted(url: str) -> None:
    checks = Checks()
    checks.url("avatarUrl", url, max_length=500)
    assert checks.errors == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "javascript:alert(1)",
        "https://",
        "example.org/a.png",
        "https://example.org/a b.png",
        "https://example.org/\tx",
        "https://example.org/" + "a" * 500,
    ],
)
def test_any_other_url_is_refused_naming_the_field_and_the_cap(url: str) -> None:
    checks = Checks()
    checks.url("chapters[0].theories[1].readings[2].url", url, max_length=500)
    (error,) = checks.errors
    assert error.field == "chapters[0].theories[1].readings[2].url"
    assert error.message.endswith("must be an http(s) URL of at most 500 characters")


def test_no_url_is_nothing_to_check() -> None:
    checks = Checks()
    checks.url("avatarUrl", None, max_length=500)
    assert checks.errors == []


def test_a_domain_enum_exposed_without_a_description_for_every_value_is_refused() -> None:
    class Colour(enum.StrEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(TypeError, match="BLUE"):
        exposed(Colour, description="A colour.", values={Colour.RED: "Warm."})


@pytest.mark.parametrize(
    "text", ["", " \t\n", "\u200b\u200c\u200d", "\u202e", "\ufeff", "\x00\x07"]
)
def test_text_of_only_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", " a ", "\u200bx", "é", "\u0301", "😀"])
def test_text_with_anything_visible_is_not_blank(text: str) -> None:
    assert not is_blank(text)


def test_a_required_name_of_invisible_characters_is_empty() -> None:
    checks = Checks()
    checks.text("title", "\u200b\u202e", max_length=200, required=True)
    assert [(e.field, e.message) for e in checks.errors] == [("title", "title must not be empty")]
