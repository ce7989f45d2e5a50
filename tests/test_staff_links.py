"""Where the office gave a ward-level opinion the key of group-level ones, that is the link.

A real workbook (openpyxl, the headers offices use) whose staff_item column keys one
ward-level opinion like two group-level opinions of its ward that the machine does not link
to it; loaded through `hbt.load` like any year. The links, what reached the ward conference,
the leader's sentence and the analyst's agreement are read back from the public calls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import opinions as op
from hbt_analysis.opinions.linking import link_agreement
from hbt_analysis.opinions.yearly import year_requests
from tests.conftest import needs_bundled_data
from tests.test_staff_items import _bundled_opinions, _write_year

pytestmark = needs_bundled_data


def _choose() -> dict[str, object]:
    """A ward-level opinion with machine links, and two group-level opinions of its ward the
    machine links to no ward opinion at all (the staff saw what the words do not show)."""
    ds = hbt.load(2023)
    links = year_requests(ds).links()
    ops = _bundled_opinions()
    ward_op = links["ward_opinion_id"].value_counts().index[0]
    ward = links.loc[links["ward_opinion_id"] == ward_op, "ward_code"].iloc[0]
    group = ops[(ops["level"] == "to_dan_pho") & (ops["ward_code"] == ward)]
    free = [o for o in group["opinion_id"] if o not in set(links["opinion_id"])]
    machine = links.loc[links["ward_opinion_id"] == ward_op, "opinion_id"].tolist()
    return {"ward": ward, "ward_op": ward_op, "sources": free[:2], "machine": machine}


@pytest.fixture(scope="module")
def linked_year(tmp_path_factory):
    chosen = _choose()
    # as staff type a key: the case and the spacing vary
    keys = {chosen["ward_op"]: "KN-7", chosen["sources"][0]: "kn-7",
            chosen["sources"][1]: " KN-7 "}
    root = _write_year(tmp_path_factory.mktemp("links"), keys)
    chosen["root"] = root
    return hbt.load(2023, root), chosen


def test_staffs_key_is_the_link_and_replaces_the_machines(linked_year):
    ds, chosen = linked_year
    links = year_requests(ds).links()
    own = links[links["ward_opinion_id"] == chosen["ward_op"]]
    assert set(own["opinion_id"]) == set(chosen["sources"])
    assert set(own["source"]) == {"staff"}
    assert own["similarity"].notna().all() and list(own["rank"]) == [1, 2]
    # the other ward opinions keep the machine's links, marked so
    rest = links[links["ward_opinion_id"] != chosen["ward_op"]]
    assert len(rest) and set(rest["source"]) == {"machine"}
    bundled = year_requests(hbt.load(2023)).links()
    pd.testing.assert_frame_equal(
        rest.drop(columns="source").reset_index(drop=True),
        bundled[bundled["ward_opinion_id"] != chosen["ward_op"]].reset_index(drop=True))


def test_the_machines_own_links_are_kept_for_the_agreement(linked_year):
    ds, chosen = linked_year
    yr = year_requests(ds)
    machine = yr.links(staff=False)
    mine = machine[machine["ward_opinion_id"] == chosen["ward_op"]]
    assert list(mine["opinion_id"]) == chosen["machine"]
    score = link_agreement(yr.links(), machine)
    assert score["ward_opinions"] == 1 and score["staff_links"] == 2
    assert score["machine_links"] == len(chosen["machine"]) and score["both"] == 0
    assert score["precision"] == 0 and score["recall"] == 0 and score["f1"] == 0
    table = op.link_agreement_table(ds, chosen["ward"])
    assert table.iloc[0].tolist() == ["1", "2", str(len(chosen["machine"])), "0",
                                      "0,00", "0,00", "0,00"]
    assert "cán bộ đã gắn nguồn" in table.columns[0]
    assert op.link_agreement_table(hbt.load(2023)).empty  # no staff keys: nothing to show


def test_what_reached_the_ward_conference_follows_the_staffs_link(linked_year):
    ds, chosen = linked_year
    reach = op.reach_table(ds, chosen["ward"])
    carried = reach[reach["ward_opinion_id"] == chosen["ward_op"]]
    members = {m for ms in carried["members"] for m in ms}
    assert set(chosen["sources"]) <= members and carried["reached"].all()
    # the group opinions only the machine's link of that ward opinion carried are no
    # longer carried: their requests did not reach the ward conference
    still = set(year_requests(ds).links()["opinion_id"])
    left = set(chosen["machine"]) - still
    assert left
    for _, item in reach[reach["members"].map(lambda ms: bool(set(ms) & left))].iterrows():
        assert item["reached"] == bool(set(item["members"]) & still)
    assert not reach[reach["members"].map(lambda ms: bool(set(ms) & left))]["reached"].all()


def test_the_leaders_sentence_says_once_whose_links_these_are(linked_year):
    ds, chosen = linked_year
    text = op.reach_summary_sentence(ds, chosen["ward"])
    ward_level = (ds.opinions["level"] == "phuong") & (ds.opinions["ward_code"] == chosen["ward"])
    assert text.count("Cán bộ đã ghi nguồn") == 1
    assert (f"Cán bộ đã ghi nguồn ở tổ dân phố cho 1 ý kiến cấp phường; {ward_level.sum() - 1} "
            "ý kiến còn lại do máy đối chiếu.") in text
    english = op.reach_summary_sentence(ds, chosen["ward"], lang="en")
    assert "Staff recorded the group-level sources of 1 ward-level opinion; the machine " \
        "matched the other" in english
    plain = op.reach_summary_sentence(hbt.load(2023), chosen["ward"])
    assert "cán bộ" not in plain


def test_a_ward_key_no_group_opinion_shares_leaves_the_machines_link(tmp_path):
    chosen = _choose()
    ds = hbt.load(2023, _write_year(tmp_path, {chosen["ward_op"]: "KN-99"}))
    links = year_requests(ds).links()
    own = links[links["ward_opinion_id"] == chosen["ward_op"]]
    assert list(own["opinion_id"]) == chosen["machine"]
    assert set(own["source"]) == {"machine"}
    assert op.link_agreement_table(ds).empty



def test_where_no_key_matched_the_links_are_computed_once(tmp_path, monkeypatch):
    """A staff_item column whose ward keys no group opinion shares (every numbered minutes
    import): the links in force are the machine's own, and are computed once for both."""
    from hbt_analysis.opinions import linking

    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")
    chosen = _choose()
    ds = hbt.load(2023, _write_year(tmp_path, {chosen["ward_op"]: "KN-99"}))
    yr = year_requests(ds)
    calls = []
    real = linking.link_ward_opinions

    def counted(*args, **kwargs):
        calls.append(kwargs.get("staff"))
        return real(*args, **kwargs)

    monkeypatch.setattr(linking, "link_ward_opinions", counted)
    machine, links = yr.links(staff=False), yr.links()
    assert len(calls) == 1
    pd.testing.assert_frame_equal(machine, links)
    assert set(links["source"]) == {"machine"}


def test_where_staff_linked_the_machines_own_links_are_computed_apart(linked_year,
                                                                      monkeypatch):
    from hbt_analysis.opinions import linking
    from hbt_analysis.opinions.yearly import YearRequests

    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")
    calls = []
    real = linking.link_ward_opinions
    monkeypatch.setattr(linking, "link_ward_opinions",
                        lambda *a, **k: calls.append(k.get("staff")) or real(*a, **k))
    ds, chosen = linked_year
    yr = YearRequests(year_requests(ds).opinions, 2023)
    machine = yr.links(staff=False)
    yr.links()
    assert sorted(calls) == [False, True]  # the staff's and the machine's: not one for both
    mine = machine[machine["ward_opinion_id"] == chosen["ward_op"]]
    assert list(mine["opinion_id"]) == chosen["machine"]


def _unlinked_ward_opinion(chosen: dict) -> tuple[str, str, list[str]]:
    """A ward-level opinion of another ward the machine links to nothing, its ward, and two
    group-level opinions of that ward the machine links to no ward opinion."""
    links = year_requests(hbt.load(2023)).links()
    ops = _bundled_opinions()
    ward_level = ops[(ops["level"] == "phuong") & (ops["ward_code"] != chosen["ward"])
                     & ~ops["opinion_id"].isin(links["ward_opinion_id"])]
    for oid, ward in zip(ward_level["opinion_id"], ward_level["ward_code"], strict=True):
        group = ops[(ops["level"] == "to_dan_pho") & (ops["ward_code"] == ward)
                    & ~ops["opinion_id"].isin(links["opinion_id"])]
        if len(group) >= 2:
            return oid, ward, group["opinion_id"].tolist()[:2]
    raise AssertionError("the bundled year has no unlinked ward-level opinion")


def test_the_agreement_in_part_and_where_the_machine_found_no_link(tmp_path):
    """Staff keep one of the machine's links and add one: P = 1 / machine's links, R = 1/2.
    Where the machine links nothing to the keyed opinion, it has no precision: "—", not
    "1,00"."""
    chosen = _choose()
    unlinked, other_ward, free = _unlinked_ward_opinion(chosen)
    kept = chosen["machine"][0]
    ds = hbt.load(2023, _write_year(tmp_path, {
        chosen["ward_op"]: "KN-1", kept: "KN-1", chosen["sources"][0]: "KN-1",
        unlinked: "KN-2", free[0]: "KN-2", free[1]: "KN-2"}))
    yr = year_requests(ds)
    n = len(chosen["machine"])
    score = link_agreement(yr.links()[lambda x: x["ward_code"] == chosen["ward"]],
                           yr.links(staff=False))
    assert (score["staff_links"], score["machine_links"], score["both"]) == (2, n, 1)
    assert score["precision"] == pytest.approx(1 / n) and score["recall"] == 0.5
    assert score["f1"] == pytest.approx(2 * (1 / n) * 0.5 / (1 / n + 0.5))
    table = op.link_agreement_table(ds, chosen["ward"])
    assert table.iloc[0].tolist()[3:] == [
        "1", f"{1 / n:.2f}".replace(".", ","), "0,50",
        f"{score['f1']:.2f}".replace(".", ",")]
    none = link_agreement(yr.links()[lambda x: x["ward_code"] == other_ward],
                          yr.links(staff=False))
    assert (none["staff_links"], none["machine_links"], none["both"]) == (2, 0, 0)
    assert np.isnan(none["precision"]) and none["recall"] == 0 and none["f1"] == 0
    assert op.link_agreement_table(ds, other_ward).iloc[0].tolist()[3:] == [
        "0", "—", "0,00", "0,00"]

def test_a_ward_key_only_other_wards_groups_have_is_warned_naming_the_row(tmp_path):
    import subprocess
    import sys

    chosen = _choose()
    ops = _bundled_opinions()
    other = ops[(ops["level"] == "to_dan_pho") & (ops["ward_code"] != chosen["ward"])]
    elsewhere = other["opinion_id"].tolist()[:2]
    root = _write_year(tmp_path, {chosen["ward_op"]: "KN-5", elsewhere[0]: "KN-5",
                                  elsewhere[1]: "KN-5"})
    ds = hbt.load(2023, root)
    warned = [p for p in ds.warnings if p.code == "ward_key_of_other_wards"]
    row = 2 + int(ops.index[ops["opinion_id"] == chosen["ward_op"]][0])  # under the header
    assert len(warned) == 1 and warned[0].row == row
    assert "y_kien_2023.xlsx" in warned[0].file
    assert "KN-5" in warned[0].message_vi and "phường khác" in warned[0].message_vi
    assert "other wards" in warned[0].message_en
    # its links stay the machine's
    links = year_requests(ds).links()
    assert set(links.loc[links["ward_opinion_id"] == chosen["ward_op"], "opinion_id"]) == set(
        chosen["machine"])
    done = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate",
                           str(root / "2023"), "--data-dir", str(root)],
                          capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in out
    lines = out.splitlines()
    said = next(k for k, line in enumerate(lines) if "KN-5" in line)
    where = lines[said - 1]  # the warning's location, above its message
    assert "y_kien_2023.xlsx" in where and f"dòng/row {row}," in where


@pytest.mark.slow
def test_the_report_says_it_and_the_analysts_notebook_shows_the_agreement(linked_year,
                                                                          tmp_path):
    """`hbt report` (the real CLI, a real kernel) on the keyed year, one ward's 03."""
    import json
    import subprocess
    import sys

    _, chosen = linked_year
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "report", "--data-dir",
                           str(chosen["root"]), "--year", "2023", "--ward", chosen["ward"],
                           "--notebook", "03_opinions", "--output", str(out), "--workers", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    page = next(out.glob(f"2023/2*/{chosen['ward']}/03_opinions.html")).read_text("utf-8")
    assert page.count("Cán bộ đã ghi nguồn ở tổ dân phố cho 1 ý kiến cấp phường") == 1
    assert "cán bộ đã gắn nguồn" not in page  # the agreement is the analyst's, not the page's
    nb = json.loads(next(out.glob(f"2023/2*/{chosen['ward']}/03_opinions.ipynb")).read_text(
        "utf-8"))
    cell = next(c for c in nb["cells"] if "link_agreement_table" in "".join(c["source"]))
    shown = "".join(o.get("data", {}).get("text/html", "") if isinstance(
        o.get("data", {}).get("text/html", ""), str) else "".join(o["data"]["text/html"])
        for o in cell["outputs"])
    assert "cán bộ đã gắn nguồn" in shown and "0,00" in shown
