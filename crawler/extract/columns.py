"""Mapping a site's column name onto the reference layout of 《建始网》's 信息公开.

Three steps, most certain first:
  exact    the normalised name is a reference column's name;
  synonym  it is one of the column's accepted synonyms;
  fuzzy    after stripping suffix noise (信息, 公开, 栏目 ...), the best score over
           every reference name and synonym reaches FUZZY_CUTOFF, where the score is
           the larger of
             - rapidfuzz's ratio (edit similarity, 0-100);
             - SAME_CORE_SCORE when both strip to the same core ("人事任免信息", "人事任免");
             - CONTAINED_SCORE when one holds the other, the shorter at least three
               characters and half as long ("工作流程图" holds "工作流程");
             - HEAD_SCORE when both end in the same two-character head noun
               (Chinese compounds are head-final: "政务动态" is a kind of "…动态"),
               or when the name starts with the stem a reference keeps after
               losing its noise ("领导分工" starts with 领导, from 领导信息).
Unrelated names share neither characters nor a head ("网上信访" vs "通知公告") and stay unmapped.
"""
from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from crawler.config import ReferenceColumn
from crawler.extract.text import normalise

FUZZY_CUTOFF = 75
SAME_CORE_SCORE = 95
CONTAINED_SCORE = 90
HEAD_SCORE = 80
# Words that qualify a column without changing what it holds; stripped from the end
# (repeatedly) and "政府" from the start, but never down to less than two characters.
_NOISE_SUFFIXES = ("栏目", "专栏", "信息", "公开", "情况", "专题")
_NOISE_PREFIXES = ("政府", "本单位", "本局", "我局")
# Head nouns too generic to tie two names together on their own (办事指南 is no 公开指南,
# 乡情简介 no 领导简介).
_WEAK_HEADS = {"信息", "公开", "工作", "管理", "服务", "公示", "指南", "概况", "简介"}


def map_column(name: str, layout: Sequence[ReferenceColumn]) -> tuple[str | None, str]:
    """(reference column name, "exact" | "synonym" | "fuzzy") or (None, "none")."""
    key = normalise(name)
    if not key:
        return None, "none"
    for column in layout:
        if key == normalise(column.name):
            return column.name, "exact"
    for column in layout:
        if any(key == normalise(synonym) for synonym in column.synonyms):
            return column.name, "synonym"
    best, best_score = None, 0.0
    for column in layout:
        score = max(similarity(key, normalise(n)) for n in column.names)
        if score > best_score:
            best, best_score = column.name, score
    return (best, "fuzzy") if best_score >= FUZZY_CUTOFF else (None, "none")


def core(name: str) -> str:
    """A normalised name without its noise words."""
    changed = True
    while changed:
        changed = False
        for suffix in _NOISE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                name, changed = name[: -len(suffix)], True
        for prefix in _NOISE_PREFIXES:
            if name.startswith(prefix) and len(name) - len(prefix) >= 2:
                name, changed = name[len(prefix):], True
    return name


def similarity(name: str, reference: str) -> float:
    """0-100: how surely `name` is the column `reference` (see the module's docstring)."""
    a, b = core(name), core(reference)
    if a == b:
        return SAME_CORE_SCORE
    score = fuzz.ratio(a, b)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and shorter in longer and len(shorter) * 2 >= len(longer):
        score = max(score, CONTAINED_SCORE)
    head = a[-2:]
    if len(a) >= 3 and len(b) >= 3 and head == b[-2:] and head not in _WEAK_HEADS:
        score = max(score, HEAD_SCORE)
    stem_kept = b != reference and b not in _WEAK_HEADS
    if stem_kept and a.startswith(b):
        score = max(score, HEAD_SCORE)
    return score
