"""SYNTHETIC qualitative material: interviews, a coded framework matrix and care-plan reviews.

The study's transcripts, matrix and care plans are not public. This module writes
tables in the qualitative data contract (:mod:`helpers.io`) whose coded
patterns carry the findings the article reports in words. Nothing in them is a
real participant's account: every summary is assembled from sentence templates
written for this project (``data/qualitative/summary_templates.yaml``), chosen by
the codes each synthetic interview received.

How it is built:

1. **Interviews.** Exactly the article's Table 1 counts per site and role, labelled
   in the article's form behind a synthetic prefix (``SYN-B-SU-001``), so that no label
   can be taken for one the article quotes. Each service user opens a triad
   (``SYN-B-T01``); the site's carers are attached to distinct service users at random
   and the site's care coordinators to the service users in turn (a coordinator may
   belong to several triads).
2. **Codes.** For each group of mutually exclusive codes in
   ``data/qualitative/synthetic_patterns.yaml``, each site's accounts of a role get
   the group's codes in counts allocated by systematic sampling from the role's
   shares (so a site's count is its expected count rounded up or down), then shuffled
   among the accounts. Shares differ by country only where the file says so (personal
   budgets); carers' involvement is made to vary within every site with two or more
   carers, and a carer's code is matched to their service user's where the counts allow.
3. **Summaries.** One sentence per code in each charted cell, drawn among the
   template's variants for the participant's perspective; a cell without a code gets
   a neutral sentence.
4. **Care plans.** One per interviewed service user; each template field is "yes"
   with a probability that may depend on the codes of the service user's or carer's
   interview (a plan is more often marked as shared when the service user described
   risk as discussed, for instance).

The random stream is separate from the survey data's: it is seeded with
``[seed, QUALITATIVE_STREAM]``, so adding or changing the qualitative material never
changes the questionnaire files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.io import (
    FORMATS,
    QUALITATIVE_DIR,
    ROLE_ORDER,
    TABLE1_COLUMNS,
    CodeBook,
    Published,
    join_codes,
    load_codebook,
    load_published,
    participant_label,
    site_initial,
)

__all__ = [
    "QUALITATIVE_STREAM",
    "PATTERNS_FILE",
    "TEMPLATES_FILE",
    "QUALITATIVE_GENERATOR",
    "QUALITATIVE_GENERATOR_VERSION",
    "COUNTRY_WORDS",
    "PERSPECTIVE",
    "templates_for",
    "generate_qualitative",
    "write_qualitative",
]

#: Name of this generator in the manifest, and its version (same version, same tables per seed).
QUALITATIVE_GENERATOR = "helpers.synthetic.qualitative"
QUALITATIVE_GENERATOR_VERSION = "1.1.0"
#: Every synthetic participant code begins with this, so that none can be taken for a code
#: the article quotes (A-SU-002, B-SM-001, ...).
ID_PREFIX = "SYN"
#: Second entropy word of the qualitative random stream (any fixed number would do).
QUALITATIVE_STREAM = 51_147
PATTERNS_FILE = QUALITATIVE_DIR / "synthetic_patterns.yaml"
TEMPLATES_FILE = QUALITATIVE_DIR / "summary_templates.yaml"
#: Words filled into the templates by country.
COUNTRY_WORDS = {
    "England": {"plan": "CPA care plan", "process": "the CPA", "policy": "national CPA guidance"},
    "Wales": {
        "plan": "care and treatment plan",
        "process": "the CTP process",
        "policy": "the Mental Health (Wales) Measure",
    },
}
#: Whose perspective the templates take, by interview role.
PERSPECTIVE = {"SM": "staff", "SP": "staff", "CC": "cc", "SU": "su", "CA": "ca"}
_FALLBACK = {"cc": "staff"}


def _load_yaml(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _allocate(n: int, shares: list[float], rng: np.random.Generator) -> list[int]:
    """Counts for each category (the rest get none) by systematic sampling: each count is
    ``n * share`` rounded down or up, and the counts never exceed ``n`` together."""
    if n == 0 or not shares:
        return [0] * len(shares)
    u = rng.random()
    cum = np.concatenate([[0.0], n * np.cumsum(shares)])
    edges = np.floor(cum + u)
    counts = np.diff(edges).astype(int)
    return [int(c) for c in np.minimum(counts, n)]


def templates_for(templates: dict, code: str, perspective: str) -> list[str]:
    """The template sentences of ``code`` for ``perspective`` (staff sentences stand in for care coordinators)."""
    spec = templates["codes"].get(code, {})
    if perspective in spec:
        return spec[perspective]
    fallback = _FALLBACK.get(perspective)
    return spec.get(fallback, []) if fallback else []


def _neutral_for(templates: dict, theme: str, perspective: str) -> list[str]:
    spec = templates["neutral"].get(theme, {})
    return spec.get(perspective) or spec.get(_FALLBACK.get(perspective, ""), []) or ["Nothing further raised."]


class _Builder:
    def __init__(
        self, published: Published, codebook: CodeBook, patterns: dict, templates: dict, rng: np.random.Generator
    ):
        self.pub, self.book, self.patterns, self.templates, self.rng = published, codebook, patterns, templates, rng

    # ------------------------------------------------------------------ interviews and triads
    def interviews(self) -> pd.DataFrame:
        rows = []
        for rec in self.pub.sites.itertuples(index=False):
            initial = site_initial(rec.site)
            ids = {
                role: [f"{ID_PREFIX}-{participant_label(rec.site, role, k + 1)}" for k in range(int(getattr(rec, col)))]
                for role, col in TABLE1_COLUMNS.items()
            }
            triad_of = {su: f"{ID_PREFIX}-{initial}-T{k + 1:02d}" for k, su in enumerate(ids["SU"])}
            triads = {pid: [] for role in ROLE_ORDER for pid in ids[role]}
            for su, t in triad_of.items():
                triads[su].append(t)
            if ids["CA"]:
                chosen = sorted(self.rng.choice(len(ids["SU"]), size=len(ids["CA"]), replace=False))
                for ca, k in zip(ids["CA"], chosen):
                    triads[ca].append(triad_of[ids["SU"][k]])
            if ids["CC"]:
                order = [ids["CC"][k] for k in self.rng.permutation(len(ids["CC"]))]
                for k, su in enumerate(ids["SU"]):
                    triads[order[k % len(order)]].append(triad_of[su])
            for role in ROLE_ORDER:
                for pid in ids[role]:
                    rows.append(
                        {
                            "participant_id": pid,
                            "site": rec.site,
                            "role": role,
                            "triad_id": join_codes(sorted(triads[pid])) or None,
                        }
                    )
        return pd.DataFrame(rows, columns=["participant_id", "site", "role", "triad_id"])

    # ------------------------------------------------------------------ codes
    def codes(self, interviews: pd.DataFrame) -> dict[str, list[str]]:
        country = self.pub.sites.set_index("site")["country"]
        assigned: dict[str, list[str]] = {pid: [] for pid in interviews["participant_id"]}
        su_of_carer = {}
        for _triad, g in _explode(interviews).groupby("triad"):
            su = g.loc[g["role"] == "SU", "participant_id"]
            for ca in g.loc[g["role"] == "CA", "participant_id"]:
                su_of_carer[ca] = su.iloc[0] if len(su) else None
        for group in self.patterns["groups"]:
            codes = list(group["shares"])
            for site in self.pub.sites["site"]:
                shares_by_code = group.get("by_country", {}).get(country[site], group["shares"])
                for role in ROLE_ORDER:
                    shares = [float((shares_by_code.get(c) or {}).get(role, 0.0)) for c in codes]
                    if not any(shares):
                        continue
                    people = list(
                        interviews.loc[(interviews["site"] == site) & (interviews["role"] == role), "participant_id"]
                    )
                    counts = _allocate(len(people), shares, self.rng)
                    if role in group.get("vary_within_site", []) and len(people) >= 2 and len(codes) >= 2:
                        counts = _ensure_both(counts, len(people))
                    pool = [c for c, k in zip(codes, counts) for _ in range(k)]
                    pool += [None] * (len(people) - len(pool))
                    align = float(group.get("align_carer", 0.0)) if role == "CA" else 0.0
                    for pid, code in zip(*self._assign(people, pool, align, assigned, su_of_carer, codes)):
                        if code is not None:
                            assigned[pid].append(code)
        return assigned

    def _assign(self, people, pool, align, assigned, su_of_carer, codes):
        pool = [pool[k] for k in self.rng.permutation(len(pool))]
        if align <= 0:
            return people, pool
        remaining = list(pool)
        chosen = {}
        for k in self.rng.permutation(len(people)):
            pid = people[k]
            su = su_of_carer.get(pid)
            target = next((c for c in assigned.get(su, []) if c in codes), None) if su else None
            if target in remaining and self.rng.random() < align:
                chosen[pid] = target
                remaining.remove(target)
        rest = [p for p in people if p not in chosen]
        for pid, code in zip(rest, remaining):
            chosen[pid] = code
        return people, [chosen[p] for p in people]

    # ------------------------------------------------------------------ framework
    def framework(self, interviews: pd.DataFrame, assigned: dict[str, list[str]]) -> pd.DataFrame:
        country = self.pub.sites.set_index("site")["country"]
        rows = []
        for rec in interviews.itertuples(index=False):
            spec = self.patterns["themes"][rec.role]
            charted = set(spec.get("always", []))
            for theme, p in spec.get("sometimes", {}).items():
                if self.rng.random() < float(p):
                    charted.add(theme)
            codes = assigned[rec.participant_id]
            charted |= {self.book.codes[c].theme for c in codes}
            words = COUNTRY_WORDS.get(country[rec.site], COUNTRY_WORDS["England"])
            perspective = PERSPECTIVE[rec.role]
            for theme in self.book.theme_ids:
                if theme not in charted:
                    continue
                in_theme = [c for c in self.book.codes if c in codes and self.book.codes[c].theme == theme]
                sentences = []
                for code in in_theme:
                    options = templates_for(self.templates, code, perspective)
                    if not options:
                        raise ValueError(
                            f"{TEMPLATES_FILE.name}: no template for code {code!r} and perspective {perspective!r}"
                        )
                    sentences.append(options[int(self.rng.integers(len(options)))])
                if not sentences:
                    options = _neutral_for(self.templates, theme, perspective)
                    sentences.append(options[int(self.rng.integers(len(options)))])
                summary = " ".join(s.format(**words) for s in sentences)
                rows.append(
                    {
                        "participant_id": rec.participant_id,
                        "theme": theme,
                        "summary": summary,
                        "codes": join_codes(in_theme),
                    }
                )
        return pd.DataFrame(rows, columns=["participant_id", "theme", "summary", "codes"])

    # ------------------------------------------------------------------ care plans
    def care_plans(self, interviews: pd.DataFrame, assigned: dict[str, list[str]]) -> pd.DataFrame:
        spec = self.patterns["care_plans"]
        members = _explode(interviews)
        rows = []
        for rec in interviews[interviews["role"] == "SU"].itertuples(index=False):
            triad = rec.triad_id
            carers = members.loc[(members["triad"] == triad) & (members["role"] == "CA"), "participant_id"].tolist()
            su_codes = assigned[rec.participant_id]
            row = {"participant_id": rec.participant_id, "triad_id": triad, "site": rec.site}
            probs = {}
            for name in self.book.plan_field_ids:
                if name in spec["base"]:
                    probs[name] = float(spec["base"][name])
                elif name in spec["by_service_user"]:
                    rule = spec["by_service_user"][name]
                    probs[name] = float(next((v for c, v in rule.items() if c in su_codes), rule["default"]))
                elif name == "carer_involved":
                    rule = spec["carer_involved"]
                    if not carers:
                        probs[name] = float(rule["no_carer"])
                    else:
                        ca_codes = assigned[carers[0]]
                        probs[name] = float(next((v for c, v in rule.items() if c in ca_codes), rule["default"]))
                else:
                    probs[name] = 0.5
            for name in self.book.plan_field_ids:
                yes = self.rng.random() < probs[name]
                if name == "risk_assessment_shared" and row.get("risk_assessment_present") == "no":
                    yes = False
                value = "yes" if yes else "no"
                if self.rng.random() < float(spec.get("blank", {}).get(name, 0.0)):
                    value = ""
                row[name] = value
            rows.append(row)
        return pd.DataFrame(rows, columns=["participant_id", "triad_id", "site", *self.book.plan_field_ids])


def _explode(interviews: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (t.strip(), pid, role)
        for pid, role, ts in zip(interviews["participant_id"], interviews["role"], interviews["triad_id"])
        if isinstance(ts, str)
        for t in ts.split(";")
        if t.strip()
    ]
    return pd.DataFrame(rows, columns=["triad", "participant_id", "role"])


def _ensure_both(counts: list[int], n: int) -> list[int]:
    """At least one account with each of the first two codes, when ``n`` allows.

    A missing code takes an account that has none of the group's codes or, failing
    that, one from the largest other count that can spare it.
    """
    counts = list(counts)
    for k in (0, 1):
        if counts[k] > 0:
            continue
        if n - sum(counts) > 0:
            counts[k] = 1
            continue
        donors = [j for j in range(len(counts)) if j != k and counts[j] > (1 if j in (0, 1) else 0)]
        if donors:
            j = max(donors, key=lambda j: counts[j])
            counts[j] -= 1
            counts[k] = 1
    return counts


def generate_qualitative(
    seed: int = 2016,
    published: Published | None = None,
    codebook: CodeBook | None = None,
    patterns: dict | None = None,
    templates: dict | None = None,
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic interviews, framework (long form) and care plans in memory.

    Parameters
    ----------
    seed : int
        Same seed, same material (the stream ``[seed, QUALITATIVE_STREAM]``).
    published, codebook, patterns, templates : optional
        Default to Table 1 (``data/reference``), ``data/qualitative`` and its
        ``synthetic_patterns.yaml`` and ``summary_templates.yaml``.

    Returns
    -------
    dict of str to DataFrame
        ``interviews``, ``framework``, ``care_plans`` as written to CSV (text cells).
    """
    published = published or load_published()
    codebook = codebook or load_codebook()
    patterns = patterns or _load_yaml(PATTERNS_FILE)
    templates = templates or _load_yaml(TEMPLATES_FILE)
    rng = np.random.default_rng([int(seed), QUALITATIVE_STREAM])
    build = _Builder(published, codebook, patterns, templates, rng)
    interviews = build.interviews()
    assigned = build.codes(interviews)
    framework = build.framework(interviews, assigned)
    plans = build.care_plans(interviews, assigned)
    return {"interviews": interviews, "framework": framework, "care_plans": plans}


def write_qualitative(out: str | Path, seed: int = 2016) -> dict:
    """Write ``interviews.csv``, ``framework.csv`` and ``care_plans.csv`` to ``out``.

    Returns
    -------
    dict
        ``files``: ``{name: {"sha256", "rows"}}`` for the manifest, and ``qualitative``:
        the manifest's description of the synthetic qualitative material.
    """
    out = Path(out)
    tables = generate_qualitative(seed)
    clashes = [out / f"{t}{ext}" for t in tables for ext in FORMATS[1:] if (out / f"{t}{ext}").exists()]
    clashes += [out / f"framework_matrix{ext}" for ext in FORMATS if (out / f"framework_matrix{ext}").exists()]
    if clashes:
        raise FileExistsError(
            f"{out} already holds {', '.join(p.name for p in clashes)}; remove it before "
            "writing the synthetic qualitative tables"
        )
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        files[path.name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "rows": int(len(frame))}
    about = {
        "synthetic": True,
        "generator": QUALITATIVE_GENERATOR,
        "generator_version": QUALITATIVE_GENERATOR_VERSION,
        "seed": int(seed),
        "stream": QUALITATIVE_STREAM,
        "patterns": PATTERNS_FILE.name,
        "templates": TEMPLATES_FILE.name,
        "description": "SYNTHETIC interviews, framework summaries and care-plan reviews. Summaries are assembled "
        "from templates written for this project and carry coded patterns that follow the "
        "article's qualitative findings; no summary is a real participant's account.",
    }
    return {"files": files, "qualitative": about}
