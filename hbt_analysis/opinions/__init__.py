"""What people raised, and what happens to it: counts, words, themes, year-on-year shifts,
follow-up, and the consolidated list of requests (ý kiến, kiến nghị).

One module per concern; every public name is importable from here
(``from hbt_analysis import opinions as op; op.count_by_topic(...)``):

- ``scope``: which opinions a report is about, classified once per year (:func:`prepare`);
- ``counts``: opinions per topic, ward, group, level, per 100 attending households;
- ``words``: the words people used (TF-IDF), themes without the taxonomy, typical opinions;
- ``shifts``: year on year, with the test behind "a clear change";
- ``followup``: the status the data records;
- ``find``: search that ignores diacritics and tone placement;
- ``sentences``: the plain sentences at the top of a report;
- the list that gets acted on (``worklist``, over the once-a-year work of ``yearly``):
  ``similarity`` (how alike two requests are, from ``request_words``: what is asked, its
  objects and actions, and ``places``: where), ``consolidate`` (tổng hợp: one item per
  request; within a ward, ``ward_items``), ``linking`` (group level → ward level; where
  staff keyed a ward-level opinion like group-level ones, their link wins; its tables in
  ``reach``), ``repeats`` (raised again),
  ``routing`` (who must answer, resources/routing.yaml), ``evaluate`` (scores against a
  labelled set), ``staff_items`` (where the office grouped opinions itself, its grouping
  wins; the machine's agreement with it);
- ``display``: the reader's labels and :func:`display_table`.

Every function takes an opinions frame that already carries its topics (`topic_primary`,
`topic_secondary`: see topics.classify_opinions, or :func:`prepare` for a loaded year), so
the analysis can be tested on small hand-made frames. Functions return tidy frames with
English column names and raw numbers; :func:`display_table` turns any of them into what a
reader sees (Vietnamese headers, 35.323 and 68,6%).
"""

from __future__ import annotations

from hbt_analysis.opinions.counts import (
    count_by_group,
    count_by_topic,
    count_by_ward,
    opinions_per_100,
    topic_long,
    topic_shares,
    topic_ward_table,
    where_table,
)
from hbt_analysis.opinions.display import (
    COLUMN_LABELS,
    LEVEL_CHOICES,
    TOPIC_COLUMNS,
    OpinionsInputError,
    column_label,
    display_table,
    level_label,
    texts_for_showing,
    topic_label,
)
from hbt_analysis.opinions.find import search, search_results
from hbt_analysis.opinions.followup import has_status, status_sentence, status_shares
from hbt_analysis.opinions.reach import (
    link_agreement_table,
    links_table,
    reach_summary_sentence,
    reach_table,
    unreached_table,
)
from hbt_analysis.opinions.scope import check_level, prepare, scope_wards, select
from hbt_analysis.opinions.sentences import headline, summary_sentence, ward_sentence
from hbt_analysis.opinions.shifts import (
    compare_with_previous,
    previous_year,
    shift_note,
    shift_sentence,
    topic_shifts,
)
from hbt_analysis.opinions.staff_items import agreement_table as staff_agreement_table
from hbt_analysis.opinions.staff_items import grouping_sentence
from hbt_analysis.opinions.words import (
    THEME_STOPWORDS,
    opinion_terms,
    readable_term,
    representative_opinions,
    term_kind,
    themes,
    top_terms,
    top_terms_table,
)
from hbt_analysis.opinions.worklist import (
    MEMBERS_SHOWN,
    consolidated,
    consolidated_members,
    items_html,
    raised_again_table,
    repeats_summary_sentence,
    request_sentences,
    requests_table,
    routes,
    routes_by_ward,
    routing_agreement_table,
    routing_summary_sentence,
    worklist_bullets,
    year_repeats,
)
from hbt_analysis.opinions.yearly import precompute_year, precompute_years
from hbt_analysis.stats import two_proportion_z, wilson_interval

__all__ = [
    "COLUMN_LABELS",
    "LEVEL_CHOICES",
    "MEMBERS_SHOWN",
    "THEME_STOPWORDS",
    "TOPIC_COLUMNS",
    "OpinionsInputError",
    "check_level",
    "column_label",
    "compare_with_previous",
    "consolidated",
    "consolidated_members",
    "count_by_group",
    "count_by_topic",
    "count_by_ward",
    "display_table",
    "grouping_sentence",
    "has_status",
    "headline",
    "items_html",
    "level_label",
    "link_agreement_table",
    "links_table",
    "opinion_terms",
    "opinions_per_100",
    "precompute_year",
    "precompute_years",
    "prepare",
    "previous_year",
    "raised_again_table",
    "reach_summary_sentence",
    "reach_table",
    "readable_term",
    "repeats_summary_sentence",
    "representative_opinions",
    "request_sentences",
    "requests_table",
    "routes",
    "routes_by_ward",
    "routing_agreement_table",
    "routing_summary_sentence",
    "scope_wards",
    "search",
    "search_results",
    "select",
    "shift_note",
    "shift_sentence",
    "staff_agreement_table",
    "status_sentence",
    "status_shares",
    "summary_sentence",
    "term_kind",
    "texts_for_showing",
    "themes",
    "top_terms",
    "top_terms_table",
    "topic_label",
    "topic_long",
    "topic_shares",
    "topic_shifts",
    "topic_ward_table",
    "two_proportion_z",
    "unreached_table",
    "ward_sentence",
    "where_table",
    "wilson_interval",
    "worklist_bullets",
    "year_repeats",
]
