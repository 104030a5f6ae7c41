"""The treated diagnosis a text names: an ICD-10 code, or a condition with its body region.

Read by MN-DIAGNOSIS and by the fact readers (``sidekick.facts.session`` re-exports
``diagnosis_in`` and ``diagnosis_of``).
"""

from __future__ import annotations

import re

from sidekick.facts.measures import split_sentences
from sidekick.models import Patient

CONDITION = re.compile(
    r"\b(osteoarthritis|oa|arthritis|tendin\w+|tendon\w*|epicondyl\w+|fasciitis|fasciopathy|"
    r"sprain\w*|strain\w*|fractur\w*|dislocat\w*|subluxat\w*|tears?|syndrome|capsulitis|"
    r"arthroplasty|tka|tha|tsa|replacement|repair|reconstruction|acl\w*|meniscectomy|menisc\w*|"
    r"s/p|post[- ]?op\w*|stenosis|spondylo\w+|radiculopathy|cervicalgia|lumbago|"
    r"impingement|bursitis|instability|parkinson\w*|weakness|deconditioning|cva|stroke|"
    r"neuropathy|carpal tunnel|sciatica|orif|contusion|stiffness|disc\w*|herniat\w*|"
    r"dysfunction|pain syndrome|frozen shoulder|whiplash|concussion|vertigo|bppv|amputation|"
    r"ms|multiple sclerosis|sci|tbi|lymphedema|plantar|achilles|rotator cuff|labral|"
    r"hypermobility|scoliosis|kyphosis|pfps?|ms|fibromyalgia|rcr|aclr)\b",
    re.I,
)
REGION = re.compile(
    r"\b(shoulders?|knees?|hips?|ankles?|foot|feet|heel|wrists?|hands?|thumb|fingers?|"
    r"elbows?|neck|cervical|thoracic|lumbar|back|spine|spinal|sacr\w*|pelvi\w*|hamstring|"
    r"quad\w*|calf|achilles|patell\w*|rotator cuff|acl|cmc|gh|glenohumeral|tibi\w*|fibul\w*|"
    r"femur|femoral|radius|radial|ulna\w*|humer\w*|cervic\w*|lumbo\w*|it band|plantar|gluteal|"
    r"groin|thigh|forearm|digits?|lower extremit\w*|upper extremit\w*|balance|gait)\b",
    re.I,
)
_ICD10 = re.compile(r"\b[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?\b")


def diagnosis_in(text: str) -> str | None:
    """The treated condition the text names: an ICD-10 code, or a condition with a region."""
    for _, sentence in split_sentences(text):
        m = _ICD10.search(sentence)
        cond = CONDITION.search(sentence)
        if (
            m
            or (cond and REGION.search(sentence))
            or any(c.group(1).lower() in _SELF_LOCATING for c in CONDITION.finditer(sentence))
        ):
            return sentence.strip()
        pain = re.search(
            r"\b(knee|hip|shoulder|neck|back|ankle|wrist|elbow|heel) pain\b", sentence, re.I
        )
        if pain:
            return sentence.strip()
    return None


_SELF_LOCATING = {
    "cervicalgia",
    "lumbago",
    "parkinson's",
    "parkinson",
    "parkinsons",
    "carpal tunnel",
    "sciatica",
    "tka",
    "tha",
    "tsa",
    "acl",
    "aclr",
    "rcr",
    "epicondylitis",
    "plantar",
    "achilles",
    "cva",
    "stroke",
    "frozen shoulder",
    "rotator cuff",
    "vertigo",
    "bppv",
    "pfps",
    "pfp",
}


def diagnosis_of(patient: Patient | None, text: str) -> str | None:
    """The diagnosis: the record's (when given), else the one the text names."""
    if patient is not None and patient.diagnosis:
        return patient.diagnosis
    return diagnosis_in(text)
