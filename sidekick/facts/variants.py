"""The variant of an exercise that the words around its name ask for.

Two general rules, applied when a turn opens an exercise:

- Position: a lexicon name that carries a position ("side-lying hip abduction", "standing heel
  raise") gives way to the variant of the same family in the position the therapist says
  ("Side leg lifts now, standing" -> standing hip abduction; "heel raises, seated" -> seated
  calf raise). A name with no position of its own ("single leg heel raise") is never changed.
- Body part: the bare word "isometrics" names the isometric exercise of the body part spoken
  about in the turn ("calf isometrics", "fist under the chin"), else of the diagnosis.
"""

from __future__ import annotations

import re

from sidekick.facts.lexicon import Lexicon, LexiconEntry

_POSITIONS = {
    "standing": re.compile(r"\bstand(?:ing)?\b"),
    "seated": re.compile(r"\b(?:seated|sitting)\b"),
    "side-lying": re.compile(r"\bside[\s-]?lying\b|\b(?:lie|lying)\s+on\s+your\s+side\b"),
    "supine": re.compile(r"\bsupine\b|\b(?:lie|lying)\s+on\s+your\s+back\b"),
    "prone": re.compile(r"\bprone\b|\bon\s+your\s+(?:stomach|tummy)\b|\bface\s+down\b"),
    "quadruped": re.compile(r"\bquadruped\b|\bhands\s+and\s+knees\b|\ball\s+fours\b"),
}
_REGIONS = {
    "jaw": re.compile(r"\b(?:jaw|chin|mouth|tmj|temporomandibular|teeth)\b"),
    "neck": re.compile(r"\b(?:neck|cervical|whiplash)\b"),
    "ankle": re.compile(r"\b(?:calf|calves|achilles|ankle|soleus|gastroc\w*)\b"),
    "knee": re.compile(r"\b(?:quads?|quadriceps|knee)\b"),
    "hip": re.compile(r"\b(?:hip|glutes?|gluteal)\b"),
    "wrist": re.compile(r"\b(?:wrist|forearm)\b"),
    "shoulder": re.compile(r"\b(?:shoulder|rotator|cuff)\b"),
}


def _positions(name: str) -> set[str]:
    low = name.lower()
    return {p for p, pattern in _POSITIONS.items() if pattern.search(low) or p in low}


def position_variant(lexicon: Lexicon, entry: LexiconEntry, text: str) -> LexiconEntry:
    """The family member in the position ``text`` states, when ``entry`` names another one."""
    own = _positions(entry.name)
    if not entry.family or not own:
        return entry
    said = {p for p, pattern in _POSITIONS.items() if pattern.search(text.lower())}
    if not said or own & said:
        return entry
    for other in lexicon.entries:
        if other is not entry and other.family == entry.family and _positions(other.name) & said:
            return other
    return entry


def _is_isometric(entry: LexiconEntry) -> bool:
    return any("isometric" in n.lower() for n in [entry.name, *entry.synonyms])


def isometric_variant(lexicon: Lexicon, entry: LexiconEntry, text: str,
                      context: str = "") -> LexiconEntry:
    """For the bare word "isometrics": the isometric exercise of the body part in question."""
    if not re.search(r"\bisometrics?\b", text, re.I) or not _is_isometric(entry):
        return entry
    for source in (text.lower(), context.lower()):
        regions = [r for r, pattern in _REGIONS.items() if pattern.search(source)]
        if entry.region in regions:
            return entry
        for region in regions:
            found = next((e for e in lexicon.entries if e.region == region and _is_isometric(e)),
                         None)
            if found is not None:
                return found
    return entry


_ONE_LEG = re.compile(r"\b(?:one|single)[\s-](?:leg|foot)\b|\bon\s+(?:one|the\s+(?:left|right))\s+"
                      r"(?:leg|foot)\s+only\b")


def one_leg_variant(lexicon: Lexicon, entry: LexiconEntry | None,
                    text: str) -> LexiconEntry | None:
    """ "Now the same with one leg": the single-leg member of the current exercise's family."""
    if entry is None or not entry.family or not _ONE_LEG.search(text.lower()):
        return None
    if re.search(r"single[\s-]leg", entry.name.lower()):
        return None
    return next((e for e in lexicon.entries if e.family == entry.family
                 and re.search(r"single[\s-]leg", e.name.lower())), None)
