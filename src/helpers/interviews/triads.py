"""Triads: the service user, the carer, the care coordinator and the written plan on the same questions."""

from __future__ import annotations

import pandas as pd

from helpers.io import NO, YES, CodeBook, QualData, TriadItem, load_codebook, split_triads

from .accounts import account_codes

__all__ = [
    "SOURCES",
    "VERDICTS",
    "triad_members",
    "triad_composition",
    "answer",
    "triad_positions",
    "triad_agreement",
    "triad_agreement_summary",
]

#: Who answers a triad question: the three interviews and the written plan.
SOURCES = {"SU": "service user", "CA": "carer", "CC": "care coordinator", "plan": "written plan"}
#: A triad's verdict on one question.
VERDICTS = ("agree", "disagree", "one source", "no answer")


def triad_members(interviews: pd.DataFrame) -> pd.DataFrame:
    """One row per triad and member interview: ``triad_id, site, participant_id, role``.

    Examples
    --------
    >>> iv = pd.DataFrame({"participant_id": ["A-CC-001", "A-SU-001"], "site": "Artois", "role": ["CC", "SU"],
    ...                    "triad_id": ["A-T01; A-T02", "A-T01"]})
    >>> triad_members(iv)[["triad_id", "participant_id"]].values.tolist()
    [['A-T01', 'A-CC-001'], ['A-T02', 'A-CC-001'], ['A-T01', 'A-SU-001']]
    """
    rows = [
        (t, s, p, r)
        for p, s, r, ts in zip(
            interviews["participant_id"], interviews["site"], interviews["role"], interviews["triad_id"]
        )
        for t in split_triads(ts)
    ]
    return pd.DataFrame(rows, columns=["triad_id", "site", "participant_id", "role"])


def triad_composition(q: QualData) -> dict[str, int]:
    """How many triads there are, and how many include each kind of member.

    Returns
    -------
    dict
        ``triads``; ``with_care_coordinator`` and ``with_carer`` (triads with such an
        interview); ``with_plan`` (service users of a triad with a reviewed plan).
    """
    members = triad_members(q.interviews)
    su = members.loc[members["role"] == "SU", "participant_id"]
    return {
        "triads": int(members["triad_id"].nunique()),
        "with_care_coordinator": int(members.loc[members["role"] == "CC", "triad_id"].nunique()),
        "with_carer": int(members.loc[members["role"] == "CA", "triad_id"].nunique()),
        "with_plan": int(su.isin(q.care_plans["participant_id"]).sum()),
    }


def answer(codes: set[str], item: TriadItem) -> str:
    """An interview's answer to a triad question, from the codes it carries.

    ``yes`` with a *yes* code of the question and no *no* code, ``no`` in the opposite
    case, ``both`` with both kinds, ``not mentioned`` with neither.

    Examples
    --------
    >>> item = TriadItem("q", "?", ("a",), ("b",))
    >>> answer({"a"}, item), answer({"b", "x"}, item), answer({"a", "b"}, item), answer(set(), item)
    ('yes', 'no', 'both', 'not mentioned')
    """
    yes, no = bool(codes & set(item.yes)), bool(codes & set(item.no))
    if yes and not no:
        return YES
    if no and not yes:
        return NO
    return "both" if (yes and no) else "not mentioned"


def triad_positions(q: QualData) -> pd.DataFrame:
    """Each triad member's (and the written plan's) answer to each triad question.

    An interview answers by :func:`answer`; a member who was not interviewed is ``no
    interview``. The plan answers with its template field (``yes``/``no``; ``not
    recorded`` when blank, ``no plan`` when the service user has no reviewed plan, ``not in
    template`` when the question has no field).

    Returns
    -------
    DataFrame
        ``triad_id, site, item, question, source, participant_id, position``.
    """
    book = q.codebook
    members = triad_members(q.interviews)
    codes = account_codes(q.interviews, q.framework).groupby("participant_id")["code"].agg(set)
    plans = q.care_plans.set_index("participant_id") if len(q.care_plans) else pd.DataFrame()
    rows = []
    for triad, g in members.groupby("triad_id", sort=True):
        site = g["site"].iloc[0]
        su = g.loc[g["role"] == "SU", "participant_id"]
        su_id = su.iloc[0] if len(su) else None
        for item in book.triad_items:
            for role in ("SU", "CA", "CC"):
                who = g.loc[g["role"] == role, "participant_id"]
                if who.empty:
                    rows.append((triad, site, item.id, item.question, SOURCES[role], None, "no interview"))
                for pid in who:
                    rows.append(
                        (triad, site, item.id, item.question, SOURCES[role], pid, answer(codes.get(pid, set()), item))
                    )
            if item.plan_field is None:
                pos = "not in template"
            elif su_id is None or su_id not in plans.index:
                pos = "no plan"
            else:
                value = plans.at[su_id, item.plan_field]
                pos = "not recorded" if pd.isna(value) else (YES if bool(value) else NO)
            rows.append((triad, site, item.id, item.question, SOURCES["plan"], su_id, pos))
    columns = ["triad_id", "site", "item", "question", "source", "participant_id", "position"]
    return pd.DataFrame(rows, columns=columns)


def triad_agreement(positions: pd.DataFrame) -> pd.DataFrame:
    """Agreement within each triad on each question.

    Rule: among the sources that answer yes or no, ``agree`` when at least two answer
    and all alike, ``disagree`` when both answers occur, ``one source`` when only one
    answers, ``no answer`` when none does.

    Parameters
    ----------
    positions : DataFrame
        :func:`triad_positions`.

    Returns
    -------
    DataFrame
        ``triad_id, site, item, question, n_answering, yes, no, verdict, su_position,
        others_yes`` (``others_yes``: sources other than the service user answering yes).
    """
    rows = []
    for (triad, item), g in positions.groupby(["triad_id", "item"], sort=False):
        answered = g[g["position"].isin([YES, NO])]
        yes, no = int((answered["position"] == YES).sum()), int((answered["position"] == NO).sum())
        n = yes + no
        verdict = "no answer" if n == 0 else "one source" if n == 1 else "disagree" if yes and no else "agree"
        su = g.loc[g["source"] == SOURCES["SU"], "position"]
        others_yes = int(((answered["source"] != SOURCES["SU"]) & (answered["position"] == YES)).sum())
        rows.append(
            {
                "triad_id": triad,
                "site": g["site"].iloc[0],
                "item": item,
                "question": g["question"].iloc[0],
                "n_answering": n,
                "yes": yes,
                "no": no,
                "verdict": verdict,
                "su_position": su.iloc[0] if len(su) else "no interview",
                "others_yes": others_yes,
            }
        )
    columns = ["triad_id", "site", "item", "question", "n_answering", "yes", "no", "verdict", "su_position"]
    return pd.DataFrame(rows, columns=[*columns, "others_yes"])


def triad_agreement_summary(agreement: pd.DataFrame, codebook: CodeBook | None = None) -> pd.DataFrame:
    """Per triad question: how many triads agree, disagree, or cannot be compared.

    ``su_no_others_yes`` counts the disagreements in which the service user said no
    while another source (carer, care coordinator or plan) said yes.

    Parameters
    ----------
    agreement : DataFrame
        :func:`triad_agreement`.
    codebook : CodeBook, optional
        The project's code book by default.

    Returns
    -------
    DataFrame
        ``item, question, n_triads, agree, disagree, one source, no answer,
        su_no_others_yes`` (every question of the code book, zeros without triads).
    """
    codebook = codebook or load_codebook()
    rows = []
    for item in codebook.triad_items:
        g = agreement[agreement["item"] == item.id]
        counts = g["verdict"].value_counts()
        row = {"item": item.id, "question": item.question, "n_triads": int(len(g))}
        row.update({v: int(counts.get(v, 0)) for v in VERDICTS})
        disagree_su_no = (g["verdict"] == "disagree") & (g["su_position"] == NO) & (g["others_yes"] > 0)
        row["su_no_others_yes"] = int(disagree_su_no.sum())
        rows.append(row)
    return pd.DataFrame(rows)
