"""A synthetic COCAPP dataset calibrated to the article's published aggregates.

The study's data are not public. This module writes a dataset in the project's data
contract whose item-level responses, analysed with the project's own scoring and
statistics, give back the published site means and SEMs, ANOVA F values, Cronbach's
alphas, complete-case and analysed counts, correlations and the normality summary. It is
SYNTHETIC: no row is a real person's answers.

How it is built, per participant group:

1. **Missingness plan** (:mod:`helpers.synthetic.missing`): who leaves which items blank.
2. **Latent start** (:mod:`helpers.synthetic.latent`): item responses from a factor model
   scaled to the published targets (:mod:`helpers.synthetic.targets`).
3. **Discrete search** (:mod:`helpers.synthetic.search`): single responses moved by one
   point until every target is met, first with the bands of F, alpha and r widened, then
   at the printed precision (each F printing as published and giving the printed p); the
   site-effect decision is also kept at every stricter threshold of the sensitivity
   analysis. A search that ends with unmet targets starts again from a fresh latent draw.
4. **Covariates exchanged within sites** (:mod:`helpers.synthetic.adjustment`) until the
   ANCOVA decides every site effect as the ANOVA does; no published number moves.
5. **The stated conclusions** (:mod:`helpers.synthetic.conclusions`) are checked with the
   book's own analyses and listed in ``manifest.json`` as met or unmet.

Participant codes begin with ``SYN-`` so that none can be taken for a code the article quotes.

Covariates are not published; their distributions are assumptions kept in
``data/synthetic_assumptions.yaml``. The qualitative tables come from their own random
stream (:mod:`helpers.synthetic.qualitative`), so the questionnaire files do not depend
on them.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.io import (
    GROUPS,
    AnalysisConfig,
    Instrument,
    Published,
    load_dataset,
    load_instruments,
    load_published,
    write_dataset,
)
from helpers.stats import max_missing_items
from helpers.survey import outcome_scores

from .adjustment import align_adjusted_decisions
from .conclusions import stated_conclusions
from .latent import ASSUMPTIONS_FILE, covariates, latent_values
from .missing import plan_missing, total_scored_plan
from .qualitative import ID_PREFIX, write_qualitative
from .search import AnnealedSearch
from .targets import Targets, build_targets, loosened

__all__ = ["GENERATOR", "GENERATOR_VERSION", "generate", "write_synthetic"]

#: Name of the generator in the manifest, and its version (same version, same files per seed).
GENERATOR = "helpers.synthetic"
GENERATOR_VERSION = "2.0.0"
ATTEMPTS = 3  # fresh starts of the search before unmet targets are reported
ADJUSTMENT_STREAM = 7  # the covariate exchanges' own random stream, beside the seed


def _scale_defs(
    inst: Instrument, offset: int, mask: np.ndarray, max_missing: float, thresholds: tuple[float, ...]
) -> list[dict]:
    """Each scale of ``inst``: its item columns in the group's matrix, who is scored on it,
    and who is scored at each stricter threshold of the sensitivity analysis."""
    defs = []
    for scale, members in inst.scales.items():
        pos = [offset + inst.items.index(m) for m in members]
        allowed = max_missing_items(len(members), max_missing)
        gaps = mask[:, [inst.items.index(m) for m in members]].sum(axis=1)
        scored = gaps <= allowed
        stricter = sorted({max_missing_items(len(members), t) for t in thresholds} - {allowed})
        levels = [gaps <= a for a in stricter if a < allowed]
        defs.append(
            {
                "measure": inst.id,
                "subscale": scale,
                "items": pos,
                "is_total": scale == inst.total,
                "mult": len(members) if inst.scoring == "sum" else 1,
                "bounds": (inst.min, inst.max),
                "scored_mask": scored,
                "levels": levels,
            }
        )
    return defs


def _group_frame(
    group: str,
    published: Published,
    instruments: dict[str, Instrument],
    targets: Targets,
    assumptions: dict,
    rng: np.random.Generator,
    pyrng: random.Random,
    max_missing: float,
    alpha: float,
    thresholds: tuple[float, ...],
    progress=None,
) -> tuple[pd.DataFrame, list[str]]:
    returns = published.site_returns(group)
    site_names = list(returns.index)
    site_list = [s for s in site_names for _ in range(int(returns[s]))]
    sites = np.array([site_names.index(s) for s in site_list])
    insts = [i for i in instruments.values() if group in i.groups]

    total_plan = total_scored_plan(np.array(site_list), insts, targets, rng)
    item_names, masks, scale_defs, bounds = [], [], [], []
    for inst in insts:
        offset = len(item_names)
        item_names += list(inst.items)
        bounds += [(inst.min, inst.max)] * len(inst.items)
        mask = plan_missing(np.array(site_list), inst, targets, total_plan[inst.id], rng, max_missing)
        masks.append(mask)
        scale_defs += _scale_defs(inst, offset, mask, max_missing, thresholds)
    mask = np.concatenate(masks, axis=1)
    for _attempt in range(ATTEMPTS):
        # A search that ends in a local minimum starts again from a fresh latent draw
        # (only then is more randomness consumed, so a converging seed is unaffected).
        values = latent_values(sites, site_names, scale_defs, insts, targets, rng, item_names)
        # Two stages: every target with the F bands widened, then the exact F bands (an F must
        # print as published and give the printed p, a band too narrow to aim at while the
        # means are still moving).
        loose = loosened(targets)
        search = AnnealedSearch(values, mask, list(sites), site_names, scale_defs, loose, bounds, pyrng, alpha)
        search.run(log=progress)
        search.retarget(targets)
        search.run(log=progress)
        unmet = search.unmet()
        if not unmet:
            break

    final = np.array([[np.nan if v is None else v for v in row] for row in search.x], dtype=float)
    items = pd.DataFrame(final, columns=item_names)
    # Back to the questionnaire's raw metric: reversed items un-flipped; some gaps are N/A codes.
    for inst in insts:
        if inst.reversed:
            rev = list(inst.reversed)
            items[rev] = inst.min + inst.max - items[rev]
        if inst.missing_codes:
            code = min(inst.missing_codes)
            share = float(assumptions.get("not_applicable_share", {}).get(inst.id, 0.0))
            cols = list(inst.items)
            gaps = items[cols].isna().to_numpy() & (rng.random((len(items), len(cols))) < share)
            items[cols] = items[cols].mask(gaps, code)

    initial = {s: s[0] for s in site_names}
    prefix = "SU" if group == "service_users" else "CC"
    counter = {s: 0 for s in site_names}
    ids = []
    for s in site_list:
        counter[s] += 1
        ids.append(f"{ID_PREFIX}-{initial[s]}-{prefix}Q-{counter[s]:03d}")
    covs = covariates(group, site_list, assumptions, rng)
    frame = pd.concat([pd.DataFrame({"participant_id": ids, "site": site_list}), covs, items], axis=1)
    return frame[[*GROUPS[group].required_columns, *item_names]], unmet


def generate(
    seed: int = 2016,
    published: Published | None = None,
    instruments: dict[str, Instrument] | None = None,
    assumptions: dict | None = None,
    *,
    max_missing: float,
    alpha: float,
    thresholds: tuple[float, ...],
    progress=None,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Generate the synthetic dataset in memory.

    Parameters
    ----------
    seed : int
        Same seed, same data.
    published, instruments, assumptions : optional
        Default to the project's reference tables, instrument files and
        ``data/synthetic_assumptions.yaml``.
    max_missing : float
        Mean-replacement threshold the published analysed counts refer to (the article's
        0.5, the ``max_missing`` of ``config/analysis.yaml``).
    alpha : float
        Significance level whose decisions the targets keep (``AnalysisConfig.alpha``).
    thresholds : tuple of float
        Mean-replacement thresholds of the sensitivity analysis (``AnalysisConfig.sensitivity_thresholds``):
        at each, the site-effect decision is kept as the printed p has it.
    progress : callable, optional
        Called as ``progress(steps, loss, n_unmet)`` every 20,000 search steps.

    Returns
    -------
    tables : dict of str to DataFrame
        ``sites``, ``service_users``, ``care_coordinators``.
    unmet : list of str
        Targets the search did not meet (empty when every target is met).
    """
    published = published or load_published()
    instruments = instruments or load_instruments()
    if assumptions is None:
        assumptions = yaml.safe_load(ASSUMPTIONS_FILE.read_text(encoding="utf-8"))
    targets = build_targets(published, instruments, alpha=alpha)
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    out = {"sites": published.sites.copy()}
    unmet: list[str] = []
    for group in GROUPS:
        out[group], left = _group_frame(
            group,
            published,
            instruments,
            targets[group],
            assumptions,
            rng,
            pyrng,
            max_missing,
            alpha,
            thresholds,
            progress,
        )
        unmet += left
    return out, unmet


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_synthetic(out: str | Path, seed: int = 2016, *, settings: AnalysisConfig) -> dict:
    """Generate the dataset and write it, with ``manifest.json``, to ``out``.

    Parameters
    ----------
    out : str or Path
        The dataset folder to write.
    seed : int
        Same seed, same files.
    settings : AnalysisConfig
        The analysis settings the published numbers and conclusions refer to
        (``max_missing``, ``alpha``, the sensitivity thresholds, the covariates, the
        reference site).

    Returns
    -------
    dict
        The manifest (``synthetic: true``, seed, generator version, checksums of every
        file including the synthetic qualitative tables, ``qualitative``: how those were
        made, and ``conclusions``: each stated conclusion of the article, met or unmet on
        these data).
    """
    out = Path(out)
    tables, unmet = generate(
        seed, max_missing=settings.max_missing, alpha=settings.alpha, thresholds=settings.sensitivity_thresholds
    )
    files = write_dataset(out, tables["sites"], tables["service_users"], tables["care_coordinators"])
    # Covariates exchanged within sites until adjustment changes no site decision (the
    # article's finding); no published number depends on who holds which covariates.
    instruments = load_instruments()
    dataset = load_dataset(out, instruments)
    scores = outcome_scores(dataset, instruments, max_missing=settings.max_missing)
    assumed = yaml.safe_load(ASSUMPTIONS_FILE.read_text(encoding="utf-8"))["covariates"]
    columns = {group: list(assumed[group]) for group in GROUPS}
    _, order = align_adjusted_decisions(
        scores, dataset, settings, columns, np.random.default_rng([seed, ADJUSTMENT_STREAM])
    )
    for group, rows in order.items():
        frame = tables[group]
        for column in columns[group]:  # column by column, so that each keeps its type
            frame[column] = frame[column].iloc[rows].to_numpy()
    files = write_dataset(out, tables["sites"], tables["service_users"], tables["care_coordinators"])
    manifest = {
        "synthetic": True,
        "description": "SYNTHETIC data generated to reproduce the published aggregates of the COCAPP study. "
        "No row is a real participant.",
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "assumptions": ASSUMPTIONS_FILE.name,
        "unmet_targets": unmet,
        "files": {Path(p).name: {"sha256": _sha256(Path(p)), "rows": int(len(tables[t]))} for t, p in files.items()},
    }
    # The qualitative strand: interviews, framework and care plans from their own random stream,
    # so the questionnaire files above do not depend on it.
    qualitative = write_qualitative(out, seed)
    manifest["files"].update(qualitative["files"])
    manifest["qualitative"] = qualitative["qualitative"]
    conclusions = stated_conclusions(load_dataset(out, instruments), instruments, load_published(), settings)
    manifest["conclusions"] = [
        {"conclusion": r.conclusion, "statement": r.statement, "met": bool(r.met), "detail": r.detail}
        for r in conclusions.itertuples(index=False)
    ]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
