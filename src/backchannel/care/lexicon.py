"""The words the caution check looks for. Plain data, kept apart from the rules that use it so
facilitators' feedback can grow the lists without touching the logic."""

from __future__ import annotations

import codecs

# People a post can point to specifically when they follow "my", "her", "our"...
CHILD_KIN = [
    "son", "daughter", "kid", "child", "boy", "girl", "baby", "toddler", "teen", "teenager",
    "stepson", "stepdaughter", "grandson", "granddaughter", "nephew", "niece", "foster son",
    "foster daughter", "foster child", "foster kid", "little one", "youngest", "oldest",
    "eldest", "middle child", "twins",
]  # fmt: skip
ADULT_KIN = [
    "brother", "sister", "mom", "mum", "mother", "dad", "father", "husband", "wife",
    "partner", "cousin", "friend", "neighbor", "neighbour", "client", "patient", "student",
    "coworker", "colleague", "boss", "aunt", "uncle", "grandma", "grandpa", "grandmother",
    "grandfather", "roommate", "boyfriend", "girlfriend", "caseworker",
]  # fmt: skip
POSSESSIVES = ["my", "our", "his", "her", "their", "your"]

# Specific conditions (named in general they are fine: the rules need a specific person).
DIAGNOSES = [
    "adhd", "add", "autism", "autistic", "asperger's", "aspergers", "bipolar", "depression",
    "depressed", "anxiety disorder", "generalized anxiety", "panic disorder", "ptsd",
    "c-ptsd", "schizophrenia", "schizophrenic", "psychosis", "ocd", "anorexia", "bulimia",
    "eating disorder", "binge eating", "odd", "oppositional defiant", "conduct disorder",
    "reactive attachment disorder", "fasd", "fetal alcohol", "tourette's", "tourettes",
    "dyslexia", "epilepsy", "seizures", "diabetes", "cancer", "leukemia", "hiv", "aids",
    "borderline personality", "bpd", "dissociative", "selective mutism", "substance use disorder",
    "addiction", "alcoholism", "down syndrome", "cerebral palsy", "a learning disability",
    "an intellectual disability", "a developmental delay", "a mood disorder",
]  # fmt: skip
MEDICATIONS = [
    "ritalin", "adderall", "concerta", "vyvanse", "strattera", "focalin", "methylphenidate",
    "prozac", "zoloft", "lexapro", "paxil", "celexa", "wellbutrin", "effexor", "cymbalta",
    "fluoxetine", "sertraline", "escitalopram", "citalopram", "bupropion", "lithium",
    "abilify", "risperdal", "seroquel", "zyprexa", "latuda", "lamictal", "depakote",
    "clonidine", "guanfacine", "intuniv", "xanax", "klonopin", "ativan", "valium",
    "antidepressants", "antipsychotics", "ssris", "stimulants", "meds", "medication",
    "insulin", "suboxone", "methadone",
]  # fmt: skip
TREATMENT = [
    "hospitalized", "hospitalised", "in the hospital", "in hospital", "inpatient",
    "the psych ward", "a psych ward", "psychiatric hospital", "admitted", "sectioned",
    "a 5150", "5150", "residential treatment", "rehab", "detox", "in therapy", "therapy",
    "a therapist", "counseling", "counselling", "a psychiatrist",
    "the er", "the emergency room", "intensive outpatient", "partial hospitalization",
]  # fmt: skip
ABUSE = [
    "abused", "sexually abused", "molested", "assaulted", "raped", "neglected", "beaten",
    "trafficked", "groomed", "a cps case", "an open cps case", "cps involvement",
]  # fmt: skip
PLACEMENTS = [
    "foster care", "a foster home", "foster home", "a group home", "group home",
    "residential placement", "residential treatment", "kinship care", "juvenile detention",
    "juvie", "juvenile hall", "state custody", "cps custody", "a shelter", "adopted",
    "removed from the home", "removed from her home", "removed from his home",
    "removed from their home", "a psychiatric residential",
]  # fmt: skip

# Adjectives and nouns that attack a person when said of them.
INSULTS = [
    "idiot", "idiots", "moron", "morons", "stupid", "dumb", "clueless", "incompetent",
    "pathetic", "useless", "worthless", "ignorant", "loser", "losers", "fraud", "hack",
    "joke", "trash", "garbage", "disgrace", "creep", "liar", "imbecile", "cretin", "scum",
    "lowlife", "dimwit", "halfwit", "airhead", "clown", "clowns", "embarrassment",
]  # fmt: skip
# Mental-health words used as insults (in this field they hurt twice).
STIGMA = ["crazy", "psycho", "nuts", "insane", "a lunatic", "lunatic", "mental", "unhinged"]
GROUPS = [
    "people", "parents", "families", "kids", "immigrants", "addicts", "foster kids", "teens",
    "teenagers", "moms", "dads", "women", "men", "social workers", "caseworkers", "refugees",
    "foster parents", "therapists", "psychiatrists", "drug users", "homeless people",
]  # fmt: skip
DEHUMANISING = [
    "animals", "trash", "garbage", "vermin", "parasites", "scum", "subhuman", "worthless",
    "lazy", "a plague", "a disease", "the problem", "leeches", "savages", "freaks",
]  # fmt: skip

# Slurs, stored in ROT13 so the list does not read as text in the source.
SLURS = [
    codecs.decode(word, "rot13")
    for word in [
        "ergneq", "ergneqf", "ergneqrq", "fcnm", "genaal", "snttbg", "snt", "qlxr",
        "avttre", "avttn", "xvxr", "fcvp", "puvax", "jrgonpx", "tbbx", "enturnq",
    ]
]  # fmt: skip
