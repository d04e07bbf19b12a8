"""The NQL subset: what frontends write in ``filter=`` parses into the tree we expect."""

from __future__ import annotations

import pytest

from cms.ghost.nql import All, Any, Condition, FilterSyntaxError, parse


def test_a_single_condition() -> None:
    assert parse("tag:getting-started") == Condition("tag", "=", ("getting-started",))


def test_a_minus_negates() -> None:
    assert parse("tag:-news") == Condition("tag", "=", ("news",), negated=True)


def test_brackets_make_a_list() -> None:
    assert parse("slug:[one, two,three]") == Condition("slug", "in", ("one", "two", "three"))


def test_a_negated_list() -> None:
    assert parse("tags:-[a,b]") == Condition("tags", "in", ("a", "b"), negated=True)


@pytest.mark.parametrize("operator", [">", ">=", "<", "<="])
def test_comparisons(operator: str) -> None:
    assert parse(f"published_at:{operator}'2024-01-01 10:00:00'") == Condition(
        "published_at",
        operator,
        ("2024-01-01 10:00:00",),  # type: ignore[arg-type]
    )


def test_true_false_null_and_numbers_are_typed() -> None:
    assert parse("featured:true") == Condition("featured", "=", (True,))
    assert parse("featured:FALSE") == Condition("featured", "=", (False,))
    assert parse("feature_image:null") == Condition("feature_image", "=", (None,))
    assert parse("count:5") == Condition("count", "=", (5,))


def test_quoted_strings_keep_spaces_and_escaped_quotes() -> None:
    assert parse(r"title:'it\'s here, + there'") == Condition("title", "=", ("it's here, + there",))


def test_plus_binds_tighter_than_comma() -> None:
    a, b, c = (Condition(name, "=", ("x",)) for name in ("a", "b", "c"))
    assert parse("a:x+b:x,c:x") == Any((All((a, b)), c))
    assert parse("a:x,b:x+c:x") == Any((a, All((b, c))))


def test_parentheses_group() -> None:
    a, b, c = (Condition(name, "=", ("x",)) for name in ("a", "b", "c"))
    assert parse("(a:x,b:x)+c:x") == All((Any((a, b)), c))
    assert parse("a:x+(b:x,(c:x))") == All((a, Any((b, c))))


def test_field_names_are_case_insensitive_and_may_be_dotted() -> None:
    assert parse("Tags.Slug:news") == Condition("tags.slug", "=", ("news",))


def test_spaces_between_tokens_are_ignored() -> None:
    assert parse(" tag:a + featured:true ") == All(
        (Condition("tag", "=", ("a",)), Condition("featured", "=", (True,)))
    )


@pytest.mark.parametrize(
    "source",
    ["", "tag", "tag:", "tag:[a,b", "(tag:a", "tag:a)", "tag:a+", "tag:a,,b:c", ":a", "tag:'open",
     "tag:a b:c", "tag:\"x\"", "9tag:a", "tag:[]", "tag:>"],
)  # fmt: skip
def test_malformed_filters_are_refused(source: str) -> None:
    with pytest.raises(FilterSyntaxError):
        parse(source)
