"""Session facts beyond exercises and measures: pain, function, goals, skill, response, plan.

The same small detectors read a written note (sentences of a section) and a session transcript
(speaker turns). Each returns the sentences that state the fact, so a rule can quote them and a
drafter can reuse them. The patterns are clinical phrasing, not the dev cases' wording:
limitations pair an activity of daily life with a limiting word in one sentence; skilled care is
cueing, progression, regression, modification, hands-on technique or stated reasoning.
"""

from __future__ import annotations

import re

from sidekick.facts.diagnosis import CONDITION, REGION, diagnosis_in, diagnosis_of  # noqa: F401
from sidekick.facts.measures import scan_numbers, split_sentences
from sidekick.facts.spoken_session import arrival_pain, other_rating, spoken_progress
from sidekick.models import Pain, Turn

ACTIVITY = re.compile(
    r"\b(stairs?|steps?\b|walk\w*|ambulat\w*|amb|gait|sleep\w*|wak\w*|reach\w*|lift\w*|carry\w*|"
    r"(?:kept|keeps?|keeping) me up|up at night|pews?|"
    r"dress\w*|don\w*|doff\w*|bath\w*|shower\w*|groom\w*|toilet\w*|driv\w*|car\b|transfers?|"
    r"work\w*|job|kneel\w*|squat\w*|sit\w*|stand\w*|ris\w*|jog\w*|run\w*|jump\w*|sport|play\w*|"
    r"cook\w*|clean\w*|laundry|shopp\w*|grocer\w*|jars?|shelf|shelves|cabinet|cupboard|typing|"
    r"computer|keyboard|writ\w*|grip\w*|pinch\w*|hold\w*|pour\w*|open\w*|bed\b|chair|couch|"
    r"recliner|floor|overhead|hair|bra\b|socks?|shoes?|coat|shirt|button\w*|garden\w*|golf\w*|"
    r"bowl\w*|hik\w*|swim\w*|tennis|soccer|basketball|volleyball|quilt\w*|knit\w*|sew\w*|yard|"
    r"mow\w*|pruning|prune|hobby|hobbies|household|chores?|mailbox|church|community|"
    r"handshake|shak\w* hands|screwdriver|tools?|turning|looking|hang\w*|clos\w*|fasten\w*|"
    r"pushing|pulling|bending|balance|fall\w*|read\w*|movies?|class|trails?|curbs?|grass|"
    r"forklift|lifting|ladder|bus|kids|grandkids|errands|drive|rides?|paper|stool|steps|"
    r"eat\w*|meals?|mealtimes?|lunch|dinner|breakfast|swallow\w*|drink\w*|liquids?|chew\w*|"
    r"bit(e|es|ing)|foods?|talk\w*|"
    r"speak\w*|speech|voice|conversations?|laptop|screen|desk|phone|shoulder[- ]check\w*|"
    r"yawn\w*|singing|brush\w*|shav\w*|wash\w*|feed(ing|s)?|utensils?|look\w*|parking|"
    r"backing up|concentrat\w*|communicat\w*|apple|sandwich|burger|i?adls?|self[- ]care|doorways?|"
    r"handwriting|meal prep\w*|hygiene|tub|sink|toileting)\b",
    re.I,
)
LIMITATION = re.compile(
    r"\b(unable|cannot|can't|can not|difficult\w*|limit\w*|restrict\w*|needs? (help|assist\w*|"
    r"a |to )|requires?|avoid\w*|pain\w* (with|w/ \w+|when|during|while|on|at|after|descending|"
    r"climbing|going)|ache\w*|hurts?|one (step )?at a time|step[- ]to|with (the )?rail|"
    r"(single[- ]point |a )?cane|walker|not yet|has not|hasn't|haven't|wakes?|woken|"
    r"interrupt\w*|only (about )?\d|prevent\w*|stops?\b|stopped|held out|forced|struggl\w*|"
    r"trouble|hard to|harder|hesitant|unstable|gives? way|fear|short of breath|fatigu\w*|"
    r"uses? (a|the|both)|pushes up|turns? (the |my |his |her )?whole body|instead|impair\w*|"
    r"cough\w*|chok\w*|prolong\w*|(takes?|took|lasts?) (over|more than|longer)|"
    r"no more than|more than (an|a|\d+) (hour|minute)|thicken\w*|dizz\w*|spin(s|ning)?|nause\w*|"
    r"drool\w*|pocket\w*|slurr\w*|click\w*|lock\w*|aspirat\w*|fatigue|dependent|"
    r"decreased (tolerance|independence|ability|endurance)|(min|mod|max)\w* (a|assist\w*)|"
    r"\bcga|\bsba|supervision|modified independen\w*|grab bar|adaptive equipment|"
    r"needs? (mod|min|max|moderate|minimal|maximal|contact|standby))\b",
    re.I,
)
GOAL = re.compile(
    r"\b(goals?|ltg|stg|long[- ]term|short[- ]term)\b|progress\w* toward|(gains?|moving|"
    r"working) toward|toward (the )?goal|\b(improv\w*|increas\w*|decreas\w*|down|up) from\b|"
    r"\bfrom \S+ to \S+|\([^)]*\b(evaluation|eval|last (week|visit|time|test)|prior|previous|"
    r"at visit \d+|initial|start of care)\b[^)]*\)|\bvs\.? \S+ at (eval|evaluation|last)",
    re.I,
)
SKILLED = re.compile(
    r"\b(cue[sd]?|cueing|cuing|verbal|tactile|[vt]cs?|correct(ed|ion|s)|instruct\w*|educat\w*|"
    r"progressed|progression (to|of|from)|regress\w*|modif\w*|adjusted|manual therapy|"
    r"mobiliz\w*|mobs?\b|manipulat\w*|stm\b|soft tissue|myofascial|feedback|demonstrat\w*|"
    r"facilitat\w*|clinical reasoning|to address|address(es|ed)|target(s|ed|ing)?|"
    r"reduced (from|due|to)|(increased|decreased) (load|resistance|reps|weight|range)|graded|"
    r"guarding|monitor\w*|assess(ed|ment of)|analy[sz]\w*|"
    r"joint protection|biofeedback|taping|splint\w*|dry needling)\b",
    re.I,
)
RESPONSE = re.compile(
    r"\b(tolerat(ed|es|ing)|tol'?d|tol\.? (tx|treatment|session|well|ex\w*|all)|"
    r"w/o (c/o|complaints?|increase\w*)|responded|response to|"
    r"after (the )?(session|treatment|tx|exercise)|"
    r"post[- ]?(treatment|session|tx)|end[- ]of[- ]session|end of (the )?session|"
    r"without (an? )?(increase|flare|symptom|instability)|no (increase|flare|change|"
    r"instability)|less (pain|pinching|tingling|crepitus)(?![-\w])|(decreased|reduced|improved) "
    r"(pain|symptoms|tingling)(?![-\w])|pain (decreased|reduced|improved|unchanged)|fatigued|"
    r"(felt|feels|feel) (better|easier|looser|good|great|tight|sore|loose|quieter)|"
    r"(reports?|reported|states?|stated) [^.;]*?(easier|better|looser|less|improv\w*|relief|"
    r"sore|fatigu\w*|tired)|easier than|quieter|unchanged)\b",
    re.I,
)
PLAN = re.compile(
    r"\b(continue(?!s\b)\w*|next (visit|session|week|time|appointment|mon|tue|wed|thu|fri)\w*|"
    r"f/u|rtc|return (in|to clinic|next)|progress as tolerated|\d+ ?x ?/? ?(week|wk)|"
    r"(times|x) (a|per) week|twice (a )?week\w*|(once|twice|\d+x) weekly|weekly|"
    r"progress(ing)? (to|the|with|hip|strength|loading|single|exercise)|will\b|plan to|"
    r"discharge|re-?eval\w*|recheck|re-?assess\w*|follow[- ]up|schedul\w*|frequency|"
    r"\bpoc\b|plan of care|add(ing)? \w+|consider|may be added|start\w* \w+|begin\w*|"
    r"re-?test\w*|\w+ more (\w+ )?(sessions?|visits?|weeks?)|then (we )?(move|return|transition|"
    r"progress|go back)\w*)\b",
    re.I,
)
HOME = re.compile(r"\b(hep|home (exercise )?program|for home|at home|home exercises?)\b", re.I)
_PAIN_Q = re.compile(
    r"zero to ten|0 to 10|0-10|out of ten|scale|pain|how('s| is| does) (the|your) \w+|"
    r"how are you feeling|how do you feel|sitting here|right now|hurt",
    re.I,
)
_SELF_REPORT = re.compile(r"\bpain('s| is)?\b|\bout of (ten|10)\b", re.I)
_PAIN_NOW = re.compile(r"right now|today|sitting here|at the moment|currently|now\b", re.I)


def unwrap(text: str) -> str:
    """Join lines a writer wrapped mid-sentence; a line ending in punctuation stays a break."""
    return re.sub(r"(?<![.;:!?\n])[ \t]*\n(?![ \t]*\n)[ \t]*", " ", text)


PROGRESS = re.compile(
    r"progress\w* toward|toward (the |his |her )?goals?|(gains?|moving|working) toward|"
    r"\b(improving|progressing)\b|"
    r"\b(improv\w*|increas\w*|decreas\w*|down|up) from\b|\bfrom \S+ to \S+|"
    r"\([^)]*\b(evaluation|eval|last (week|visit|time|test)|prior|previous|at visit \d+|"
    r"initial|start of care)\b[^)]*\)|\bvs\.? \S+ at (eval|evaluation|last)|"
    r"goal (status|met|partially met|not (yet )?met)|\bcurrently\b|\bmet\b|"
    r"(last (week|time|visit|month)|at (the|your) (evaluation|eval|start|first visit)|\w+ ago|"
    r"when (we|you) started)\b.*\b(was|were|did|had)\b|\b(was|were|did|had)\b.*"
    r"(last (week|time|visit|month)|at (the|your) (evaluation|start|first visit)|\w+ ago)",
    re.I,
)
_MEASURABLE = re.compile(
    r"\b(without|independent\w*|able to|return to|back to|pain[- ]free|full|reciprocal\w*|"
    r"step over step|through the night|unassisted|no (pain|rest|device))\b",
    re.I,
)


def progress(text: str) -> list[str]:
    """Statements of progress toward goals, or comparisons with an earlier value ("Up from
    forty-eight", "Eighty-five and fifteen last week")."""
    found = sentences_matching(text, PROGRESS)
    return found + [s for s in spoken_progress(unwrap(text)) if s not in found]


def measurable_goals(text: str) -> list[str]:
    """Goal statements with a target one can check: a number, or a functional end point."""
    return [
        g
        for g in sentences_matching(text, re.compile(r"\b(goals?|ltg|stg)\b|toward", re.I))
        if scan_numbers(re.sub(r"\([A-Z]\d[^)]*\)", "", g)) or _MEASURABLE.search(g)
    ]


def sentences_matching(text: str, *patterns: re.Pattern[str]) -> list[str]:
    """Sentences of ``text`` that match every pattern."""
    return [s for _, s in split_sentences(unwrap(text)) if all(p.search(s) for p in patterns)]


_SPOKEN_LIMIT = re.compile(
    r"\b(can'?t|couldn'?t|could not|stiff\w*|favou?r\w*|careful|cautious|tiptoe\w*|wobbl\w*|"
    r"unstable|hard\b|harder|flare\w*|aching|achy|i feel it|gets? me|had to|have to|stopped|"
    r"worst|bother\w*|pinch\w*|tight|sore|hurts?|grab\w*|give(s)? (out|way)|weak|tired|"
    r"slow|scared|nervous|afraid|only (make|get|do|walk|go)|still\b|limit\w*|gave \w+ the|"
    r"whole body|cut (everything|it|my food)|cough\w*|chok\w*|dizz\w*|spin(s|ning)?|regrett?\w*|"
    r"(nearly|almost) f[ae]ll\w*|fell|freez\w*|trip(ped|ping)?|stumbl\w*|"
    r"lost (my|her|his) balance|killing (me|my)|(?:kept|keeps?|keeping) me up)\b",
    re.I,
)


def spoken_limitations(turns: list[Turn]) -> list[str]:
    """What the patient says they cannot do, or do with difficulty, while being interviewed."""
    out: list[str] = []
    for turn in turns[: max(1, int(len(turns) * 0.4))]:
        if turn.speaker not in ("patient", "unknown"):
            continue
        for _, sentence in split_sentences(turn.text):
            # Without speaker labels (Whisper without diarization) only first-person reports
            # count, so the therapist's explanations are not read as the patient's limits.
            if turn.speaker == "unknown" and _THERAPIST_TALK.search(sentence):
                continue
            if ACTIVITY.search(sentence) and (
                LIMITATION.search(sentence) or _SPOKEN_LIMIT.search(sentence)
            ):
                out.append(sentence.strip())
    return out


_THERAPIST_TALK = re.compile(
    r"\?\s*$|^(now|next|let's|let me|keep|try|okay|good|great|nice)\b|\b(you|your)\b", re.I
)


def spoken_goals(text: str) -> list[str]:
    """Goals the therapist states ("Our goal is three miles pain free")."""
    pattern = re.compile(
        r"\bgoals?\b|we'?re aiming|aim(ing)? for|target\b|by (the end of|week \w+)|"
        r"so (that )?you can|we want (you|that|to get)|"
        r"(last (week|time|visit|month)|at (the|your) (evaluation|eval|start|first visit)|"
        r"\w+ ago|when (we|you) started)\b.*\b(was|were|did|had)\b|"
        r"\b(was|were|did|had)\b.*(last (week|time|visit|month)|at (the|your) (evaluation|start|"
        r"first visit)|\w+ ago|when (we|you) started)",
        re.I,
    )
    found = sentences_matching(text, pattern)
    return [s for s in found if scan_numbers(s) or "goal" in s.lower()]


def limitations(text: str) -> list[str]:
    """Functional limitations: an activity and a limiting word in one sentence."""
    return [
        s
        for _, s in split_sentences(unwrap(text))
        if LIMITATION.search(s) and ACTIVITY.search(_NOT_ACTIVITY.sub(" ", s))
    ]


# Clinic words that look like daily activities but name an intervention.
_NOT_ACTIVITY = re.compile(
    r"\b(soft tissue|hands[- ]on|manual|core|foam|band|ther(apeutic)?|joint|the|mobility) work\b|"
    r"\bsit(ting)? to stand (practice|exercise)|\bstanding (hip|heel|calf|hamstring|row)\w*|"
    r"\b(hold|holds|holding) \d|\bgrip (strength|meter)|pain[- ]free grip|walk(ing)? test",
    re.I,
)


def goals(text: str) -> list[str]:
    """Goal statements and objective comparisons with an earlier value."""
    return sentences_matching(text, GOAL)


def skilled(text: str) -> list[str]:
    """Skilled elements: cueing, progression/regression, modification, reasoning, hands-on."""
    return sentences_matching(text, SKILLED)


def responses(text: str) -> list[str]:
    """The patient's response to treatment."""
    return sentences_matching(text, RESPONSE)


def plan_items(text: str) -> list[str]:
    """Plan statements (frequency, next visit, progression, continuing, discharge)."""
    return sentences_matching(text, PLAN)


def home_program(text: str) -> list[str]:
    return sentences_matching(text, HOME)


def note_pain(sections: dict[str, str]) -> Pain:
    """Pain before and after the session, as a note writes it ("Pain 4/10 on arrival")."""
    text = "\n".join(sections.values())
    before = after = None
    for _, sentence in split_sentences(text):
        for clause in re.split(r"[,;]", sentence):
            m = re.search(r"\b(\d+(?:\.\d+)?)\s*/\s*10\b", clause)
            if not m or re.search(r"decline squat|goal|at or below|or less|stays", clause, re.I):
                continue
            if other_rating(clause):
                continue  # "Nausea 2/10", "RPE 6/10": another symptom's rating
            value = float(m.group(1))
            if re.search(
                r"arrival|today|at rest|currently|\bnow\b|rates|start of (the )?session|"
                r"pre[- ]?(treatment|session)",
                clause,
                re.I,
            ):
                before = value if before is None else before
            elif re.search(
                r"after (the )?(session|treatment|tx|exercise|intervention)|\bpost\b|"
                r"\bpost-|\bend[- ]of|\bat end|\bdischarge",
                clause,
                re.I,
            ):
                after = value if after is None else after
            elif (
                re.search(
                    r"^\s*(\w+:\s*)?(pain|reports?|rates?|nprs|vas|nrs)\b|\b(nprs|vas|nrs)\b",
                    clause,
                    re.I,
                )
                and before is None
            ):
                before = value
    return Pain(before=before, after=after)


def transcript_pain(turns: list[Turn]) -> Pain:
    """Pain said by the patient when asked, early (before) and late (after) in the session."""
    changed = _therapist_change(turns)
    if changed is not None:
        return changed
    found: list[tuple[int, float]] = []
    # Without speaker roles (ASR without diarisation) any turn may be the answer, but only
    # when the turn before asks about pain.
    roles = any(t.speaker == "patient" for t in turns)
    for i, turn in enumerate(turns):
        if i == 0 or turn.speaker != ("patient" if roles else turn.speaker):
            continue
        asked = turns[i - 1].text if turns[i - 1].speaker != "patient" else ""
        if not roles and not _PAIN_Q.search(asked):
            continue
        arrival = arrival_pain(turn.text)
        # "Pain's a three", "Three out of ten", "Five when I got here" answer any question
        said = bool(_SELF_REPORT.search(turn.text)) or arrival is not None
        if not (_PAIN_Q.search(asked) or _PAIN_NOW.search(turn.text) or said):
            continue
        if re.search(r"on that one|with that|that one", asked, re.I) or other_rating(asked):
            continue
        value = _pain_number(turn.text) if arrival is None else arrival
        if value is not None:
            found.append((i, value))
    if not found:
        return Pain()
    cut = len(turns) * 0.6
    early = [v for i, v in found if i < cut]
    late = [v for i, v in found if i >= cut]
    return Pain(before=early[0] if early else None, after=late[-1] if late else None)


def _therapist_change(turns: list[Turn]) -> Pain | None:
    """The therapist's own summary late in a session: "Five down to a three." """
    start = int(len(turns) * 0.6)
    for turn in turns[start:]:
        if turn.speaker == "patient":
            continue
        m = re.search(
            r"\b(\w+(?:-\w+)?) (?:down |up )?to (?:a |an )?(\w+(?:-\w+)?)(?: again)?[.!]",
            turn.text,
            re.I,
        )
        if not m or not re.match(r"^\s*(\w+(?:-\w+)?) (down |up )?to", turn.text[m.start() :]):
            continue
        if m.start() and not re.search(r"[.!?]\s*$", turn.text[: m.start()]):
            continue
        a, b = scan_numbers(m.group(1)), scan_numbers(m.group(2))
        if a and b and a[0].value <= 10 and b[0].value <= 10:
            return Pain(before=a[0].value, after=b[0].value)
    return None


def _pain_number(text: str) -> float | None:
    first = re.split(r"(?<=[.?!])\s", text.strip())
    named = [s for s in first[2:] if re.search(r"\bpain\b|\bpain's\b", s, re.I)]
    for sentence in first[:2] + named[:1]:  # or a later sentence that names the pain
        if re.search(
            r"\b(end of|yesterday|last|sunday|monday|weekend|night|by the end)\b", sentence, re.I
        ):
            continue
        if re.search(r"\b(none|no pain|nothing)\b", sentence, re.I):
            return 0.0
        nums = [n for n in scan_numbers(sentence) if 0 <= n.value <= 10]
        values = [n.value for n in nums]
        if any(b == a + 1 for a, b in zip(values, values[1:], strict=False)):
            return None  # counting reps aloud
        if nums and not re.search(_NOT_PAIN, sentence, re.I):
            return nums[0].value
    return None


_NOT_PAIN = (
    r"\b(minutes?|hours?|days?|weeks?|months?|miles?|times|sets?|reps?|twice|each|pounds?|"
    r"o'clock|on the (right|left)|again|done|holes|years?|kids|grandkids|percent|degrees?)\b"
)


def transcript_facts_text(turns: list[Turn]) -> dict[str, str]:
    """The transcript split by speaker: what the patient said and what the therapist said."""
    labelled = any(t.speaker == "patient" for t in turns)
    # Unlabelled turns (no diarization) may be the patient's: read them as both.
    patient = "\n".join(
        t.text for t in turns if t.speaker == "patient" or (not labelled and t.speaker == "unknown")
    )
    therapist = "\n".join(t.text for t in turns if t.speaker in ("therapist", "unknown"))
    return {"patient": patient, "therapist": therapist}


_SPOKEN_CUE = re.compile(
    r"^(keep|don't|do not|stay|push|squeeze|tighten|bend more|stand tall|sit tall|slow|swing|"
    r"think (big|tall|loud)|louder|eyes up|look up|head up|"
    r"control|relax|let it|drop|bring|lower|lift with|tuck|chin|ribs|hips|shoulders|knees?|"
    r"elbow|heels?|toes|weight|nose over|back flat|soft|square|straighten|not up|pinch back|"
    r"stop before|only to|only go|just to|ease off|wider|bigger)\b|"
    r"\b(is|are|keeps?) (drifting|dropping|diving|caving|hiking|creeping|shrugging|rolling|"
    r"tipping|swinging|leaning|shifting|collapsing|sagging|winging)\b|you're (leaning|shifting|"
    r"shrugging|arching|rushing|holding your breath)|let's make that|let's (go|switch|progress)|"
    r"you've earned|that's why we progress|too easy|better\.|much better|"
    r"\bactually,? (make|let's)|\bmake (it|that) (one|two|three|\d+) sets?\b|\bonly if you need",
    re.I,
)


def cues(text: str) -> list[str]:
    """Spoken cues and corrections: skilled input in the session."""
    return [s for _, s in split_sentences(text) if _SPOKEN_CUE.search(s.strip())]
