"""The seams the review of session 22 asked for stay put: modules split past ~600 lines
(design.md: one module per concern), and modules that call another's function call its public
name (a private one may change under them without notice)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OPINIONS = ROOT / "hbt_analysis" / "opinions"
PACKAGE = ROOT / "hbt_analysis"
#: hbt_analysis.topics and the modules it was split into, lowest first (each imports only
#: the ones before it)
TOPICS = ["topic_taxonomy", "topic_text", "topic_model", "topics"]


@pytest.mark.parametrize("name", ["consolidate", "worklist", "ward_items", "reach"])
def test_split_modules_stay_under_600_lines(name):
    assert len((OPINIONS / f"{name}.py").read_text("utf-8").splitlines()) <= 600


@pytest.mark.parametrize("name", TOPICS)
def test_topics_modules_stay_under_600_lines(name):
    assert len((PACKAGE / f"{name}.py").read_text("utf-8").splitlines()) <= 600


def _imported_modules(path: Path) -> set[str]:
    return {node.module for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module}


@pytest.mark.parametrize("name", TOPICS)
def test_topics_modules_import_one_way(name):
    """A topics module imports none of the ones after it (no cycle, one direction)."""
    later = {f"hbt_analysis.{m}" for m in TOPICS[TOPICS.index(name) + 1:]}
    assert _imported_modules(PACKAGE / f"{name}.py") & later == set()


def _private_imports(path: Path) -> list[str]:
    """`from hbt_analysis… import _name` anywhere in the file (function bodies too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hbt_analysis"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")
                      and not a.name.startswith("__")]
    return found


@pytest.mark.parametrize("path", [
    OPINIONS / "repeats.py", OPINIONS / "evaluate.py", OPINIONS / "reach.py",
    OPINIONS / "ward_items.py", OPINIONS / "item_names.py",
    ROOT / "benchmarks" / "check_staff_links.py",
    *(PACKAGE / f"{name}.py" for name in TOPICS if name != "topic_text"),
], ids=lambda p: p.name)
def test_no_private_name_of_another_module_is_imported(path):
    assert _private_imports(path) == []


def test_the_moved_names_are_where_they_were():
    """Public names moved along a seam are still importable from their old module."""
    from hbt_analysis.opinions import consolidate, reach, same_group, ward_items, worklist

    assert consolidate.same_group_pairs is same_group.same_group_pairs
    assert consolidate.SAME_GROUP_SIMILARITY == same_group.SAME_GROUP_SIMILARITY
    assert ward_items.ward_pieces.__module__ == "hbt_analysis.opinions.ward_items"
    for name in reach.__all__:
        assert getattr(worklist, name) is getattr(reach, name)
        assert name in worklist.__all__


def test_the_topics_names_are_where_they_were():
    """Every public name of hbt_analysis.topics (and the private trie builder that
    opinions.routing and opinions.request_words take from it) is still importable there,
    as the same object as in the module it moved to."""
    from hbt_analysis import topic_model, topic_taxonomy, topic_text, topics

    for name in topics.__all__:
        assert hasattr(topics, name), name
    for module in (topic_taxonomy, topic_text, topic_model):
        for name in module.__all__:
            if hasattr(topics, name):
                assert getattr(topics, name) is getattr(module, name), name
    assert topics.TaxonomyError is topic_taxonomy.TaxonomyError
    assert topics.OTHER == topic_taxonomy.OTHER == "khac"
    assert topics._trie_regex is topic_text.trie_regex
    assert topics.TopicClassifier.__module__ == "hbt_analysis.topics"
